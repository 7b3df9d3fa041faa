//! Wording shared by every refusal: lists of values in backticks, and cargo's "did you mean".

/// `` `a`, `b`, `c` ``; `none` for an empty list.
pub fn backticked<S: AsRef<str>>(items: impl IntoIterator<Item = S>) -> String {
    let items: Vec<_> = items.into_iter().map(|s| format!("`{}`", s.as_ref())).collect();
    if items.is_empty() { "none".to_owned() } else { items.join(", ") }
}

/// `` (did you mean `python`?)`` when one candidate is close to `given`, else an empty string.
///
/// Close means a Jaro-Winkler similarity above 0.8, the threshold cargo and clap use for their
/// suggestions (`strsim`, as clap's `suggestions` feature does).
pub fn did_you_mean<'a>(given: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    let given = given.to_ascii_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&given, &c.to_ascii_lowercase()), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map_or_else(String::new, |(_, c)| format!(" (did you mean `{c}`?)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_only_near_misses() {
        assert_eq!(did_you_mean("pyhton", ["python", "node", "kotlin"]), " (did you mean `python`?)");
        assert_eq!(did_you_mean("Kotlni", ["python", "node", "kotlin"]), " (did you mean `kotlin`?)");
        assert_eq!(did_you_mean("ruby", ["python", "node", "kotlin"]), "");
        assert_eq!(backticked(["a", "b"]), "`a`, `b`");
        assert_eq!(backticked(Vec::<String>::new()), "none");
    }
}

//! `/metadata` (the listing as JSON, with its ETag) and the plain-text help `GET /` gives curl,
//! both made once at start-up from the registry.

use std::fmt::Write;
use std::hash::{Hash, Hasher};

use backend_gen_core::option::OptionValues;

use crate::listing::Listing;

/// The listing, rendered once.
#[derive(Debug)]
pub struct Metadata {
    pub json: String,
    /// A strong validator (RFC 9110 §8.8.3): the version and a hash of the bytes.
    pub etag: String,
    /// `GET /` for curl, with `{base}` where the request's own origin goes.
    help: String,
}

impl Metadata {
    pub fn new(listing: &Listing) -> Self {
        let json = serde_json::to_string_pretty(listing).unwrap_or_default() + "\n";
        let mut hasher = std::hash::DefaultHasher::new();
        json.hash(&mut hasher);
        let etag = format!("\"{}-{:016x}\"", listing.generator_version, hasher.finish());
        Self { json, etag, help: help(listing) }
    }

    /// The help with `base` (`http://127.0.0.1:8080`) in its examples.
    pub fn help(&self, base: &str) -> String {
        self.help.replace("{base}", base)
    }
}

fn help(listing: &Listing) -> String {
    let mut out = String::new();
    let _ =
        writeln!(out, "backend-gen {}: production-grade backend services, as archives\n", listing.generator_version);
    let _ = writeln!(out, "Download a project (one folder; `.env.example` only, never a live secret):");
    let _ = writeln!(out, "  curl -fsSLo orders.zip '{{base}}/starter.zip?name=orders&stack=python'");
    let _ = writeln!(out, "  curl -fsSL '{{base}}/starter.tgz?name=orders&stack=node&feature=compose' | tar -xzf -");
    let _ = writeln!(
        out,
        "  curl -fsSLOJ '{{base}}/starter.zip?name=orders&stack=kotlin&option=build=maven&option=group=com.acme'"
    );
    let _ = writeln!(out, "See the files first:");
    let _ = writeln!(out, "  curl -fsS '{{base}}/preview?name=orders&stack=python'");
    let _ = writeln!(out, "What can be chosen, as JSON:");
    let _ = writeln!(out, "  curl -fsS '{{base}}/metadata'\n");
    let _ = writeln!(out, "Parameters (the flags of `backend-gen new`):");
    let _ = writeln!(out, "  name=NAME                  the project and its folder (required)");
    let _ = writeln!(out, "  stack=STACK                one of the stacks below (required)");
    let _ = writeln!(out, "  feature=F                  repeat, or separate with commas");
    let _ = writeln!(out, "  option=KEY=VALUE           repeat for several");
    let _ = writeln!(out, "  no-default-features        without the stack's default features\n");
    for stack in &listing.stacks {
        let _ = writeln!(out, "{}  {}", stack.id, stack.summary);
        for feature in stack.features {
            let mut notes = Vec::new();
            if feature.default {
                notes.push("default".to_owned());
            }
            if !feature.requires.is_empty() {
                notes.push(format!("requires {}", feature.requires.join(", ")));
            }
            if !feature.conflicts.is_empty() {
                notes.push(format!("conflicts with {}", feature.conflicts.join(", ")));
            }
            if let Some(group) = feature.group {
                notes.push(format!("one of {group}"));
            }
            let notes = if notes.is_empty() { String::new() } else { format!(" [{}]", notes.join("; ")) };
            let _ = writeln!(out, "  feature={:<16} {}{notes}", feature.id, feature.summary);
        }
        for option in &stack.options {
            let values = match option.values {
                OptionValues::OneOf { values } => values.join("|"),
                OptionValues::Text { rule, .. } => rule.to_owned(),
            };
            let default = if option.default.is_empty() { "empty".to_owned() } else { format!("`{}`", option.default) };
            let _ = writeln!(out, "  option={:<17} {values}; default {default}", format!("{}=…", option.key));
        }
        out.push('\n');
    }
    let _ =
        writeln!(out, "Errors are RFC 9457 problems (application/problem+json) whose `detail` is the CLI's message.");
    let _ = writeln!(out, "A browser gets the page at {{base}}/.");
    out
}

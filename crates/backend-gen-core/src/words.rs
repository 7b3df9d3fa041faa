//! Word lists that more than one stack of an ecosystem applies: the JVM's (Kotlin, Java) and Node's.
//! A stack names the lists it applies in its `StackInfo::identifiers`; the core applies none by itself.
//!
//! Kept as sorted data so a new list is a reviewable diff.

/// Java's reserved keywords and literals (JLS 21, §3.9 and §3.10.3): a Java package segment must not be
/// one, and Micronaut's annotation processing (kapt stubs) writes Java.
pub const JAVA_RESERVED: &[&str] = &[
    "_",
    "abstract",
    "assert",
    "boolean",
    "break",
    "byte",
    "case",
    "catch",
    "char",
    "class",
    "const",
    "continue",
    "default",
    "do",
    "double",
    "else",
    "enum",
    "extends",
    "false",
    "final",
    "finally",
    "float",
    "for",
    "goto",
    "if",
    "implements",
    "import",
    "instanceof",
    "int",
    "interface",
    "long",
    "native",
    "new",
    "null",
    "package",
    "private",
    "protected",
    "public",
    "return",
    "short",
    "static",
    "strictfp",
    "super",
    "switch",
    "synchronized",
    "this",
    "throw",
    "throws",
    "transient",
    "true",
    "try",
    "void",
    "volatile",
    "while",
];

/// Kotlin hard keywords, which cannot be package segments (kotlinlang.org, "Keywords and operators").
pub const KOTLIN_KEYWORDS: &[&str] = &[
    "as",
    "break",
    "class",
    "continue",
    "do",
    "else",
    "false",
    "for",
    "fun",
    "if",
    "in",
    "interface",
    "is",
    "null",
    "object",
    "package",
    "return",
    "super",
    "this",
    "throw",
    "true",
    "try",
    "typealias",
    "typeof",
    "val",
    "var",
    "when",
    "while",
];

/// Node.js core modules and names npm refuses for new packages.
pub const NODE_RESERVED: &[&str] = &[
    "assert",
    "async_hooks",
    "buffer",
    "child_process",
    "cluster",
    "console",
    "constants",
    "crypto",
    "dgram",
    "diagnostics_channel",
    "dns",
    "domain",
    "events",
    "favicon.ico",
    "fs",
    "http",
    "http2",
    "https",
    "inspector",
    "module",
    "net",
    "node_modules",
    "os",
    "path",
    "perf_hooks",
    "process",
    "punycode",
    "querystring",
    "readline",
    "repl",
    "stream",
    "string_decoder",
    "sys",
    "test",
    "timers",
    "tls",
    "trace_events",
    "tty",
    "url",
    "util",
    "v8",
    "vm",
    "wasi",
    "worker_threads",
    "zlib",
];

/// Rust's keywords, strict and reserved, in the 2024 edition (the Rust Reference, "Keywords"), and the
/// crates every Rust program can name without depending on them (`std`, `core`, `alloc`,
/// `proc_macro`, `test`): Cargo refuses a package named like either, or the crate would shadow it.
pub const RUST_RESERVED: &[&str] = &[
    "as",
    "async",
    "await",
    "break",
    "const",
    "continue",
    "crate",
    "dyn",
    "else",
    "enum",
    "extern",
    "false",
    "fn",
    "for",
    "gen",
    "if",
    "impl",
    "in",
    "let",
    "loop",
    "match",
    "mod",
    "move",
    "mut",
    "pub",
    "ref",
    "return",
    "self",
    "static",
    "struct",
    "super",
    "trait",
    "true",
    "type",
    "unsafe",
    "use",
    "where",
    "while",
    "abstract",
    "become",
    "box",
    "do",
    "final",
    "macro",
    "override",
    "priv",
    "try",
    "typeof",
    "unsized",
    "virtual",
    "yield",
    "std",
    "core",
    "alloc",
    "proc_macro",
    "test",
];

/// Package roots the platform keeps to itself: the JVM refuses to define a class under `java`
/// ("Prohibited package name", `java.lang.ClassLoader`), and the Kotlin compiler any declaration
/// under `kotlin` outside its standard library.
const PLATFORM_PACKAGE_ROOTS: &[&str] = &["java", "kotlin"];

/// Checks a Java package name such as `com.acme.orders`: dot-separated segments, each a Java identifier
/// of ASCII letters, digits and `_` not starting with a digit, and neither a Java reserved word nor a
/// Kotlin keyword (JLS §6.5.3; Kotlin sources and kapt's Java stubs both use the package), under
/// none of the platform's own roots (`java`, `kotlin`).
pub fn check_java_package(value: &str) -> Result<(), String> {
    if value.is_empty() {
        return Err("is empty; use a package such as `com.example`".to_owned());
    }
    for segment in value.split('.') {
        if segment.is_empty() {
            return Err("has an empty segment; put one dot between segments, as in `com.example`".to_owned());
        }
        let valid = segment.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && segment.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid {
            return Err(format!(
                "has the segment `{segment}`; each segment is letters, digits and `_`, not starting with a digit"
            ));
        }
        if JAVA_RESERVED.contains(&segment) || KOTLIN_KEYWORDS.contains(&segment) {
            return Err(format!("has the segment `{segment}`, a Java or Kotlin reserved word"));
        }
    }
    let root = value.split('.').next().unwrap_or_default();
    if PLATFORM_PACKAGE_ROOTS.contains(&root) {
        return Err(format!(
            "starts with `{root}`, a package the platform keeps for itself; use your organisation's, such as `com.example`"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn java_packages() {
        assert!(check_java_package("com.acme.orders").is_ok());
        assert!(check_java_package("com.example").is_ok());
        assert!(check_java_package("javax.acme").is_ok() && check_java_package("org.java").is_ok());
        for bad in [
            "",
            "com..acme",
            "com.2fast",
            "com.acme-orders",
            "com.static.x",
            "org.int",
            "com.fun",
            "com.object",
            "java",
            "java.acme",
            "kotlin.shop",
        ] {
            assert!(check_java_package(bad).is_err(), "{bad}");
        }
    }
}

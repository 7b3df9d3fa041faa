//! `backend-gen list`: the stacks, their features and options.

use std::fmt::Write;

use backend_gen_core::Registry;

use crate::cli::{Format, ListArgs};

pub fn run(args: ListArgs, registry: &Registry) -> String {
    let ListArgs { format } = args;
    let stacks: Vec<_> = registry.stacks().collect();
    if format == Format::Json {
        return serde_json::to_string_pretty(&serde_json::json!({ "stacks": stacks })).unwrap_or_default() + "\n";
    }
    let mut out = String::new();
    for stack in stacks {
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
            let notes = if notes.is_empty() { String::new() } else { format!(" [{}]", notes.join("; ")) };
            let _ = writeln!(out, "  --feature {:<16} {}{notes}", feature.id, feature.summary);
        }
        for option in stack.options {
            let _ = writeln!(
                out,
                "  option {:<19} {} ({}; default {})",
                option.key,
                option.summary,
                option.values.join("|"),
                option.default
            );
        }
    }
    out
}

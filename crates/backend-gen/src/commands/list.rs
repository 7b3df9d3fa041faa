//! `backend-gen list`: the stacks with their features, groups and options: what a user can choose.

use std::fmt::Write;

use backend_gen_core::Registry;
use backend_gen_core::option::{self, OptionValues};

use crate::cli::{Format, ListArgs};
use crate::listing::Listing;

pub fn run(args: ListArgs, registry: &Registry) -> String {
    let ListArgs { format } = args;
    if format == Format::Json {
        return serde_json::to_string_pretty(&Listing::of(registry)).unwrap_or_default() + "\n";
    }
    let mut out = String::new();
    for stack in registry.stacks() {
        let _ = writeln!(out, "{}  {}", stack.id, stack.summary);
        for feature in stack.features {
            let mut notes = Vec::new();
            if feature.default {
                notes.push("default".to_owned());
            }
            if let Some(group) = stack.groups.iter().find(|g| Some(g.id) == feature.group) {
                let default = if group.default == feature.id { ", its default" } else { "" };
                notes.push(format!("one of `{}`{default}", group.id));
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
        for option in option::all(stack) {
            let values = match option.values {
                OptionValues::OneOf { values } => values.join("|"),
                OptionValues::Text { rule, .. } => rule.to_owned(),
            };
            // An empty default (the license's holder and year) is written as such, not as a blank.
            let default = if option.default.is_empty() { "empty" } else { option.default };
            let _ = writeln!(
                out,
                "  --option {:<17} {} ({values}; default {default})",
                format!("{}=…", option.key),
                option.summary,
            );
        }
    }
    out
}

//! The engine's JSON: reading what serde's attributes do not cover alone, and writing the
//! `filters` query parameter. Models that lose nothing, through `model!`, are in `wire.rs`;
//! the `extra(key, value)` setter of every request body is in `extra.rs`.

pub(crate) mod extra;
pub(crate) mod wire;

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer};

pub(crate) use wire::model;

/// Reads `null` as the type's default. The engine sends `null` for many empty lists and
/// maps (an untagged image's `RepoTags`, a container without mounts), which
/// `#[serde(default)]` alone, being for missing fields only, refuses.
pub(crate) fn null_as_default<'de, D, T>(d: D) -> std::result::Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// A serde_json error in words that never quote the value it refused.
///
/// serde's type errors quote what they refuse (`invalid type: string "hunter2", expected
/// struct X`), and what a broken file or answer put in the wrong place may be a password.
/// This keeps the kind of the refused value (`string`), what was expected, and where; the
/// other messages (syntax errors, missing or unknown fields) quote no value and stay as
/// they are.
pub(crate) fn error_without_value(e: &serde_json::Error) -> String {
    let text = e.to_string();
    if e.classify() != serde_json::error::Category::Data {
        return text;
    }
    for prefix in ["invalid type: ", "invalid value: ", "unknown variant "] {
        let Some(rest) = text.strip_prefix(prefix) else {
            continue;
        };
        // After the last `, expected ` come the type's own words and the position; the
        // value is before it (and may itself contain `, expected `).
        let Some(at) = rest.rfind(", expected ") else {
            return format!("{prefix}(not quoted)");
        };
        // `string "..."`, `integer `5``, `map`: the kind is the words before any quote.
        let kind = rest[..at]
            .split(['`', '"', '\''])
            .next()
            .unwrap_or_default();
        return format!("{prefix}{}{}", kind.trim(), &rest[at..])
            .replace("unknown variant , expected", "unknown variant, expected");
    }
    text
}

/// The `filters` of a list or prune call: a JSON map from a key to its values, as
/// `--filter key=value` builds it in the docker CLI.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Filters(BTreeMap<String, Vec<String>>);

impl Filters {
    /// Adds `value` under `key`; several values for one key match any (or, for labels,
    /// all) of them, as the engine decides.
    pub(crate) fn add(&mut self, key: &str, value: &str) {
        self.0
            .entry(key.to_string())
            .or_default()
            .push(value.to_string());
    }

    /// The query value, or `None` when there is no filter.
    pub(crate) fn to_query(&self) -> Option<String> {
        (!self.0.is_empty()).then(|| serde_json::to_string(&self.0).unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_are_a_json_map_of_lists() {
        let mut filters = Filters::default();
        assert_eq!(filters.to_query(), None);
        filters.add("label", "a=b");
        filters.add("label", "c");
        filters.add("status", "exited");
        assert_eq!(
            filters.to_query().unwrap(),
            r#"{"label":["a=b","c"],"status":["exited"]}"#
        );
    }

    #[test]
    fn errors_name_the_kind_of_a_refused_value_never_the_value() {
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct Typed {
            n: u8,
            s: String,
            e: Option<Kind>,
        }
        #[derive(Debug, Deserialize)]
        enum Kind {
            A,
        }
        for (json, kept) in [
            (
                r#""hunter2""#,
                "invalid type: string, expected struct Typed at line 1",
            ),
            (r#"{"n":"hunter2"}"#, "invalid type: string, expected u8"),
            (r#"{"n":1234567}"#, "invalid value: integer, expected u8"),
            (
                r#"{"n":1,"s":7654321}"#,
                "invalid type: integer, expected a string",
            ),
            (
                r#"{"n":1,"s":true}"#,
                "invalid type: boolean, expected a string",
            ),
            (
                r#"{"n":1,"s":"x", "e":"hunter2"}"#,
                "unknown variant, expected `A`",
            ),
            // a value that holds the words serde puts after it
            (
                r#""hunter2, expected x""#,
                "invalid type: string, expected struct Typed",
            ),
        ] {
            let e = serde_json::from_str::<Typed>(json).unwrap_err();
            let secret = ["hunter2", "7654"].iter().any(|s| json.contains(s));
            // serde itself quotes it
            assert!(!secret || e.to_string().contains("hunter2") || e.to_string().contains("7654"));
            let text = error_without_value(&e);
            assert!(text.starts_with(kept), "{json}: {text}");
            assert!(
                !text.contains("hunter2") && !text.contains("7654"),
                "{text}"
            );
        }
        // syntax errors and missing fields quote no value and keep their words
        let e = serde_json::from_str::<Typed>(r#"{"n":1"#).unwrap_err();
        assert_eq!(error_without_value(&e), e.to_string());
        let e = serde_json::from_str::<Typed>(r#"{"n":1}"#).unwrap_err();
        assert_eq!(
            error_without_value(&e),
            "missing field `s` at line 1 column 7"
        );
    }
}

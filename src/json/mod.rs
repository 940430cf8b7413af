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
}

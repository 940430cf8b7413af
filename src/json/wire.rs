//! Models that lose nothing: a value read from the engine and sent back carries what the
//! engine sent, field for field.
//!
//! Two things would otherwise be lost. Fields this crate does not type go to the model's
//! flattened `extra` map and come back from there. Typed fields cannot tell apart what the
//! engine spelt differently: a field it left out, a `null`, an empty list or string. A typed
//! field writes one spelling (an empty `Vec` is left out, an empty `String` is written), so
//! a model made with [`model!`] remembers, for each typed field whose spelling would differ,
//! what the engine sent ([`Wire`]), and writes that back for as long as the field keeps the
//! value it was read with. A field the caller changes is written as it is now.
//!
//! [`model!`] takes a struct written as usual (doc comments, then `#[serde]` attributes, on
//! the struct and on each field) and makes: the public struct, with its doc comments,
//! `#[non_exhaustive]` and a hidden `wire` field; a private mirror of it that serde derives
//! its code for; and the `Serialize` and `Deserialize` impls that put the two together.

use std::fmt;

use serde_json::Value;

/// How the engine spelt the typed fields of a value read from it, where the typed fields
/// alone would spell them otherwise. Empty for a value made by a caller.
///
/// Equality ignores it: two models are equal when their fields are.
#[derive(Clone, Default)]
pub(crate) struct Wire(Vec<Spelling>);

/// One typed field as read: the field's own spelling then, and the engine's (`None`:
/// absent).
#[derive(Clone)]
struct Spelling {
    key: String,
    typed: Option<Value>,
    sent: Option<Value>,
}

impl Wire {
    /// The differences between `typed`, the model written out as soon as it was read, and
    /// `sent`, what the engine sent. Keys in `extra` are the same in both.
    pub(crate) fn between(typed: &Value, sent: &Value) -> Wire {
        let (Some(typed), Some(sent)) = (typed.as_object(), sent.as_object()) else {
            return Wire::default();
        };
        let mut spellings = Vec::new();
        let keys = typed
            .keys()
            .chain(sent.keys().filter(|k| !typed.contains_key(*k)));
        for key in keys {
            let (t, s) = (typed.get(key), sent.get(key));
            if t != s {
                spellings.push(Spelling {
                    key: key.clone(),
                    typed: t.cloned(),
                    sent: s.cloned(),
                });
            }
        }
        Wire(spellings)
    }

    /// Whether there is nothing to put back.
    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Puts the engine's spellings back into `typed`, the model as written now, for each
    /// field that still has the value it was read with.
    pub(crate) fn apply(&self, mut typed: Value) -> Value {
        if let Some(map) = typed.as_object_mut() {
            for spelling in &self.0 {
                if map.get(&spelling.key) != spelling.typed.as_ref() {
                    continue;
                }
                match &spelling.sent {
                    Some(value) => map.insert(spelling.key.clone(), value.clone()),
                    None => map.remove(&spelling.key),
                };
            }
        }
        typed
    }
}

impl PartialEq for Wire {
    fn eq(&self, _: &Wire) -> bool {
        true
    }
}

impl Eq for Wire {}

impl fmt::Debug for Wire {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for spelling in &self.0 {
            match &spelling.sent {
                Some(value) => map.entry(&spelling.key, value),
                None => map.entry(&spelling.key, &format_args!("absent")),
            };
        }
        map.finish()
    }
}

/// Reads a model: the engine's JSON as a value, the model decoded from it by `decode`, and
/// the model's [`Wire`] from the difference between that JSON and the model written out
/// again by `encode`.
pub(crate) fn read<'de, D, T>(
    d: D,
    decode: impl FnOnce(&Value) -> serde_json::Result<T>,
    encode: impl FnOnce(&T) -> serde_json::Result<Value>,
) -> Result<(T, Wire), D::Error>
where
    D: serde::Deserializer<'de>,
{
    use serde::de::Error;
    use serde::Deserialize;
    let sent = Value::deserialize(d)?;
    let value = decode(&sent).map_err(D::Error::custom)?;
    let typed = encode(&value).map_err(D::Error::custom)?;
    let wire = Wire::between(&typed, &sent);
    Ok((value, wire))
}

/// Declares a model that loses nothing (see the module's docs). The struct is written as
/// usual, in this order: doc comments, `#[derive(...)]` (without serde's, and with
/// `Default`), `#[serde(...)]`; each field: doc comments, `#[serde(...)]`, `pub name: Type`.
macro_rules! model {
    (
        $(#[doc = $doc:literal])*
        #[derive($($derive:path),* $(,)?)]
        $(#[serde($($sattr:tt)*)])*
        pub struct $Name:ident {
            $(
                $(#[doc = $fdoc:literal])*
                $(#[serde($($fattr:tt)*)])*
                pub $field:ident : $ty:ty
            ),* $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        #[derive($($derive),*)]
        #[non_exhaustive]
        pub struct $Name {
            $(
                $(#[doc = $fdoc])*
                pub $field: $ty,
            )*
            /// How the engine spelt the typed fields.
            pub(crate) wire: $crate::json::wire::Wire,
        }

        const _: () = {
            type Remote = $Name;

            #[derive(serde::Serialize, serde::Deserialize)]
            #[serde(remote = "Remote")]
            $(#[serde($($sattr)*)])*
            struct Mirror {
                $(
                    $(#[serde($($fattr)*)])*
                    $field: $ty,
                )*
                #[serde(skip)]
                wire: $crate::json::wire::Wire,
            }

            // serde's `default` on a remote struct starts from the mirror's default.
            impl Default for Mirror {
                fn default() -> Self {
                    let d = <$Name as Default>::default();
                    Mirror {
                        $($field: d.$field,)*
                        wire: d.wire,
                    }
                }
            }

            impl serde::Serialize for $Name {
                fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                    if self.wire.is_empty() {
                        return Mirror::serialize(self, s);
                    }
                    let typed = Mirror::serialize(self, serde_json::value::Serializer)
                        .map_err(<S::Error as serde::ser::Error>::custom)?;
                    serde::Serialize::serialize(&self.wire.apply(typed), s)
                }
            }

            impl<'de> serde::Deserialize<'de> for $Name {
                fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                    let (mut value, wire) = $crate::json::wire::read(
                        d,
                        |sent| Mirror::deserialize(sent),
                        |value| Mirror::serialize(value, serde_json::value::Serializer),
                    )?;
                    value.wire = wire;
                    Ok(value)
                }
            }
        };
    };
}

pub(crate) use model;

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use serde_json::{json, Map};

    use super::*;
    use crate::json::null_as_default;

    model! {
        /// A model for the tests.
        #[derive(Clone, Debug, Default, PartialEq)]
        #[serde(rename_all = "PascalCase", default)]
        pub struct Sample {
            /// Always written.
            pub name: String,
            /// Left out when empty.
            #[serde(skip_serializing_if = "Vec::is_empty", deserialize_with = "null_as_default")]
            pub list: Vec<String>,
            /// Left out when unset.
            #[serde(skip_serializing_if = "Option::is_none")]
            pub count: Option<i64>,
            /// Nested.
            #[serde(skip_serializing_if = "Option::is_none")]
            pub inner: Option<Box<Sample>>,
            /// A map.
            #[serde(
                skip_serializing_if = "HashMap::is_empty",
                deserialize_with = "null_as_default"
            )]
            pub map: HashMap<String, String>,
            /// The rest.
            #[serde(flatten)]
            pub extra: Map<String, Value>,
        }
    }

    fn round_trip(sent: Value) -> (Sample, Value) {
        let value: Sample = serde_json::from_value(sent).unwrap();
        let back = serde_json::to_value(&value).unwrap();
        (value, back)
    }

    #[test]
    fn every_spelling_comes_back_as_it_was_sent() {
        for sent in [
            json!({}),
            json!({"Name": ""}),
            json!({"List": null, "Count": null, "Inner": null, "Map": null}),
            json!({"List": [], "Count": 0, "Map": {}}),
            json!({"Name": "a", "List": ["x"], "Count": 3, "Map": {"k": "v"}}),
            json!({"Inner": {"List": null, "Other": [1, {"Deep": null}]}, "Z": null}),
            json!({"Inner": {}, "Unknown": {"A": []}}),
        ] {
            assert_eq!(round_trip(sent.clone()).1, sent);
        }
    }

    #[test]
    fn a_changed_field_is_written_as_it_is_now() {
        let (mut value, _) = round_trip(json!({"List": null, "Count": null, "Name": "a"}));
        value.list.push("x".into());
        value.count = Some(2);
        assert_eq!(
            serde_json::to_value(&value).unwrap(),
            json!({"List": ["x"], "Count": 2, "Name": "a"})
        );
        // A field set back to what it was read as is spelt as the engine spelt it.
        let (mut value, _) = round_trip(json!({"List": [], "Count": 1}));
        value.list = vec!["y".into()];
        value.list.clear();
        value.count = None;
        assert_eq!(serde_json::to_value(&value).unwrap(), json!({"List": []}));
        let (mut value, _) = round_trip(json!({"Inner": {"Name": "n", "List": null}}));
        value.inner.as_mut().unwrap().name = "m".into();
        assert_eq!(
            serde_json::to_value(&value).unwrap(),
            json!({"Inner": {"Name": "m", "List": null}})
        );
    }

    #[test]
    fn a_value_made_here_is_written_by_its_fields_alone_and_equality_ignores_the_wire() {
        let made = Sample {
            name: "a".into(),
            ..Default::default()
        };
        assert!(made.wire.is_empty());
        assert_eq!(serde_json::to_value(&made).unwrap(), json!({"Name": "a"}));
        let (read, _) = round_trip(json!({"Name": "a", "List": null}));
        assert!(!read.wire.is_empty());
        assert_eq!(read, made);
        assert!(format!("{read:?}").contains("\"List\": Null"), "{read:?}");
    }

    #[test]
    fn errors_say_what_was_wrong() {
        let err = serde_json::from_value::<Sample>(json!({"Count": "x"})).unwrap_err();
        assert!(err.to_string().contains("invalid type"), "{err}");
        assert!(serde_json::from_value::<Sample>(json!([1])).is_err());
        assert!(serde_json::from_str::<Sample>(r#"{"Name": "a""#).is_err());
    }
}

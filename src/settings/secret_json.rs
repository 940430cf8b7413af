//! JSON that may hold registry credentials, read so that no error quotes it: the docker
//! CLI's `config.json`, a credential helper's answers, the engine's answer to a login.
//!
//! serde's type errors quote the value they refuse: a `config.json` whose `auth` entry is
//! a bare string, or a helper that prints its secret as a bare JSON string, would put the
//! secret into the error and from there into a log. So the text is read into a
//! `serde_json::Value` (a syntax error gives a position, never the text) and taken apart
//! here by hand; an error names the key and what was expected, never the value.

use serde_json::{Map, Value};

use super::auth::{AuthEntry, ConfigFile, HelperAnswer, LoginResult};

/// Reads the docker CLI's `config.json`: the parts that hold credentials. Everything else
/// in it (proxies, aliases, plugins' settings) may be anything.
pub(super) fn config_file(bytes: &[u8]) -> Result<ConfigFile, String> {
    let value = parse(bytes)?;
    let top = Object::top(&value, "an object")?;
    let mut file = ConfigFile::default();
    if let Some(auths) = top.object("auths", "an object of registries")? {
        for (server, entry) in auths.entries() {
            let entry = auths.at(server, entry, "an object such as {\"auth\": \"...\"}")?;
            let Some(entry) = entry else { continue };
            file.auths.insert(
                server.clone(),
                AuthEntry {
                    auth: entry.string("auth")?,
                    username: entry.string("username")?,
                    password: entry.string("password")?,
                    identitytoken: entry.string("identitytoken")?,
                },
            );
        }
    }
    file.creds_store = top.string("credsStore")?;
    if let Some(helpers) = top.object("credHelpers", "an object of helper names")? {
        for (server, _) in helpers.entries() {
            if let Some(name) = helpers.string(server)? {
                file.cred_helpers.insert(server.clone(), name);
            }
        }
    }
    Ok(file)
}

/// Reads what a credential helper answers to `get`: `{"ServerURL", "Username", "Secret"}`.
pub(super) fn helper_answer(bytes: &[u8]) -> Result<HelperAnswer, String> {
    let value = parse(bytes)?;
    let top = Object::top(&value, "an object with `Username` and `Secret`")?;
    Ok(HelperAnswer {
        username: top.string("Username")?.unwrap_or_default(),
        secret: top.string("Secret")?.unwrap_or_default(),
    })
}

/// Reads what a credential helper answers to `list`: an object from server to user name.
pub(super) fn helper_list(bytes: &[u8]) -> Result<Vec<String>, String> {
    let value = parse(bytes)?;
    let top = Object::top(&value, "an object from server to user name")?;
    Ok(top.entries().map(|(server, _)| server.clone()).collect())
}

/// Reads the engine's answer to `POST /auth`: `{"Status", "IdentityToken"}`.
pub(super) fn login_result(bytes: &[u8]) -> Result<LoginResult, String> {
    let value = parse(bytes)?;
    let top = Object::top(&value, "an object with `Status`")?;
    Ok(LoginResult {
        status: top.string("Status")?.unwrap_or_default(),
        identity_token: top.string("IdentityToken")?,
    })
}

/// The errors of every reader here for `bytes` (`None` where one reads it): for fuzzing.
pub(crate) fn errors(bytes: &[u8]) -> [Option<String>; 4] {
    [
        config_file(bytes).err(),
        helper_answer(bytes).err(),
        helper_list(bytes).err(),
        login_result(bytes).err(),
    ]
}

fn parse(bytes: &[u8]) -> Result<Value, String> {
    serde_json::from_slice(bytes).map_err(|e| crate::json::error_without_value(&e))
}

/// The kind of a JSON value, in words, for errors.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// A JSON object being read, with the keys that lead to it, for errors.
struct Object<'a> {
    map: &'a Map<String, Value>,
    path: String,
}

impl<'a> Object<'a> {
    fn top(value: &'a Value, expected: &str) -> Result<Object<'a>, String> {
        match value {
            Value::Object(map) => Ok(Object {
                map,
                path: String::new(),
            }),
            other => Err(format!(
                "the top level is {}, expected {expected}",
                kind(other)
            )),
        }
    }

    /// The path of `key` below this object, as `auths."r.example.com".auth`.
    fn path_of(&self, key: &str) -> String {
        let key = if !key.is_empty()
            && key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            key.to_string()
        } else {
            format!("{key:?}")
        };
        if self.path.is_empty() {
            key
        } else {
            format!("{}.{key}", self.path)
        }
    }

    fn wrong(&self, key: &str, value: &Value, expected: &str) -> String {
        format!(
            "`{}` is {}, expected {expected}",
            self.path_of(key),
            kind(value)
        )
    }

    fn entries(&self) -> impl Iterator<Item = (&'a String, &'a Value)> {
        self.map.iter()
    }

    /// `value`, found under `key`, as an object; `None` for null.
    fn at(
        &self,
        key: &str,
        value: &'a Value,
        expected: &str,
    ) -> Result<Option<Object<'a>>, String> {
        match value {
            Value::Null => Ok(None),
            Value::Object(map) => Ok(Some(Object {
                map,
                path: self.path_of(key),
            })),
            other => Err(self.wrong(key, other, expected)),
        }
    }

    /// The object under `key`; `None` when missing or null.
    fn object(&self, key: &str, expected: &str) -> Result<Option<Object<'a>>, String> {
        match self.map.get(key) {
            None => Ok(None),
            Some(value) => self.at(key, value, expected),
        }
    }

    /// The string under `key`; `None` when missing or null.
    fn string(&self, key: &str) -> Result<Option<String>, String> {
        match self.map.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => Err(self.wrong(key, other, "a string")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "hunter2-secret";

    fn config_error(json: &str) -> String {
        match config_file(json.as_bytes()) {
            Ok(_) => panic!("{json} was read"),
            Err(e) => e,
        }
    }

    #[test]
    fn a_broken_config_names_the_key_never_the_value() {
        for (json, says) in [
            (
                format!(r#"{{"auths": {{"r.example.com": "{SECRET}"}}}}"#),
                r#"`auths."r.example.com"` is a string, expected an object"#,
            ),
            (
                format!(r#"{{"auths": {{"r.example.com": {{"auth": ["{SECRET}"]}}}}}}"#),
                r#"`auths."r.example.com".auth` is a list, expected a string"#,
            ),
            (
                r#"{"auths": {"r": {"password": 8675309}}}"#.to_string(),
                "`auths.r.password` is a number, expected a string",
            ),
            (
                format!(r#"{{"auths": {{"r": {{"identitytoken": {{"t": "{SECRET}"}}}}}}}}"#),
                "`auths.r.identitytoken` is an object, expected a string",
            ),
            (
                format!(r#"{{"auths": "{SECRET}"}}"#),
                "`auths` is a string, expected an object",
            ),
            (
                format!(r#""{SECRET}""#),
                "the top level is a string, expected an object",
            ),
            (
                format!(r#"{{"credHelpers": {{"r": ["{SECRET}"]}}}}"#),
                "`credHelpers.r` is a list, expected a string",
            ),
            (
                format!(r#"{{"auths": {{"r": {{"auth": "{SECRET}"}}}}"#),
                "EOF while parsing an object at line 1",
            ),
        ] {
            let e = config_error(&json);
            assert!(e.starts_with(says), "{json}: {e}");
            assert!(!e.contains(SECRET) && !e.contains("8675309"), "{e}");
        }
    }

    #[test]
    fn a_good_config_is_read_and_the_rest_ignored() {
        let file = config_file(
            br#"{"auths": {"a": {"auth": "dTpw", "email": 5}, "b": null},
                 "credsStore": "pass", "credHelpers": {"c": "secretservice", "d": null},
                 "proxies": {"default": {"httpProxy": 1}}, "currentContext": "x"}"#,
        )
        .unwrap();
        assert_eq!(file.auths.len(), 1);
        assert_eq!(file.auths["a"].auth.as_deref(), Some("dTpw"));
        assert_eq!(file.creds_store.as_deref(), Some("pass"));
        assert_eq!(file.cred_helpers.len(), 1);
        assert!(config_file(b"{}").unwrap().auths.is_empty());
    }

    #[test]
    fn helper_and_login_answers_name_the_key_never_the_value() {
        for (json, says) in [
            (format!(r#""{SECRET}""#), "the top level is a string"),
            (
                format!(r#"{{"Username": "u", "Secret": ["{SECRET}"]}}"#),
                "`Secret` is a list, expected a string",
            ),
        ] {
            let e = helper_answer(json.as_bytes()).err().unwrap();
            assert!(e.starts_with(says), "{e}");
            assert!(!e.contains(SECRET), "{e}");
        }
        let e = helper_list(format!(r#"["{SECRET}"]"#).as_bytes()).unwrap_err();
        assert!(e.starts_with("the top level is a list"), "{e}");
        for json in [
            format!(r#""{SECRET}""#),
            format!(r#"{{"Status": "ok", "IdentityToken": {{"t": "{SECRET}"}}}}"#),
            r#"{"Status": "ok", "IdentityToken": 8675309}"#.to_string(),
        ] {
            let e = login_result(json.as_bytes()).err().unwrap();
            assert!(!e.contains(SECRET) && !e.contains("8675309"), "{e}");
        }
        let good = login_result(br#"{"Status":"Login Succeeded","IdentityToken":"t"}"#).unwrap();
        assert_eq!(good.status, "Login Succeeded");
        assert_eq!(good.identity_token.as_deref(), Some("t"));
        let answer = helper_answer(br#"{"ServerURL":"s","Username":"u","Secret":"p"}"#).unwrap();
        assert_eq!(
            (answer.username.as_str(), answer.secret.as_str()),
            ("u", "p")
        );
    }
}

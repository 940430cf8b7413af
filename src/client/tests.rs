use super::response::engine_message;
use super::version::{is_version_refusal, negotiate};
use super::*;
use crate::error::Error;

#[test]
fn reference_paths_keep_slashes_and_refuse_dot_parts() {
    assert_eq!(
        reference_path("plugin name", "/plugins", "127.0.0.1:5000/a/b:1", "/json").unwrap(),
        "/plugins/127.0.0.1%3A5000/a/b%3A1/json"
    );
    assert_eq!(
        reference_path("plugin name", "/plugins", "x?y#z", "").unwrap(),
        "/plugins/x%3Fy%23z"
    );
    for bad in ["", "..", "a/../b", "a//b", "/a", "a/", "./a"] {
        let err = reference_path("plugin name", "/plugins", bad, "/json").unwrap_err();
        assert!(matches!(err, Error::Setting { .. }), "{bad:?}: {err}");
    }
}

#[test]
fn segments_are_percent_encoded() {
    assert_eq!(encode_segment("abc-DEF_1.2~"), "abc-DEF_1.2~");
    assert_eq!(encode_segment("../x"), "..%2Fx");
    assert_eq!(encode_segment("a b?c=d&e#f"), "a%20b%3Fc%3Dd%26e%23f");
    assert_eq!(encode_segment("é"), "%C3%A9");
}

#[test]
fn the_engines_words_for_a_refused_version_are_recognised() {
    for refused in [
        "client version 1.41 is too old. Minimum supported API version is 1.44, please upgrade your client to a newer version",
        "client version 1.99 is too new. Maximum supported API version is 1.51",
        "client version 1.10 is not supported",
    ] {
        assert!(is_version_refusal(refused), "{refused}");
    }
    assert!(!is_version_refusal("No such container: x"));
    let err = Error::VersionRefused {
        pinned: ApiVersion::new(1, 41),
        setting: "DOCKER_VERSION (docker.cfg line 2)".into(),
        minimum: Some(ApiVersion::new(1, 44)),
        maximum: Some(ApiVersion::new(1, 51)),
        message: "client version 1.41 is too old".into(),
        request: "GET /containers/json".into(),
    };
    assert_eq!(err.status(), Some(400));
    let text = err.to_string();
    assert!(text.contains("API version 1.41, pinned by DOCKER_VERSION (docker.cfg line 2)"));
    assert!(text.contains("it accepts 1.44 to 1.51"), "{text}");
    assert!(text.contains("or to `auto`"), "{text}");
}

#[test]
fn negotiation_downgrades_only_and_refuses_old_engines() {
    assert_eq!(negotiate(Some("1.41")).unwrap().to_string(), "1.41");
    assert_eq!(negotiate(Some("1.99")).unwrap(), ApiVersion::NEWEST);
    assert_eq!(negotiate(None).unwrap(), ApiVersion::OLDEST);
    let old = negotiate(Some("1.12")).unwrap_err();
    assert!(matches!(old, Error::EngineTooOld { .. }), "{old}");
    assert!(negotiate(Some("banana")).is_err());
}

#[test]
fn engine_messages_come_from_json_or_text() {
    assert_eq!(
        engine_message(br#"{"message":"No such image"}"#),
        "No such image"
    );
    assert_eq!(engine_message(b"page not found\n"), "page not found");
}

#[test]
fn a_cell_refuses_use_before_init_and_a_second_init() {
    static CELL: DockerCell = DockerCell::new();
    assert!(matches!(CELL.get(), Err(Error::Cell { .. })));
    let docker = Docker::connect("unix:///nowhere.sock").unwrap();
    CELL.init_with(docker.clone()).unwrap();
    assert!(CELL.get().is_ok());
    assert!(matches!(CELL.init_with(docker), Err(Error::Cell { .. })));
}

#[cfg(not(feature = "tls"))]
#[test]
fn without_the_tls_feature_a_tls_setting_names_the_feature() {
    for settings in [
        Settings::new("https://localhost:2376").unwrap(),
        Settings::new("tcp://localhost:2376")
            .unwrap()
            .with_tls(true),
    ] {
        let err = Docker::new(settings).unwrap_err();
        assert!(
            matches!(err, Error::FeatureDisabled { feature: "tls", .. }),
            "{err}"
        );
        assert!(err.to_string().contains("`tls` feature"), "{err}");
    }
}

#[test]
fn the_client_is_send_sync_and_cheap_to_clone() {
    fn check<T: Send + Sync + Clone>() {}
    check::<Docker>();
    check::<CancelHandle>();
}

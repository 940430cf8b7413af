use super::reference::{image_path, parse_reference, Reference};
use super::*;

#[test]
fn image_paths_keep_slashes_and_encode_the_rest() {
    assert_eq!(
        image_path("busybox:latest", "/json").unwrap(),
        "/images/busybox%3Alatest/json"
    );
    assert_eq!(
        image_path("127.0.0.1:5000/team/app:1", "/push").unwrap(),
        "/images/127.0.0.1%3A5000/team/app%3A1/push"
    );
    assert_eq!(
        image_path("sha256:abc", "").unwrap(),
        "/images/sha256%3Aabc"
    );
    assert_eq!(
        image_path("a?b#c", "/json").unwrap(),
        "/images/a%3Fb%23c/json"
    );
    for bad in [
        "",
        "..",
        "../containers/x",
        "a/../b",
        "a/./b",
        "a//b",
        "/a",
        "a/",
    ] {
        assert!(image_path(bad, "/json").is_err(), "{bad:?}");
    }
}

const HEX: &str = "5a1f4a5e9d8a3c6b1b8c2b0e2c7e0f0d6a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d";

#[test]
fn references_split_as_the_docker_cli_splits_them() {
    let r = |repo, tag, digest| Reference { repo, tag, digest };
    let digest = format!("sha256:{HEX}");
    let d = Some(digest.as_str());
    let with_digest = |name: &str| format!("{name}@{digest}");
    for (name, want) in [
        ("busybox".to_string(), r("busybox", None, None)),
        ("busybox:1.36".into(), r("busybox", Some("1.36"), None)),
        (
            "library/busybox:latest".into(),
            r("library/busybox", Some("latest"), None),
        ),
        // the colon after a registry host is its port, not a tag
        (
            "localhost:5000/app".into(),
            r("localhost:5000/app", None, None),
        ),
        (
            "localhost:5000/app:1".into(),
            r("localhost:5000/app", Some("1"), None),
        ),
        (
            "127.0.0.1:5000/team/app:2".into(),
            r("127.0.0.1:5000/team/app", Some("2"), None),
        ),
        (
            "[::1]:5000/app:3".into(),
            r("[::1]:5000/app", Some("3"), None),
        ),
        ("[fe80::1]/app".into(), r("[fe80::1]/app", None, None)),
        (
            "registry.example.com/team/app".into(),
            r("registry.example.com/team/app", None, None),
        ),
        (
            "Registry.Example.com:443/a/b/c:v1.2-rc_3".into(),
            r("Registry.Example.com:443/a/b/c", Some("v1.2-rc_3"), None),
        ),
        // a name without a slash: `localhost:5000` is the image `localhost`, tag `5000`
        ("localhost:5000".into(), r("localhost", Some("5000"), None)),
        (
            "a__b/c-d---e.f_g:_x".into(),
            r("a__b/c-d---e.f_g", Some("_x"), None),
        ),
        (with_digest("busybox"), r("busybox", None, d)),
        (
            with_digest("localhost:5000/a/b:t"),
            r("localhost:5000/a/b", Some("t"), d),
        ),
        (
            format!("app@sha512:{HEX}{HEX}"),
            r("app", None, Some(&format!("sha512:{HEX}{HEX}"))),
        ),
        (
            format!("app:{}", "t".repeat(128)),
            r("app", Some(&"t".repeat(128)), None),
        ),
    ] {
        assert_eq!(parse_reference(&name).unwrap(), want, "{name}");
    }
}

#[test]
fn a_bad_reference_says_what_is_wrong_and_the_forms_it_may_take() {
    let long_name = "a".repeat(256);
    let long_tag = format!("app:{}", "t".repeat(129));
    for (name, why) in [
        ("", "empty"),
        (":1", "name before the tag or digest is empty"),
        ("app:", "tag \"\""),
        ("App:1", "not lowercase"),
        ("team/App", "not lowercase"),
        ("app:-x", "tag \"-x\""),
        ("app:.x", "tag \".x\""),
        ("app:a b", "tag"),
        (long_tag.as_str(), "tag"),
        (long_name.as_str(), "255"),
        ("a//b", "empty part"),
        ("/a", "empty part"),
        ("a/", "empty part"),
        ("app::1", "\"app:\""),
        ("a/b:c/d", "\"b:c\""),
        ("-app", "\"-app\""),
        ("app-", "\"app-\""),
        ("a..b", "\"a..b\""),
        ("a___b", "\"a___b\""),
        ("ex-.com/app", "registry host"),
        ("localhost:port/app", "registry host"),
        ("[::1/app", "registry host"),
        ("app@sha256", "no `algorithm:`"),
        ("app@sha256:abc", "3 hex digits, not 64"),
        ("app@:abc", "algorithm"),
        ("app@sha256:zz", "not hex digits"),
        ("app@5ha256:abc", "algorithm"),
    ] {
        let err = parse_reference(name).unwrap_err();
        let text = err.to_string();
        assert!(
            matches!(err, crate::Error::Setting { .. }),
            "{name:?}: {err:?}"
        );
        assert!(text.contains(&format!("{name:?}")), "{name:?}: {text}");
        assert!(
            text.contains("name[:tag] or name@digest"),
            "{name:?}: {text}"
        );
        assert!(text.contains(why), "{name:?}: {text}");
    }
}

#[test]
fn tags_and_digests_are_filled_in_as_the_docker_cli_does() {
    let digest = format!("app@sha256:{HEX}");
    let r = parse_reference("app").unwrap();
    assert_eq!((r.tag_or_latest(), r.pull_tag()), ("latest", "latest"));
    let r = parse_reference("app:2").unwrap();
    assert_eq!((r.tag_or_latest(), r.pull_tag()), ("2", "2"));
    let r = parse_reference(&digest).unwrap();
    assert_eq!(r.pull_tag(), format!("sha256:{HEX}"));
    let err = parse_reference(&digest)
        .unwrap()
        .without_digest(&digest, "a push")
        .unwrap_err();
    assert!(err.to_string().contains("a push takes no digest"), "{err}");
    assert!(parse_reference("app:2")
        .unwrap()
        .without_digest("app:2", "a tag")
        .is_ok());
}

#[test]
fn a_bad_reference_fails_before_anything_is_sent() {
    use crate::{Docker, PullOptions, PushOptions};
    // Nothing listens there: a request would fail with a transport error.
    let docker = Docker::connect("unix:///nonexistent/dockhand.sock").unwrap();
    let digest = format!("app@sha256:{HEX}");
    let failures = [
        docker.images().pull(&PullOptions::new("App:1")).map(drop),
        docker.images().push(&PushOptions::new("app:")).map(drop),
        docker.images().push(&PushOptions::new(&digest)).map(drop),
        docker.image("busybox").tag("a b"),
        docker.image("busybox").tag(&digest),
        docker
            .images()
            .commit(&CommitOptions::new("c").tag("x/:1"))
            .map(drop),
        docker
            .images()
            .import(std::io::empty(), &ImportOptions::new().tag("UP"))
            .map(drop),
    ];
    for failure in failures {
        let err = failure.unwrap_err();
        assert!(matches!(err, crate::Error::Setting { .. }), "{err:?}");
    }
}

#[test]
fn progress_lines_decode_and_print_as_the_cli_does() {
    let p: Progress = serde_json::from_str(
        r#"{"status":"Downloading","progressDetail":{"current":10,"total":20},
                "progress":"[==>  ] 10B/20B","id":"abc"}"#,
    )
    .unwrap();
    assert_eq!(
        p.progress_detail,
        Some(ProgressDetail {
            current: Some(10),
            total: Some(20)
        })
    );
    assert_eq!(p.message(), "abc: Downloading [==>  ] 10B/20B");
    let p: Progress =
        serde_json::from_str(r#"{"status":"Pull complete","progressDetail":{},"id":"abc"}"#)
            .unwrap();
    assert_eq!(p.progress_detail, Some(ProgressDetail::default()));
    let p: Progress = serde_json::from_str(r#"{"stream":"Loaded image: a:b\n"}"#).unwrap();
    assert_eq!(p.message(), "Loaded image: a:b");
}

#[test]
fn null_lists_from_the_engine_read_as_empty() {
    let s: ImageSummary = serde_json::from_str(
        r#"{"Id":"sha256:1","RepoTags":null,"RepoDigests":null,"Labels":null,"Size":5}"#,
    )
    .unwrap();
    assert!(s.repo_tags.is_empty() && s.labels.is_empty());
    assert_eq!(s.size, 5);
    let p: PruneImagesResult =
        serde_json::from_str(r#"{"ImagesDeleted":null,"SpaceReclaimed":0}"#).unwrap();
    assert!(p.images_deleted.is_empty());
}

#[test]
fn virtual_size_is_the_size_where_the_engine_leaves_it_out() {
    // API 1.44 and newer (Docker 28.5's answer), then API 1.41.
    let new: Vec<ImageSummary> = serde_json::from_str(
        r#"[{"Containers":0,"Created":1796054970,"Id":"sha256:e180f4","Labels":{"a":"1"},
                 "ParentId":"","RepoDigests":[],"RepoTags":["t:latest"],"SharedSize":-1,
                 "Size":1984240}]"#,
    )
    .unwrap();
    assert_eq!((new[0].size, new[0].virtual_size), (1984240, 1984240));
    let old: ImageSummary =
        serde_json::from_str(r#"{"Id":"sha256:1","Size":5,"VirtualSize":7}"#).unwrap();
    assert_eq!((old.size, old.virtual_size), (5, 7));
    let zero: ImageSummary =
        serde_json::from_str(r#"{"Id":"sha256:1","Size":5,"VirtualSize":0}"#).unwrap();
    assert_eq!(zero.virtual_size, 5);
}

#[test]
fn an_image_inspect_of_api_1_52_without_its_empty_fields_decodes() {
    // API 1.52 leaves out empty Parent, Comment, DockerVersion, Author and Config fields.
    let text = r#"{"Id":"sha256:e180f4","RepoTags":["t:latest"],"RepoDigests":[],
            "Created":"2025-11-30T16:09:30.167038629Z","Architecture":"amd64","Os":"linux",
            "Size":1984240,"RootFS":{"Type":"layers","Layers":["sha256:f3aab4"]},
            "Metadata":{"LastTagTime":"0001-01-01T00:00:00Z"},
            "Config":{"Cmd":["/bin/sh"],"Env":["PATH=/bin"]},
            "Descriptor":{"mediaType":"application/vnd.oci.image.index.v1+json"}}"#;
    let image: ImageInspect = serde_json::from_str(text).unwrap();
    assert_eq!(image.parent, "");
    assert_eq!(image.author, "");
    assert_eq!(image.config.cmd, Some(vec!["/bin/sh".to_string()]));
    assert_eq!(image.config.entrypoint, None);
    assert_eq!(image.root_fs.layers.len(), 1);
    assert!(image.extra.contains_key("Descriptor"));
    // Its config goes back as it came.
    let sent: serde_json::Value = serde_json::from_str(text).unwrap();
    assert_eq!(serde_json::to_value(&image.config).unwrap(), sent["Config"]);
    let absent: ImageInspect = serde_json::from_str(r#"{"Id":"sha256:e"}"#).unwrap();
    assert!(absent.config.cmd.is_none() && absent.repo_tags.is_empty());
}

#[test]
fn a_push_digest_comes_from_aux_or_from_the_last_status_line() {
    let line = |text: &str| serde_json::from_str::<Progress>(text).unwrap();
    let digest = "sha256:5a1f4a5e9d8a3c6b1b8c2b0e2c7e0f0d6a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d";
    let aux = line(&format!(
        r#"{{"progressDetail":{{}},"aux":{{"Tag":"1","Digest":"{digest}","Size":527}}}}"#
    ));
    assert_eq!(aux.pushed_digest(), Some(digest));
    // Docker with the containerd image store, and Podman: no aux line.
    let status = line(&format!(r#"{{"status":"1: digest: {digest} size: 527"}}"#));
    assert_eq!(status.pushed_digest(), Some(digest));
    for other in [
        format!(r#"{{"status":"Digest: {digest}"}}"#),
        r#"{"status":"Pushed","id":"f3aab42f1fcd"}"#.to_string(),
        r#"{"status":"latest: digest: not a digest size: 1"}"#.to_string(),
        r#"{"status":"latest: digest: sha256:ab size: many"}"#.to_string(),
        r#"{"stream":"x"}"#.to_string(),
    ] {
        assert_eq!(line(&other).pushed_digest(), None, "{other}");
    }
}

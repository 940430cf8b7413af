//! Pull, push and registry auth against real registries: the open one on 127.0.0.1:5000 and
//! the TLS + htpasswd one on 127.0.0.1:5443 that `scripts/engine-up` starts.

mod common;
mod imagekit;

use std::io::Cursor;
use std::time::Instant;

use dockhand::image::RemoveImageOptions;
use dockhand::{
    Auth, BuildOptions, Credentials, Error, JsonStream, Progress, PullOptions, PushOptions,
};
use imagekit::{registries, tar, ImageScope, Registries, Scratch};

/// A small labelled image named `name`, with a file that says `what`.
fn image_named(scope: &ImageScope, name: &str, what: &str) -> String {
    let dockerfile = format!(
        "FROM {}\nRUN echo '{what}' > /what\nCMD [\"cat\", \"/what\"]\n",
        common::image()
    );
    scope.build(&dockerfile, &[], &[name])
}

/// Removes `name` and the image it names, so that a pull must fetch it again.
fn remove_local(scope: &ImageScope, name: &str) {
    scope
        .docker()
        .image(name)
        .remove(&RemoveImageOptions::new().force(true))
        .unwrap();
    assert!(!scope.exists(name), "{name} is still here");
}

fn pull(scope: &ImageScope, options: &PullOptions) -> dockhand::Result<Vec<Progress>> {
    scope
        .docker()
        .images()
        .pull(options)?
        .collect::<dockhand::Result<Vec<_>>>()
}

#[test]
fn push_remove_pull_and_run_through_the_open_registry() {
    let Some(Registries { open, .. }) = registries() else {
        return;
    };
    let scope = ImageScope::new("registry-open");
    let docker = scope.docker();
    let name = format!("{}:1", scope.name(&format!("{open}/"), "roundtrip"));
    let id = image_named(&scope, &name, "pushed and pulled");

    // push: progress per layer, the digest at the end
    let pushed: Vec<Progress> = docker
        .images()
        .push(&PushOptions::new(&name))
        .unwrap()
        .collect::<dockhand::Result<_>>()
        .unwrap();
    let digest = pushed
        .iter()
        .find_map(|p| p.pushed_digest().map(String::from))
        .unwrap_or_else(|| panic!("no digest in {pushed:?}"));
    assert!(digest.starts_with("sha256:"), "{digest}");

    remove_local(&scope, &name);

    // pull: progress arrives while the pull is still going (the image is not there yet)
    let started = Instant::now();
    let mut stream = docker.images().pull(&PullOptions::new(&name)).unwrap();
    let first = stream.next().unwrap().unwrap();
    let first_at = started.elapsed();
    assert!(
        !scope.exists(&name),
        "the first progress line came after the pull finished"
    );
    let rest: Vec<Progress> = stream.collect::<dockhand::Result<_>>().unwrap();
    let done_at = started.elapsed();
    println!(
        "pull: first line {:?} after {first_at:?}; {} more lines; done after {done_at:?}",
        first.message(),
        rest.len()
    );
    for p in &rest {
        println!("  {}", p.message());
    }
    // Podman's last word on a layer is "Download complete".
    let complete = if common::is_podman() {
        "Download complete"
    } else {
        "Pull complete"
    };
    assert!(rest.iter().any(|p| p.status.as_deref() == Some(complete)));
    if !common::is_podman() {
        // Podman's pull does not say the digest.
        assert!(rest
            .iter()
            .any(|p| p.message().contains(&format!("Digest: {digest}"))));
    }

    let inspect = docker.image(&name).inspect().unwrap();
    assert_eq!(inspect.id, id, "the same image came back");
    assert!(inspect.repo_digests.iter().any(|d| d.ends_with(&digest)));
    let (code, out) = scope.run(&name, &[]);
    assert_eq!((code, out.as_str()), (0, "pushed and pulled\n"));

    // a tag that is not there: the registry's words (an HTTP error, since the engine had
    // sent nothing yet; an error item when it fails later)
    let missing = format!("{}:missing", name.strip_suffix(":1").unwrap());
    let err = pull(&scope, &PullOptions::new(&missing)).unwrap_err();
    println!("missing tag: {err}");
    assert!(is_engine_or_stream(&err), "{err:?}");
    let words = if common::is_podman() {
        "manifest unknown"
    } else {
        "not found"
    };
    assert!(err.to_string().contains(words), "{err}");
}

/// Pushes `options` to its end; returns the tags pushed, with their digests (from the
/// `TAG: digest: sha256:... size: N` lines every engine writes).
fn push(scope: &ImageScope, options: &PushOptions) -> Vec<(String, String)> {
    let lines: Vec<Progress> = scope
        .docker()
        .images()
        .push(options)
        .unwrap()
        .collect::<dockhand::Result<_>>()
        .unwrap();
    let mut pushed: Vec<(String, String)> = lines
        .iter()
        .filter_map(|p| {
            let digest = p.pushed_digest()?;
            let (tag, _) = p.status.as_deref()?.split_once(": digest: ")?;
            Some((tag.to_string(), digest.to_string()))
        })
        .collect();
    pushed.sort();
    pushed
}

#[test]
fn whole_references_push_one_tag_or_all_and_pull_by_tag_digest_or_latest() {
    let Some(Registries { open, .. }) = registries() else {
        return;
    };
    let scope = ImageScope::new("registry-refs");
    let docker = scope.docker();
    // The registry's host has a port: `127.0.0.1:5000/...` with no tag after it.
    let repo = scope.name(&format!("{open}/"), "refs");
    let (a, b, latest) = (
        format!("{repo}:a"),
        format!("{repo}:b"),
        format!("{repo}:latest"),
    );
    for name in [&b, &latest] {
        scope.track(name);
    }
    let id = image_named(&scope, &a, "by reference");
    docker.image(&a).tag(&b).unwrap();
    docker.image(&a).tag(&repo).unwrap(); // no tag: latest

    // one tag: the registry then has `a` only
    let pushed = push(&scope, &PushOptions::new(&a));
    assert_eq!(pushed.len(), 1, "{pushed:?}");
    let (tag, digest) = pushed[0].clone();
    assert_eq!(tag, "a");
    let err = pull(&scope, &PullOptions::new(&b)).unwrap_err();
    assert!(is_engine_or_stream(&err), "{err:?}");

    // a digest cannot be pushed: refused before anything is sent
    let by_digest = format!("{repo}@{digest}");
    let refused = docker
        .images()
        .push(&PushOptions::new(&by_digest))
        .unwrap_err();
    assert!(matches!(refused, Error::Setting { .. }), "{refused:?}");
    assert!(refused.to_string().contains("takes no digest"), "{refused}");

    // no tag: every tag of the name, as the engine does it (Podman pushes `latest` only)
    let all = push(&scope, &PushOptions::new(&repo));
    println!("pushed without a tag: {all:?}");
    for name in [&a, &b, &latest] {
        let _ = docker
            .image(name)
            .remove(&RemoveImageOptions::new().force(true));
    }
    assert!(!scope.exists(&id));
    let tags: Vec<&str> = all.iter().map(|(tag, _)| tag.as_str()).collect();
    if common::is_podman() {
        assert_eq!(tags, ["latest"]);
    } else {
        assert_eq!(tags, ["a", "b", "latest"]);
        pull(&scope, &PullOptions::new(&b)).unwrap();
        assert_eq!(docker.image(&b).inspect().unwrap().id, id);
    }

    // pull without a tag: latest
    pull(&scope, &PullOptions::new(&repo)).unwrap();
    assert_eq!(docker.image(&latest).inspect().unwrap().id, id);

    // pull by digest: the image, known by its digest
    docker
        .image(&latest)
        .remove(&RemoveImageOptions::new().force(true))
        .unwrap();
    let _ = docker
        .image(&b)
        .remove(&RemoveImageOptions::new().force(true));
    assert!(!scope.exists(&id));
    pull(&scope, &PullOptions::new(&by_digest)).unwrap();
    let inspect = docker.image(&by_digest).inspect().unwrap();
    assert_eq!(inspect.id, id);
    assert!(
        inspect.repo_digests.iter().any(|d| d.ends_with(&digest)),
        "{:?}",
        inspect.repo_digests
    );
    scope.track(&by_digest);
}

/// A pull fails with an HTTP error when the engine fails before it sent anything, and with
/// an error item of the stream after.
fn is_engine_or_stream(err: &Error) -> bool {
    matches!(err, Error::Engine { .. } | Error::Stream { .. })
}

/// The helper program the docker CLI would run: answers for the protected registry only.
fn write_helper(dir: &Scratch, user: &str, password: &str) {
    let script = format!(
        "#!/bin/sh\n\
         read -r server || true\n\
         case \"$1\" in\n\
         get)\n\
           if [ \"$server\" = 127.0.0.1:5443 ]; then\n\
             printf '{{\"ServerURL\":\"%s\",\"Username\":\"{user}\",\"Secret\":\"{password}\"}}' \"$server\"\n\
           else\n\
             echo 'credentials not found in native keychain'; exit 1\n\
           fi ;;\n\
         list) printf '{{\"127.0.0.1:5443\":\"{user}\"}}' ;;\n\
         *) echo \"unknown action $1\"; exit 1 ;;\n\
         esac\n"
    );
    dir.file("bin/docker-credential-dockhandtest", &script);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let path = dir.0.join("bin/docker-credential-dockhandtest");
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}

#[test]
fn the_protected_registry_takes_credentials_from_the_caller_the_file_or_a_helper() {
    let Some(registry) = registries() else {
        return;
    };
    let scope = ImageScope::new("registry-auth");
    let docker = scope.docker();
    let server = registry.auth.as_str();
    let name = format!("{}:1", scope.name(&format!("{server}/"), "protected"));
    image_named(&scope, &name, "from behind a password");
    let creds = Credentials::new(&registry.user, &registry.password);

    // login: right and wrong
    let login = docker.login(&creds.clone().server(server)).unwrap();
    assert_eq!(login.status, "Login Succeeded");
    let wrong = docker
        .login(&Credentials::new(&registry.user, "not-the-password").server(server))
        .unwrap_err();
    println!("wrong password: {wrong}");
    // A refusal from the engine, whatever its words: 20.10 answers 500 with the registry's
    // 401 in the message; 26.1 and later retry a refused 127.0.0.1 registry over plain
    // HTTP (loopback registries count as insecure) and report that attempt's 400.
    assert!(
        matches!(
            wrong,
            Error::Engine {
                status: 401 | 500,
                ..
            }
        ),
        "{wrong:?}"
    );
    assert!(!format!("{wrong} {wrong:?}").contains("not-the-password"));

    // push needs credentials
    let anonymous = docker
        .images()
        .push(&PushOptions::new(&name))
        .and_then(JsonStream::finish)
        .unwrap_err();
    println!("anonymous push: {anonymous}");
    let words = if common::is_podman() {
        "authentication required"
    } else {
        "no basic auth credentials"
    };
    assert!(anonymous.to_string().contains(words), "{anonymous}");
    docker
        .images()
        .push(&PushOptions::new(&name).credentials(creds.clone()))
        .unwrap()
        .finish()
        .unwrap();
    remove_local(&scope, &name);

    // pull without credentials: the engine's refusal. dockerd treats 127.0.0.0/8 as an
    // insecure registry, so after the TLS endpoint's 401 it tries plain HTTP on the TLS port
    // and reports that attempt's failure (a reset), as `docker pull` shows it too.
    let err = pull(&scope, &PullOptions::new(&name)).unwrap_err();
    println!("anonymous pull: {err}");
    assert!(is_engine_or_stream(&err), "{err:?}");
    assert!(err.to_string().contains(server), "{err}");
    assert!(!scope.exists(&name));

    // 1. the caller's credentials
    pull(&scope, &PullOptions::new(&name).credentials(creds.clone())).unwrap();
    assert!(scope.exists(&name));
    remove_local(&scope, &name);

    // 2. a docker CLI config.json with an `auths` entry (base64 user:password)
    let config = Scratch::new("registry-config");
    let encoded = {
        // what `docker login` writes; built here with the engine's own help: none needed
        let raw = format!("{}:{}", registry.user, registry.password);
        base64(raw.as_bytes())
    };
    config.file(
        "config.json",
        &format!(r#"{{"auths": {{"{server}": {{"auth": "{encoded}"}}}}}}"#),
    );
    let from_file = Auth::from_config_dir(&config.0).unwrap();
    assert!(!format!("{from_file:?}").contains(&registry.password));
    pull(&scope, &PullOptions::new(&name).auth(from_file.clone())).unwrap();
    assert!(scope.exists(&name));
    remove_local(&scope, &name);

    // the caller's credentials win over the file's
    let overridden = from_file.with_credentials(server, Credentials::new("nobody", "wrong"));
    let err = pull(&scope, &PullOptions::new(&name).auth(overridden)).unwrap_err();
    assert!(is_engine_or_stream(&err), "{err:?}");
    assert!(!err.to_string().contains(&registry.password), "{err}");
    assert!(!scope.exists(&name));

    // 3. a credential helper, through credHelpers and through credsStore
    let helper = Scratch::new("registry-helper");
    write_helper(&helper, &registry.user, &registry.password);
    let path = format!("{}:/usr/bin:/bin", helper.0.join("bin").display());
    for config_json in [
        format!(r#"{{"credHelpers": {{"{server}": "dockhandtest"}}}}"#),
        r#"{"credsStore": "dockhandtest"}"#.to_string(),
    ] {
        helper.file("config.json", &config_json);
        let auth = Auth::from_config_dir(&helper.0).unwrap().helper_path(&path);
        let found = auth.credentials_for_image(&name).unwrap().unwrap();
        assert_eq!(found.username(), registry.user);
        // a server the helper does not know: no credentials, not an error
        assert!(auth.credentials_for("other.example.com").unwrap().is_none());
        pull(&scope, &PullOptions::new(&name).auth(auth)).unwrap();
        assert!(scope.exists(&name), "{config_json}");
        remove_local(&scope, &name);
    }

    // a helper that is not installed: a clear error naming it
    helper.file("config.json", r#"{"credsStore": "nosuchhelper"}"#);
    let missing = Auth::from_config_dir(&helper.0)
        .unwrap()
        .helper_path(&path)
        .credentials_for(server)
        .unwrap_err();
    println!("missing helper: {missing}");
    assert!(
        missing
            .to_string()
            .contains("docker-credential-nosuchhelper"),
        "{missing}"
    );

    // 4. a build whose FROM is behind the password: X-Registry-Config carries it
    let dockerfile = format!("FROM {name}\nRUN echo built on top > /top\n");
    let build = |options: BuildOptions| {
        docker
            .images()
            .build(
                Cursor::new(tar(&[("Dockerfile", dockerfile.as_bytes())])),
                &options,
            )
            .and_then(|s| s.image_id(|item| scope.note(item)))
    };
    let err = build(scope.build_options()).unwrap_err();
    println!("build without credentials: {err}");
    assert!(is_engine_or_stream(&err), "{err:?}");
    let id = build(
        scope
            .build_options()
            .auth(Auth::new().with_credentials(server, creds.clone())),
    )
    .unwrap();
    scope.track(&name); // the build pulled the base image
    let (_, out) = scope.run(&id, &["cat", "/what", "/top"]);
    assert_eq!(out, "from behind a password\nbuilt on top\n");
}

/// Standard base64, as `docker login` writes `auths` entries (test-side copy).
fn base64(data: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(A[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

//! Builds against the real engine: from a folder with a `.dockerignore`, from a tar, with
//! build arguments, labels, a target stage, and a failing step.

mod common;
mod imagekit;

use std::io::Cursor;

use dockhand::image::BuildContext;
use dockhand::{BuildItem, Error};
use imagekit::{tar, ImageScope, Scratch};

#[test]
fn a_folder_is_sent_as_dockerignore_says() {
    let scope = ImageScope::new("build-dir");
    let docker = scope.docker();
    let dir = Scratch::new("build-dir");
    dir.file(
        "Dockerfile",
        &format!(
            "FROM {}\nCOPY . /ctx\nCMD [\"sh\", \"-c\", \"cd /ctx && find . -type f | sort\"]\n",
            common::image()
        ),
    )
    .file(
        ".dockerignore",
        "# what the image must not see\nsecret.env\n*.log\ndocs\n!docs/keep.md\n**/*.tmp\n\
         Dockerfile\n",
    )
    .file("secret.env", "TOKEN=do-not-ship\n")
    .file("build.log", "noise\n")
    .file("app/main.sh", "echo app\n")
    .file("app/cache.tmp", "x\n")
    .file("app/deep/notes.log", "kept: *.log is for the top only\n")
    .file("docs/keep.md", "re-included by !docs/keep.md\n")
    .file("docs/internal.md", "excluded with docs\n");

    // What dockhand will send, before sending it: the Dockerfile too, though excluded (the
    // engine needs it, and drops it from what COPY sees because .dockerignore names it).
    let sent = BuildContext::new(&dir.0, "Dockerfile")
        .unwrap()
        .paths()
        .unwrap();
    println!("context: {sent:?}");
    assert_eq!(
        sent,
        [
            ".dockerignore",
            "Dockerfile",
            "app",
            "app/deep",
            "app/deep/notes.log",
            "app/main.sh",
            "docs/keep.md",
        ]
    );

    let tag = format!("{}:ctx", scope.name("", "dir"));
    let mut steps = Vec::new();
    let id = docker
        .images()
        .build_dir(&dir.0, &scope.build_options().tag(&tag))
        .unwrap()
        .image_id(|item: &BuildItem| {
            scope.note(item);
            if let Some(text) = &item.stream {
                steps.push(text.clone());
            }
        })
        .unwrap();
    assert!(steps.iter().any(|s| s.contains("COPY . /ctx")), "{steps:?}");
    assert_eq!(docker.image(&tag).inspect().unwrap().id, id);

    let (code, files) = scope.run(&tag, &[]);
    println!("files in the image:\n{files}");
    assert_eq!(code, 0);
    assert_eq!(
        files.lines().collect::<Vec<_>>(),
        [
            "./.dockerignore",
            "./app/deep/notes.log",
            "./app/main.sh",
            "./docs/keep.md",
        ]
    );
}

#[test]
fn a_tar_with_args_labels_target_and_a_dockerfile_elsewhere() {
    let scope = ImageScope::new("build-tar");
    let docker = scope.docker();
    let dockerfile = format!(
        "FROM {image} AS first\nARG GREETING=unset\nRUN echo \"$GREETING\" > /greeting\n\
         CMD [\"cat\", \"/greeting\"]\n\
         FROM first AS second\nRUN echo second > /greeting\n",
        image = common::image()
    );
    let context = tar(&[("docker/app.Dockerfile", dockerfile.as_bytes())]);
    let tag = format!("{}:first", scope.name("", "tar"));
    let id = docker
        .images()
        .build(
            Cursor::new(context),
            &scope
                .build_options()
                .tag(&tag)
                .dockerfile("docker/app.Dockerfile")
                .build_arg("GREETING", "hello from a build arg")
                .label("org.example.kind", "test")
                .target("first")
                .no_cache(true)
                .rm(true)
                .network_mode("none")
                .platform("linux/amd64"),
        )
        .unwrap()
        .image_id(|item| scope.note(item))
        .unwrap();
    let inspect = docker.image(&id).inspect().unwrap();
    let labels = inspect.config.labels.unwrap();
    assert_eq!(labels["org.example.kind"], "test");
    assert_eq!(labels[common::LABEL], scope.value());
    // the target stage, not the last one
    let (_, out) = scope.run(&tag, &[]);
    assert_eq!(out, "hello from a build arg\n");

    // quiet: no steps, only the id, which image_id still finds (the steps are cached)
    let mut lines = 0;
    let quiet = docker
        .images()
        .build(
            Cursor::new(tar(&[("docker/app.Dockerfile", dockerfile.as_bytes())])),
            &scope
                .build_options()
                .dockerfile("docker/app.Dockerfile")
                .build_arg("GREETING", "hello from a build arg")
                .label("org.example.kind", "test")
                .target("first")
                .quiet(true)
                // this build is meant to come from the cache of the one above
                .no_cache(false),
        )
        .unwrap()
        .image_id(|_| lines += 1)
        .unwrap();
    assert_eq!(quiet, id);
    assert_eq!(lines, 1);
}

#[test]
fn a_failing_step_is_an_error_item_with_the_engines_message() {
    let scope = ImageScope::new("build-fail");
    let docker = scope.docker();
    let dockerfile = format!(
        "FROM {}\nRUN echo about to fail && exit 3\n",
        common::image()
    );
    let stream = docker
        .images()
        .build(
            Cursor::new(tar(&[("Dockerfile", dockerfile.as_bytes())])),
            &scope.build_options(),
        )
        .unwrap();
    let mut said = String::new();
    let err = stream
        .image_id(|item| said.push_str(item.stream.as_deref().unwrap_or("")))
        .unwrap_err();
    println!("failed build: {err}");
    assert!(said.contains("about to fail"), "{said}");
    assert!(matches!(err, Error::Stream { .. }), "{err:?}");
    // Podman's builder words it its own way.
    let words = if common::is_podman() {
        "exit status 3"
    } else {
        "non-zero code: 3"
    };
    assert!(err.to_string().contains(words), "{err}");

    // a missing Dockerfile: the engine refuses at once
    let err = docker
        .images()
        .build(Cursor::new(tar(&[("other", b"x")])), &scope.build_options())
        .and_then(|s| s.image_id(|_| {}))
        .unwrap_err();
    println!("no Dockerfile: {err}");
    assert!(err.to_string().contains("Dockerfile"), "{err}");
}

#[test]
fn a_folder_that_cannot_be_read_fails_before_or_while_sending() {
    let docker = common::docker();
    let err = docker
        .images()
        .build_dir("/nonexistent/dockhand", &Default::default())
        .unwrap_err();
    assert!(matches!(err, Error::File { .. }), "{err}");

    let dir = Scratch::new("build-bad-ignore");
    dir.file("Dockerfile", "FROM scratch\n")
        .file(".dockerignore", "[unclosed\n");
    let err = docker
        .images()
        .build_dir(&dir.0, &Default::default())
        .unwrap_err();
    assert!(err.to_string().contains("[unclosed"), "{err}");
}

#[test]
fn a_refused_tag_is_the_engines_reason_even_with_a_big_context() {
    // The engine refuses the tag before reading the context: with a context of several MiB
    // its answer must still come through, not a broken pipe.
    let docker = common::docker();
    let big = vec![0u8; 8 * 1024 * 1024];
    let context = tar(&[("Dockerfile", b"FROM scratch\n"), ("big.bin", &big)]);
    drop(big);
    let err = docker
        .images()
        .build(
            Cursor::new(context),
            &dockhand::BuildOptions::new().tag("Upper:Case"),
        )
        .and_then(|build| build.image_id(|_| {}))
        .unwrap_err();
    println!("{err}");
    assert!(matches!(err, Error::Engine { .. }), "{err:?}");
    if common::skip(
        common::is_podman(),
        "Podman 4.3 reads the whole context, then refuses the tag with an empty 500",
    ) {
        return;
    }
    assert!(err.to_string().contains("lowercase"), "{err}");
}

//! Images against the real engine: list, inspect, history, tag, remove, prune, search,
//! commit, import, save and load.

mod common;
mod imagekit;

use std::io::{Cursor, Read};

use dockhand::image::{
    CommitOptions, ImportOptions, ListImagesOptions, LoadOptions, PruneImagesOptions,
    RemoveImageOptions, SearchOptions,
};
use dockhand::Error;
use imagekit::{tar, ImageScope};

fn small_image(scope: &ImageScope, tags: &[&str]) -> String {
    let dockerfile = format!(
        "FROM {}\nRUN echo made-by-dockhand > /made\nCMD [\"cat\", \"/made\"]\n",
        common::image()
    );
    scope.build(&dockerfile, &[], tags)
}

/// The id as a removal or prune names what it deleted: Podman gives the bare hex.
fn deleted_id(id: &str) -> &str {
    if common::is_podman() {
        id.trim_start_matches("sha256:")
    } else {
        id
    }
}

#[test]
fn list_inspect_history_tag_and_remove() {
    let scope = ImageScope::new("images-basics");
    let docker = scope.docker();
    let name = scope.name("", "basics");
    let tagged = format!("{name}:v1");
    let id = small_image(&scope, &[&tagged]);

    let listed = docker
        .images()
        .list(
            &ListImagesOptions::new()
                .filter("label", &scope.filter())
                .digests(true),
        )
        .unwrap();
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(listed[0].id, id);
    assert_eq!(listed[0].repo_tags, [imagekit::listed(&tagged)]);
    assert_eq!(listed[0].labels[common::LABEL], scope.value());

    let inspect = docker.image(&tagged).inspect().unwrap();
    assert_eq!(inspect.id, id);
    assert_eq!(
        inspect.config.cmd.as_deref(),
        Some(&["cat".to_string(), "/made".to_string()][..])
    );
    assert!(!inspect.root_fs.layers.is_empty());
    assert!(inspect.extra.contains_key("GraphDriver"), "{inspect:?}");
    // by id prefix too
    assert_eq!(docker.image(&id[7..19]).inspect().unwrap().id, id);

    let history = docker.image(&id).history().unwrap();
    assert!(
        history
            .iter()
            .any(|h| h.created_by.contains("echo made-by-dockhand")),
        "{history:?}"
    );
    if !common::is_podman() {
        // Podman's history has no tags.
        assert_eq!(history[0].tags, std::slice::from_ref(&tagged));
    }

    // tag: a second name for the same image, a whole reference with `/` and `:` in it
    let second = scope.name("localhost:5999/", "second");
    docker.image(&tagged).tag(&format!("{second}:t2")).unwrap();
    scope.track(&format!("{second}:t2"));
    assert_eq!(
        docker.image(format!("{second}:t2")).inspect().unwrap().id,
        id
    );
    // the default tag is latest (the `:5999` is the registry's port, not a tag)
    docker.image(&id).tag(&second).unwrap();
    assert!(scope.exists(&format!("{second}:latest")));

    // removing one name of several only untags
    let removed = docker
        .image(format!("{second}:t2"))
        .remove(&RemoveImageOptions::new())
        .unwrap();
    assert_eq!(removed.len(), 1, "{removed:?}");
    assert_eq!(
        removed[0].untagged.as_deref(),
        Some(&*format!("{second}:t2"))
    );
    assert!(scope.exists(&id));

    // with force, every name goes and the image is deleted
    let removed = docker
        .image(&id)
        .remove(&RemoveImageOptions::new().force(true))
        .unwrap();
    assert!(
        removed
            .iter()
            .any(|r| r.deleted.as_deref() == Some(deleted_id(&id))),
        "{removed:?}"
    );
    let gone = docker.image(&id).inspect().unwrap_err();
    assert!(gone.is_not_found(), "{gone}");
    assert!(gone.to_string().contains("No such image"), "{gone}");
}

#[test]
fn names_that_would_change_the_path_are_refused_before_sending() {
    let docker = common::docker();
    for bad in ["../containers/json", "a/../../info", "a//b", "", "."] {
        let err = docker.image(bad).inspect().unwrap_err();
        assert!(matches!(err, Error::Setting { .. }), "{bad:?}: {err}");
    }
    // a `?` or `#` is encoded, not taken for a query or fragment
    let err = docker.image("busybox?x=1#y").inspect().unwrap_err();
    if common::is_podman() {
        // Podman refuses the name with a 500.
        assert!(
            err.to_string().contains("invalid reference format"),
            "{err}"
        );
    } else {
        assert!(err.is_not_found() || err.status() == Some(400), "{err}");
    }
}

#[test]
fn prune_removes_only_our_dangling_images() {
    let scope = ImageScope::new("images-prune");
    let docker = scope.docker();
    // untagged, hence dangling, and labelled; with a step of its own, so that it shares no
    // cached layer image with the other tests' images (Podman prunes the dangling parents
    // too, and refuses with a 500 when another test's container uses one)
    let dockerfile = format!(
        "FROM {}\nRUN echo {} > /prune\n",
        common::image(),
        scope.value()
    );
    let id = scope.build(&dockerfile, &[], &[]);
    // never prune without a label filter: other tests share this engine
    let options = PruneImagesOptions::new()
        .filter("label", &scope.filter())
        .filter("dangling", "true");
    let pruned = common::prune(|| docker.images().prune(&options));
    assert!(
        pruned
            .images_deleted
            .iter()
            .any(|d| d.deleted.as_deref() == Some(deleted_id(&id))),
        "{pruned:?}"
    );
    assert!(!scope.exists(&id));
}

#[test]
fn search_needs_the_index_and_says_so() {
    let docker = common::docker();
    // No internet here: the engine cannot reach Docker Hub, and says why.
    match docker
        .images()
        .search(&SearchOptions::new("busybox").limit(3))
    {
        Ok(results) => {
            // An engine with internet access answers for real.
            assert!(results.len() <= 3);
            assert!(results.iter().any(|r| r.name.contains("busybox")));
        }
        Err(e) => {
            println!("search without the index: {e}");
            assert!(matches!(e, Error::Engine { .. }), "{e:?}");
            let text = e.to_string();
            assert!(text.contains("GET /images/search"), "{text}");
            if !common::is_podman() {
                // Podman's answer does not name the index.
                assert!(text.contains("index.docker.io"), "{text}");
            }
        }
    }
}

#[test]
fn commit_makes_an_image_of_a_container() {
    let scope = ImageScope::new("images-commit");
    let docker = scope.docker();
    let container = scope.scope.create(&["sh", "-c", "echo committed > /c"]);
    docker.container(&container).start().unwrap();
    docker.container(&container).wait().unwrap();
    let repo = scope.name("localhost:5999/", "commit");
    let committed = docker
        .images()
        .commit(
            &CommitOptions::new(&container)
                .tag(format!("{repo}:c1"))
                .comment("a commit from dockhand")
                .author("dockhand tests")
                .pause(false)
                .change(format!("LABEL {}={}", common::LABEL, scope.value()))
                .change("CMD [\"cat\", \"/c\"]"),
        )
        .unwrap();
    scope.track(&format!("{repo}:c1"));
    let inspect = docker.image(format!("{repo}:c1")).inspect().unwrap();
    assert_eq!(inspect.id, committed.id);
    assert_eq!(inspect.comment, "a commit from dockhand");
    assert_eq!(inspect.author, "dockhand tests");
    let (code, out) = scope.run(&committed.id, &[]);
    assert_eq!((code, out.as_str()), (0, "committed\n"));
}

#[test]
fn import_makes_an_image_of_a_root_filesystem() {
    let scope = ImageScope::new("images-import");
    let docker = scope.docker();
    let repo = scope.name("localhost:5999/", "import");
    let rootfs = tar(&[("hello.txt", b"hello from a tar\n")]);
    let progress: Vec<_> = docker
        .images()
        .import(
            Cursor::new(rootfs),
            &ImportOptions::new()
                .tag(format!("{repo}:i1"))
                .message("imported by dockhand")
                .change(format!("LABEL {}={}", common::LABEL, scope.value())),
        )
        .unwrap()
        .map(|p| p.unwrap())
        .collect();
    scope.track(&format!("{repo}:i1"));
    // the last line names the new image
    let id = progress.last().and_then(|p| p.status.clone()).unwrap();
    // The whole reference goes in `repo`, which Podman reads too (it ignores a `tag`).
    let inspect = docker.image(format!("{repo}:i1")).inspect().unwrap();
    assert_eq!(inspect.id, id);
    assert_eq!(inspect.root_fs.layers.len(), 1);
    assert_eq!(inspect.config.labels.unwrap()[common::LABEL], scope.value());
    let history = docker.image(&id).history().unwrap();
    assert_eq!(history[0].comment, "imported by dockhand");
}

#[test]
fn save_and_load_round_trip() {
    let scope = ImageScope::new("images-save");
    let docker = scope.docker();
    let name = format!("{}:s1", scope.name("", "save"));
    let id = small_image(&scope, &[&name]);

    // one image by path, several through the query: both are tars
    let mut one = Vec::new();
    docker
        .image(&name)
        .save()
        .unwrap()
        .read_to_end(&mut one)
        .unwrap();
    let mut both = Vec::new();
    docker
        .images()
        .save(&[name.as_str(), common::image().as_str()])
        .unwrap()
        .read_to_end(&mut both)
        .unwrap();
    let entries = |bytes: &[u8]| -> Vec<String> {
        tar::Archive::new(bytes)
            .entries()
            .unwrap()
            .map(|e| e.unwrap().path().unwrap().to_string_lossy().into_owned())
            .collect()
    };
    assert!(entries(&one).contains(&"manifest.json".to_string()));
    assert!(both.len() > one.len());

    docker
        .image(&id)
        .remove(&RemoveImageOptions::new().force(true))
        .unwrap();
    assert!(!scope.exists(&name));
    let loaded = docker
        .images()
        .load(Cursor::new(one), &LoadOptions::new().quiet(true))
        .unwrap()
        .finish()
        .unwrap();
    assert_eq!(
        loaded,
        [format!("Loaded image: {}", imagekit::listed(&name))]
    );
    assert_eq!(docker.image(&name).inspect().unwrap().id, id);
    let (code, out) = scope.run(&name, &[]);
    assert_eq!((code, out.as_str()), (0, "made-by-dockhand\n"));
}

#[test]
fn loading_garbage_is_an_engine_error() {
    let docker = common::docker();
    let garbage = Cursor::new(b"this is not a tar".repeat(100));
    let err = docker
        .images()
        .load(garbage, &LoadOptions::new())
        .and_then(|stream| stream.finish())
        .unwrap_err();
    println!("loading garbage: {err}");
    assert!(
        matches!(err, Error::Engine { .. } | Error::Stream { .. }),
        "{err:?}"
    );
}

#[test]
fn a_save_cancelled_from_another_thread_fails_its_read() {
    let scope = ImageScope::new("images-save-cancel");
    let docker = scope.docker();
    // 32 MiB, far more than the socket and the reader hold: the cancel lands mid-stream.
    let dockerfile = format!(
        "FROM {}\nRUN dd if=/dev/zero of=/big bs=1048576 count=32 && echo {}\n",
        common::image(),
        scope.value()
    );
    let name = format!("{}:big", scope.name("", "save-cancel"));
    scope.build(&dockerfile, &[], &[&name]);
    for (how, mut tar) in [
        ("Image::save", docker.image(&name).save().unwrap()),
        ("Images::save", docker.images().save(&[&name]).unwrap()),
    ] {
        let mut first = [0u8; 512];
        tar.read_exact(&mut first).unwrap();
        let cancel = tar.cancel_handle();
        std::thread::spawn(move || cancel.cancel()).join().unwrap();
        let err = tar.read_to_end(&mut Vec::new()).unwrap_err();
        let inner = err.into_inner().and_then(|e| e.downcast::<Error>().ok());
        assert!(
            matches!(inner.as_deref(), Some(Error::Cancelled { .. })),
            "{how}: {inner:?}"
        );
    }
}

/// Big enough that the engine's refusal comes long before the upload could end.
const REFUSED: usize = 8 * 1024 * 1024;

#[test]
fn an_import_under_a_bad_name_is_the_engines_reason() {
    let docker = common::docker();
    // `ImportOptions::tag` refuses this name before sending anything; the raw request
    // shows that the engine's own early refusal of a streamed body reaches the caller.
    let err = docker
        .request("POST", "/images/create")
        .query("fromSrc", "-")
        .query("repo", "Upper")
        .body(std::io::repeat(0).take(REFUSED as u64), "application/x-tar")
        .send()
        .and_then(|response| response.text())
        .unwrap_err();
    println!("{err}");
    assert!(matches!(err, Error::Engine { .. }), "{err:?}");
    assert!(err.to_string().contains("lowercase"), "{err}");
}

#[test]
fn loading_megabytes_of_garbage_is_the_engines_answer() {
    let docker = common::docker();
    let err = docker
        .images()
        .load(
            std::io::repeat(b'g').take(REFUSED as u64),
            &LoadOptions::new(),
        )
        .and_then(|stream| stream.finish())
        .unwrap_err();
    println!("{err}");
    assert!(
        matches!(err, Error::Engine { .. } | Error::Stream { .. }),
        "{err:?}"
    );
}

//! The install paths' metadata: the `rust-version` promised in Cargo.toml is the one the locked
//! dependencies need, and the published file list holds what the build needs. (`.ci/run` also
//! runs `cargo package --locked` and installs the packaged crate.)

use serde_json::Value;
use std::process::Command;

fn cargo(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .expect("run cargo");
    assert!(
        out.status.success(),
        "cargo {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 from cargo")
}

/// `1.88` or `1.85.0` as comparable numbers.
fn version(text: &str) -> Vec<u64> {
    let mut v: Vec<u64> = text
        .split('.')
        .map(|p| p.parse().expect("numeric rust-version"))
        .collect();
    v.resize(3, 0);
    v
}

#[test]
fn rust_version_is_the_highest_rust_version_of_the_locked_dependencies() {
    let doc: Value =
        serde_json::from_str(&cargo(&["metadata", "--locked", "--format-version", "1"]))
            .expect("cargo metadata JSON");
    let packages = doc["packages"].as_array().expect("packages");
    let ours = packages
        .iter()
        .find(|p| p["name"] == "creeplint")
        .expect("creeplint in metadata");
    let promised = version(ours["rust_version"].as_str().expect("rust-version is set"));
    let (needed, by) = packages
        .iter()
        .filter(|p| p["name"] != "creeplint")
        .filter_map(|p| {
            let rv = p["rust_version"].as_str()?;
            Some((
                version(rv),
                format!("{} {}", p["name"].as_str()?, p["version"].as_str()?),
            ))
        })
        .max()
        .expect("some dependency states a rust-version");
    assert_eq!(
        promised, needed,
        "Cargo.toml says rust-version {promised:?}, but {by} needs {needed:?}"
    );
}

#[test]
fn the_published_crate_holds_the_build_script_packs_and_sources() {
    let list = cargo(&["package", "--list", "--locked", "--allow-dirty"]);
    let files: Vec<&str> = list.lines().collect();
    for needed in [
        "build.rs",
        "Cargo.toml",
        "README.md",
        "src/main.rs",
        "src/lib.rs",
    ] {
        assert!(
            files.contains(&needed),
            "{needed} is not published: {files:?}"
        );
    }
    assert!(
        files
            .iter()
            .any(|f| f.starts_with("rules/") && f.ends_with(".toml")),
        "no rule pack is published: {files:?}"
    );
}

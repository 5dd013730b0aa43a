//! Static guarantees, checked against the source itself: creeplint makes no network requests and
//! never runs other programs or loads code, so a rule pack (TOML data, compiled to finite-automaton
//! regexes) can never execute anything. See docs/robustness.md.

use std::fs;
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn the_program_has_no_network_process_or_dynamic_loading_code() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    files.push(root.join("build.rs"));
    assert!(files.len() > 10, "found the sources");
    const FORBIDDEN: &[&str] = &[
        "std::net",
        "TcpStream",
        "TcpListener",
        "UdpSocket",
        "ToSocketAddrs",
        "process::Command",
        "Command::new",
        "libloading",
        "dlopen",
        "unsafe ",
    ];
    for f in &files {
        let text = fs::read_to_string(f).unwrap();
        for word in FORBIDDEN {
            assert!(
                !text.contains(word),
                "{} uses `{word}`: creeplint must not reach the network, run programs or load code",
                f.display()
            );
        }
    }
}

#[test]
fn no_dependency_is_a_network_or_scripting_crate() {
    let manifest =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml")).unwrap();
    let deps = manifest
        .split("[dependencies]")
        .nth(1)
        .and_then(|s| s.split("\n[").next())
        .expect("a [dependencies] table");
    const FORBIDDEN: &[&str] = &[
        "reqwest",
        "hyper",
        "ureq",
        "curl",
        "isahc",
        "surf",
        "tokio",
        "async-std",
        "attohttpc",
        "minreq",
        "git2",
        "ssh2",
        "rhai",
        "mlua",
        "rlua",
        "deno",
        "wasmtime",
        "wasmer",
        "pyo3",
        "fancy-regex",
        "pcre2",
        "onig",
    ];
    for line in deps
        .lines()
        .map(str::trim)
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let name = line.split(['=', ' ']).next().unwrap_or("");
        assert!(
            !FORBIDDEN.contains(&name),
            "dependency `{name}`: networking, scripting or backtracking-regex crates break the guarantees in docs/robustness.md"
        );
    }
}

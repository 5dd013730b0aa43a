//! Compiles every pack in `rules/` into the binary: adding a built-in pack is adding a TOML file.

use std::env;
use std::fs;
use std::path::Path;

fn main() {
    let rules = Path::new("rules");
    println!("cargo:rerun-if-changed=rules");
    let mut packs: Vec<String> = fs::read_dir(rules)
        .map(|dir| {
            dir.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|name| name.ends_with(".toml"))
                .collect()
        })
        .unwrap_or_default();
    packs.sort();
    let mut src = String::from("/// Built-in packs: (path in the repository, contents).\npub const BUILTIN_PACKS: &[(&str, &str)] = &[\n");
    for name in &packs {
        println!("cargo:rerun-if-changed=rules/{name}");
        src.push_str(&format!(
            "    (\"rules/{name}\", include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/rules/{name}\"))),\n"
        ));
    }
    src.push_str("];\n");
    let out = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("builtin_packs.rs");
    fs::write(out, src).expect("write builtin_packs.rs");
}

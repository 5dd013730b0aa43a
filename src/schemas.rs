//! JSON Schemas of the files creeplint reads (`creeplint.toml` and rule packs), derived from the
//! serde types that read them, so an editor validating against them can never disagree with
//! creeplint. Taplo-based editors (Even Better TOML) read TOML against a JSON Schema named by a
//! `#:schema` comment on the first line.
//!
//! The schemas are JSON Schema draft-07, which every TOML editor integration supports.

use crate::config::ConfigFile;
use crate::pack::schema::PackFile;
use schemars::generate::SchemaSettings;
use schemars::JsonSchema;
use serde_json::Value;

/// The files creeplint has a schema for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemaKind {
    /// `creeplint.toml`.
    Config,
    /// A rule pack (`rules/*.toml`, or a `--pack` file).
    Pack,
}

/// The JSON Schema of a file kind.
pub fn schema(kind: SchemaKind) -> Value {
    match kind {
        SchemaKind::Config => generate::<ConfigFile>("creeplint.toml", "creeplint configuration"),
        SchemaKind::Pack => generate::<PackFile>("creeplint rule pack", "A creeplint rule pack"),
    }
}

/// The schema of `T`, with a title and a description for editors to show.
fn generate<T: JsonSchema>(title: &str, description: &str) -> Value {
    let mut root = SchemaSettings::draft07()
        .into_generator()
        .into_root_schema_for::<T>();
    root.insert("title".into(), Value::from(title));
    root.insert("description".into(), Value::from(description));
    let mut value = root.to_value();
    drop_null(&mut value);
    value
}

/// Removes what an `Option` adds for JSON's null (`"type": [T, "null"]`, `anyOf: [T, {"type":
/// "null"}]`, `"default": null`): TOML has no null, so an optional key is one left out, and an
/// editor must not offer to write a null.
fn drop_null(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if map.get("default").is_some_and(Value::is_null) {
                map.remove("default");
            }
            if let Some(Value::Array(types)) = map.get_mut("type") {
                types.retain(|t| t != "null");
                if types.len() == 1 {
                    let only = types.remove(0);
                    map.insert("type".into(), only);
                }
            }
            if let Some(Value::Array(options)) = map.get_mut("anyOf") {
                options.retain(|o| o.get("type").is_none_or(|t| t != "null"));
                if options.len() == 1 {
                    // The one option left stands for the whole `anyOf` (its siblings, such as the
                    // description, stay).
                    if let Value::Object(only) = options.remove(0) {
                        map.remove("anyOf");
                        for (k, v) in only {
                            map.entry(k).or_insert(v);
                        }
                    }
                }
            }
            map.values_mut().for_each(drop_null);
        }
        Value::Array(items) => items.iter_mut().for_each(drop_null),
        _ => {}
    }
}

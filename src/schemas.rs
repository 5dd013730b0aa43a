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

/// Removes Rust integer formats, and what an `Option` adds for JSON's null (`"type": [T, "null"]`, `anyOf: [T, {"type":
/// "null"}]`, `"default": null`): TOML has no null, so an optional key is one left out, and an
/// editor must not offer to write a null.
fn drop_null(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if map.get("default").is_some_and(Value::is_null) {
                map.remove("default");
            }
            // schemars names Rust's integer types (`uint`, `uint64`) as formats; JSON Schema
            // knows no such formats, and strict validators refuse them. `minimum` says enough.
            if map
                .get("format")
                .and_then(Value::as_str)
                .is_some_and(|f| f.starts_with("int") || f.starts_with("uint"))
            {
                map.remove("format");
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Every object schema, with its path.
    fn objects<'a>(value: &'a Value, path: String, out: &mut Vec<(String, &'a Value)>) {
        if let Value::Object(map) = value {
            if map.get("type") == Some(&Value::from("object")) && map.contains_key("properties") {
                out.push((path.clone(), value));
            }
            for (k, v) in map {
                objects(v, format!("{path}/{k}"), out);
            }
        }
    }

    #[test]
    fn the_schemas_follow_the_serde_attributes() {
        let config = schema(SchemaKind::Config);
        let pack = schema(SchemaKind::Pack);
        // deny_unknown_fields on every table.
        for root in [&config, &pack] {
            let mut all = Vec::new();
            objects(root, String::new(), &mut all);
            assert!(all.len() >= 2, "{all:?}");
            for (path, o) in all {
                assert_eq!(
                    o["additionalProperties"], false,
                    "{path} allows unknown keys"
                );
            }
        }
        // rename_all = "kebab-case", and Option / #[serde(default)] keys are not required.
        assert!(config["properties"]["fail-on"].is_object());
        assert!(config["properties"].get("fail_on").is_none());
        assert!(config.get("required").is_none());
        // #[serde(default = "default_true")] and the required keys of a rule.
        let rule = &pack["definitions"]["RuleDef"];
        assert_eq!(rule["properties"]["whole_word"]["default"], true);
        let mut required: Vec<&str> = rule["required"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        required.sort_unstable();
        assert_eq!(required, ["id", "message", "severity", "suggest", "why"]);
        // rename_all = "lowercase" on enums.
        let values: Vec<&Value> = pack["definitions"]["Severity"]["oneOf"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| &v["const"])
            .collect();
        assert_eq!(values, ["info", "warning", "error"]);
        // TOML has no null.
        let text = format!("{config}{pack}");
        assert!(!text.contains("null"), "{text}");
    }

    /// A key that takes one string or a list, as packs may come to have.
    #[derive(Debug, serde::Deserialize, JsonSchema)]
    #[serde(untagged)]
    #[allow(dead_code)] // only its schema is looked at
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }

    #[derive(Debug, serde::Deserialize, JsonSchema)]
    #[serde(deny_unknown_fields, rename_all = "kebab-case")]
    #[allow(dead_code)]
    struct Table {
        terms: OneOrMany,
        #[serde(rename = "weak-sense", default)]
        weak: Option<bool>,
    }

    #[test]
    fn untagged_enums_and_renames_become_what_serde_accepts() {
        let schema = generate::<Table>("t", "d");
        let variants = &schema["definitions"]["OneOrMany"]["anyOf"];
        assert_eq!(variants[0]["type"], "string", "{schema}");
        assert_eq!(variants[1]["type"], "array", "{schema}");
        assert!(schema["properties"]["weak-sense"].is_object(), "{schema}");
        assert_eq!(schema["required"], serde_json::json!(["terms"]));
        // What the schema allows, serde reads.
        for text in ["terms = \"a\"", "terms = [\"a\", \"b\"]\nweak-sense = true"] {
            toml::from_str::<Table>(text).expect(text);
        }
    }
}

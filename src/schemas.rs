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
    root.to_value()
}

//! Merge-field kinds: which template variables carry which kind of personal data.
//!
//! Packs declare `[[fields]]` with a `kind` and variable-name globs (`*total_spent*`); the source layer
//! asks the [`FieldClassifier`] for the kinds of every merge tag it meets, and rules match them with
//! `{field:KIND}`.

use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};

/// One kind of field, as declared by a pack.
#[derive(Debug, Clone)]
pub struct FieldKind {
    /// The kind's name, e.g. `money`.
    pub kind: String,
    /// Globs over normalised variable names (lowercase `snake_case`, dotted paths).
    pub names: Vec<String>,
    /// Template filters that make any field this kind (`money`, `currency`).
    pub filters: Vec<String>,
}

/// Classifies merge-field variables into kinds.
#[derive(Debug, Clone, Default)]
pub struct FieldClassifier {
    kinds: Vec<String>,
    /// For each glob in the set, the index of its kind in `kinds`.
    glob_kind: Vec<usize>,
    set: GlobSet,
    filters: Vec<(String, usize)>,
}

impl FieldClassifier {
    /// Builds a classifier from kinds declared by packs. Globs are matched case-insensitively
    /// against the normalised variable name.
    pub fn new(defs: &[FieldKind]) -> Result<Self, (usize, String)> {
        let mut kinds: Vec<String> = Vec::new();
        let mut glob_kind = Vec::new();
        let mut filters = Vec::new();
        let mut builder = GlobSetBuilder::new();
        for (def_index, def) in defs.iter().enumerate() {
            let kind_index = match kinds.iter().position(|k| k == &def.kind) {
                Some(i) => i,
                None => {
                    kinds.push(def.kind.clone());
                    kinds.len() - 1
                }
            };
            for name in &def.names {
                let glob = compile_glob(name).map_err(|e| (def_index, e))?;
                builder.add(glob);
                glob_kind.push(kind_index);
            }
            for filter in &def.filters {
                filters.push((filter.to_ascii_lowercase(), kind_index));
            }
        }
        let set = builder.build().map_err(|e| (0, e.to_string()))?;
        Ok(Self {
            kinds,
            glob_kind,
            set,
            filters,
        })
    }

    /// Every kind name declared.
    pub fn kinds(&self) -> &[String] {
        &self.kinds
    }

    /// The kinds of a variable printed through `filters`, sorted and without duplicates.
    pub fn classify(&self, variable: &str, filters: &[String]) -> Vec<String> {
        let normalised = normalise_variable(variable);
        let mut hits: Vec<usize> = self
            .set
            .matches(&normalised)
            .into_iter()
            .map(|i| self.glob_kind[i])
            .collect();
        for f in filters {
            let f = f.to_ascii_lowercase();
            hits.extend(
                self.filters
                    .iter()
                    .filter(|(name, _)| *name == f)
                    .map(|(_, k)| *k),
            );
        }
        hits.sort_unstable();
        hits.dedup();
        let mut out: Vec<String> = hits.into_iter().map(|i| self.kinds[i].clone()).collect();
        out.sort();
        out
    }
}

fn compile_glob(pattern: &str) -> Result<Glob, String> {
    GlobBuilder::new(&pattern.to_ascii_lowercase())
        .case_insensitive(true)
        .literal_separator(false)
        .build()
        .map_err(|e| format!("invalid field name glob `{pattern}`: {e}"))
}

/// Normalises a template variable so that one glob fits every template language's spelling:
/// `customer.dressSize`, `CUSTOMER.DRESS_SIZE`, `${dress_size}` and `@DressSize` all become
/// `customer.dress_size` / `dress_size`; spaces and dashes become underscores (`'Bra Size'` →
/// `bra_size`).
pub fn normalise_variable(variable: &str) -> String {
    let mut out = String::with_capacity(variable.len() + 4);
    let mut prev: Option<char> = None;
    for c in variable.chars() {
        match c {
            '$' | '{' | '}' | '@' | '\'' | '"' | '[' | ']' => {
                prev = None;
                continue;
            }
            ' ' | '-' => {
                if !out.ends_with('_') && !out.is_empty() {
                    out.push('_');
                }
            }
            c if c.is_uppercase() => {
                // camelCase boundary: a capital after a lowercase letter or digit.
                if matches!(prev, Some(p) if p.is_lowercase() || p.is_ascii_digit()) {
                    out.push('_');
                }
                out.extend(c.to_lowercase());
            }
            c => out.push(c),
        }
        prev = Some(c);
    }
    out.trim_matches('_').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_common_spellings() {
        assert_eq!(
            normalise_variable("customer.dressSize"),
            "customer.dress_size"
        );
        assert_eq!(normalise_variable("CREDIT_SCORE"), "credit_score");
        assert_eq!(normalise_variable("${first_name}"), "first_name");
        assert_eq!(normalise_variable("@DebtOwed"), "debt_owed");
        assert_eq!(normalise_variable("'Bra Size'"), "bra_size");
        assert_eq!(normalise_variable("mortgageBalance"), "mortgage_balance");
    }

    #[test]
    fn classifies_by_glob_and_filter() {
        let c = FieldClassifier::new(&[
            FieldKind {
                kind: "money".into(),
                names: vec!["*spent*".into(), "*balance*".into()],
                filters: vec!["money".into()],
            },
            FieldKind {
                kind: "body".into(),
                names: vec!["*dress_size*".into()],
                filters: vec![],
            },
        ])
        .unwrap();
        assert_eq!(c.classify("customer.total_spent", &[]), vec!["money"]);
        assert_eq!(c.classify("customer.dressSize", &[]), vec!["body"]);
        assert_eq!(
            c.classify("product.price", &["money".into()]),
            vec!["money"]
        );
        assert!(c.classify("first_name", &[]).is_empty());
    }
}

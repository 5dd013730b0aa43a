//! Template conditions: which merge fields a branch tests. `{% if customer.credit_band == "poor" %}`,
//! `{{#if member.hasAnxiety}}`, a Mustache section `{{#pregnant}}` and AMPscript
//! `%%[ IF @ImmigrationStatus == "..." THEN ]%%` each choose copy by what the sender knows about
//! the reader; rules with `branches` judge them by the kinds of the fields tested.

use std::ops::Range;

/// A template condition and the fields it tests, with their kinds (only fields of some kind).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    /// Byte range of the tag in the file.
    pub range: Range<usize>,
    /// The fields tested and their kinds.
    pub fields: Vec<(String, Vec<String>)>,
    /// Byte ranges of the file the condition chooses: the clause it opens, from the end of its
    /// tag to the next `else`, `elsif` or closing tag of the same block (every `when` clause, for
    /// a `case`). Copy in an `else` clause is chosen by no condition.
    pub body: Vec<Range<usize>>,
}

impl Condition {
    /// True when one of the tested fields is of one of `kinds`.
    pub fn tests_kind(&self, kinds: &[String]) -> bool {
        self.fields
            .iter()
            .any(|(_, ks)| ks.iter().any(|k| kinds.contains(k)))
    }

    /// True when some of `range` lies in the copy this condition chooses: a phrase that runs
    /// into a branch (`Congrats on {% if x %}your bump{% endif %}`) reads that way only when the
    /// condition holds.
    pub fn chooses(&self, range: &Range<usize>) -> bool {
        self.body
            .iter()
            .any(|b| b.start < range.end.max(range.start + 1) && range.start < b.end)
    }
}

/// The template blocks open at a point of a scan, to find the copy each condition chooses.
#[derive(Debug, Default)]
pub struct Blocks {
    open: Vec<OpenBlock>,
}

#[derive(Debug)]
struct OpenBlock {
    /// The name its closing tag gives.
    name: String,
    /// For a `case`: the condition that chooses its `when` clauses.
    case_of: Option<usize>,
    /// The clause being read: the condition that chose it and where it starts.
    clause: Option<(usize, usize)>,
}

impl OpenBlock {
    fn end_clause(&mut self, at: usize, conditions: &mut [Condition]) {
        if let Some((c, start)) = self.clause.take() {
            if let Some(cond) = conditions.get_mut(c).filter(|_| start < at) {
                cond.body.push(start..at);
            }
        }
    }
}

impl Blocks {
    /// Applies one block event of the logic tag at `tag` (file offsets); `cond` is the index in
    /// `conditions` of the condition the tag records, if it tests fields of some kind.
    pub fn apply(
        &mut self,
        event: &BlockTag,
        cond: Option<usize>,
        tag: Range<usize>,
        conditions: &mut [Condition],
    ) {
        match event {
            BlockTag::Open { name, tests } => self.open.push(OpenBlock {
                name: name.clone(),
                case_of: None,
                clause: cond.filter(|_| !tests.is_empty()).map(|c| (c, tag.end)),
            }),
            BlockTag::Case { name, tests } => self.open.push(OpenBlock {
                name: name.clone(),
                case_of: cond.filter(|_| !tests.is_empty()),
                clause: None,
            }),
            BlockTag::Clause { tests, when } => {
                if let Some(top) = self.open.last_mut() {
                    top.end_clause(tag.start, conditions);
                    let owner = if *when {
                        top.case_of
                    } else {
                        cond.filter(|_| !tests.is_empty())
                    };
                    top.clause = owner.map(|c| (c, tag.end));
                }
            }
            BlockTag::Close { name } => {
                // A closing tag with no block of its name open is ignored; blocks left open
                // inside the one it closes end with it.
                if let Some(at) = self.open.iter().rposition(|b| &b.name == name) {
                    for mut block in self.open.drain(at..) {
                        block.end_clause(tag.start, conditions);
                    }
                }
            }
        }
    }

    /// Ends every block still open at `end` (an unclosed `{% if %}` runs to the end of its text).
    pub fn finish(self, end: usize, conditions: &mut [Condition]) {
        for mut block in self.open {
            block.end_clause(end, conditions);
        }
    }
}

/// Words inside conditions that are operators or literals, never fields.
const NOT_FIELDS: &[&str] = &[
    "and",
    "or",
    "not",
    "contains",
    "in",
    "is",
    "empty",
    "nil",
    "null",
    "none",
    "true",
    "false",
    "blank",
    "present",
    "then",
    "defined",
    "undefined",
    "else",
    "this",
    "eq",
    "ne",
    "gt",
    "lt",
];

/// Mustache/Handlebars block helpers that are not conditions on a field.
const HELPERS: &[&str] = &[
    "each",
    "with",
    "let",
    "each_with_index",
    "lookup",
    "log",
    "raw",
];

/// What a logic tag does to the block structure of a template, for finding the copy each
/// condition chooses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BlockTag {
    /// Opens a block that a [`BlockTag::Close`] with the same `name` ends: `{% if x %}` (`if`),
    /// `{{#each items}}` (`each`), a Mustache section `{{#x}}` (`x`). `tests` are the variables
    /// whose values choose the block's first clause (empty for loops and other blocks).
    Open {
        /// The name its closing tag gives.
        name: String,
        /// The variables the opening condition tests.
        tests: Vec<String>,
    },
    /// Opens a `case` block: each `when` clause is chosen by the values of `tests`.
    Case {
        /// The name its closing tag gives.
        name: String,
        /// The variables the `case` tests.
        tests: Vec<String>,
    },
    /// Starts another clause of the innermost open block: `{% elsif y %}` (testing `y`),
    /// `{% else %}` and `{{^}}` (testing nothing), or `{% when "a" %}` (`when`: chosen by the
    /// enclosing `case`).
    Clause {
        /// The variables the clause's own condition tests.
        tests: Vec<String>,
        /// A `when` of a `case`.
        when: bool,
    },
    /// Closes the innermost open block named `name` (and any left open inside it).
    Close {
        /// The name the closing tag gives.
        name: String,
    },
}

/// Block keywords of Liquid, Jinja, HubL and Nunjucks that open a block with an `end` tag but
/// test no field.
const CURLY_BLOCKS: &[&str] = &[
    "for",
    "tablerow",
    "capture",
    "with",
    "block",
    "macro",
    "call",
    "filter",
    "raw",
    "autoescape",
    "paginate",
    "form",
    "trans",
    "blocktrans",
    "spaceless",
];

/// The name every Go action block and every ERB (Ruby) block closes with.
const END: &str = "end";

/// The variables a condition tag tests; empty when `tag` (a whole logic tag, delimiters
/// included) is not a condition. A `case` counts as a condition on its subject.
pub fn condition_variables(tag: &str) -> Vec<String> {
    block_tags(tag)
        .into_iter()
        .flat_map(|b| match b {
            BlockTag::Open { tests, .. }
            | BlockTag::Case { tests, .. }
            | BlockTag::Clause { tests, .. } => tests,
            BlockTag::Close { .. } => Vec::new(),
        })
        .collect()
}

/// What a logic tag (delimiters included) does to the template's blocks, in order: most tags do
/// one thing or nothing; an AMPscript block may hold several `IF`s and `ENDIF`s.
pub fn block_tags(tag: &str) -> Vec<BlockTag> {
    let tag = tag.trim();
    if let Some(inner) = strip(tag, "{%", "%}") {
        return curly_block(inner.trim_matches('-').trim())
            .into_iter()
            .collect();
    }
    if let Some(inner) = strip(tag, "{{", "}}") {
        return mustache_block(inner.trim_matches('~').trim())
            .into_iter()
            .collect();
    }
    if let Some(inner) = strip(tag, "%%[", "]%%") {
        return ampscript_blocks(inner);
    }
    if let Some(inner) = strip(tag, "*|", "|*") {
        return mailchimp_block(inner).into_iter().collect();
    }
    if let Some(inner) = strip(tag, "<%", "%>") {
        return erb_block(inner.trim_matches('-').trim())
            .into_iter()
            .collect();
    }
    Vec::new()
}

fn open(name: &str, tests: Vec<String>) -> Option<BlockTag> {
    Some(BlockTag::Open {
        name: name.to_string(),
        tests,
    })
}

fn clause(tests: Vec<String>) -> Option<BlockTag> {
    Some(BlockTag::Clause { tests, when: false })
}

/// Liquid, Jinja, HubL and Braze `{% ... %}` (without delimiters and trim markers).
fn curly_block(inner: &str) -> Option<BlockTag> {
    let (word, rest) = split_word(inner);
    match word {
        "if" | "unless" => open(word, identifiers(rest)),
        "elsif" | "elif" => clause(identifiers(rest)),
        "else" => match rest.trim_start().strip_prefix("if ") {
            Some(cond) => clause(identifiers(cond)),
            None => clause(Vec::new()),
        },
        "case" => Some(BlockTag::Case {
            name: "case".to_string(),
            tests: identifiers(rest),
        }),
        "when" => Some(BlockTag::Clause {
            tests: Vec::new(),
            when: true,
        }),
        // Jinja's block `{% set x %}...{% endset %}`; `{% set x = 1 %}` is a statement.
        "set" if !rest.contains('=') => open("set", Vec::new()),
        w if CURLY_BLOCKS.contains(&w) => open(w, Vec::new()),
        w => w
            .strip_prefix("end")
            .filter(|n| !n.is_empty())
            .map(|n| BlockTag::Close {
                name: n.to_string(),
            }),
    }
}

/// Handlebars, Mustache and Go `{{ ... }}` (without delimiters and `~` markers).
fn mustache_block(inner: &str) -> Option<BlockTag> {
    if let Some(block) = inner.strip_prefix('#').or_else(|| inner.strip_prefix('^')) {
        let block = block.trim();
        if block.is_empty() {
            return clause(Vec::new()); // `{{^}}`: Handlebars' else
        }
        let (word, rest) = split_word(block);
        return match word {
            "if" | "unless" => open(word, identifiers(rest)),
            // A block partial `{{#> layout}}` closes with `{{/layout}}`.
            w if w.starts_with('>') => {
                let name = w.trim_start_matches('>');
                let name = if name.is_empty() {
                    split_word(rest).0
                } else {
                    name
                };
                open(name, Vec::new())
            }
            w if HELPERS.contains(&w) => open(w, Vec::new()),
            // A Mustache section renders when its field is set: a condition on it. A custom
            // Handlebars block helper with arguments (`{{#ifCond user.condition "==" "x"}}`,
            // `{{#ifEquals}}`, `{{#compare}}`) tests the fields it is given.
            w if rest.trim().is_empty() => open(w, identifiers(w)),
            w => open(w, identifiers(rest)),
        };
    }
    if let Some(name) = inner.strip_prefix('/') {
        return Some(BlockTag::Close {
            name: name.trim().to_string(),
        });
    }
    let (word, rest) = split_word(inner);
    match word {
        "else" => match rest.trim_start().strip_prefix("if ") {
            Some(cond) => clause(identifiers(cond)),
            None => clause(Vec::new()),
        },
        // Go templates: every action block closes with `{{ end }}`; `with` renders its body
        // when the value is set, like `if`.
        "if" | "with" => open(END, identifiers(rest)),
        "range" | "define" | "block" => open(END, Vec::new()),
        "end" => Some(BlockTag::Close {
            name: END.to_string(),
        }),
        _ => None,
    }
}

/// Mailchimp's conditional merge tags: `*|IF:DIAGNOSIS|*`, `*|IFNOT:X|*`, `*|ELSEIF:X=1|*`,
/// `*|ELSE:|*`, `*|END:IF|*`, and interest groups `*|INTERESTED:Group:Option|*` ...
/// `*|END:INTERESTED|*` (without delimiters).
fn mailchimp_block(inner: &str) -> Option<BlockTag> {
    let (word, rest) = inner.split_once(':')?;
    // The field is the part before a comparison: `*|IF:AGE>=21|*`.
    let field = || -> Vec<String> {
        let name = rest.split(['=', '!', '<', '>']).next().unwrap_or("").trim();
        if name.is_empty() {
            Vec::new()
        } else {
            vec![name.to_string()]
        }
    };
    match word.to_ascii_uppercase().as_str() {
        "IF" | "IFNOT" => open("mailchimp-if", field()),
        "ELSEIF" => clause(field()),
        "ELSE" => clause(Vec::new()),
        // `*|INTERESTED:Health topics:Diabetes,Arthritis|*` shows copy to the members of an
        // interest group: a condition on the group and its options.
        "INTERESTED" => open(
            "mailchimp-interested",
            vec![rest.replace([':', ','], ".").trim().to_string()],
        ),
        "END" if rest.eq_ignore_ascii_case("IF") => Some(BlockTag::Close {
            name: "mailchimp-if".to_string(),
        }),
        "END" if rest.eq_ignore_ascii_case("INTERESTED") => Some(BlockTag::Close {
            name: "mailchimp-interested".to_string(),
        }),
        _ => None,
    }
}

/// True when Ruby `code` is a block statement (`if x`, `else`, `end`, `items.each do |i|`).
pub fn is_ruby_block_statement(code: &str) -> bool {
    erb_block(code.trim_matches('-').trim()).is_some()
}

/// ERB (Ruby) code tags `<% ... %>` (without delimiters and trim markers): `if`, `unless`,
/// `elsif`, `else`, `case`/`when`, loops and `do` blocks, all closed by `end`.
fn erb_block(code: &str) -> Option<BlockTag> {
    let code = code.trim();
    let (word, rest) = split_word(code);
    let cond = |rest: &str| {
        let rest = rest.trim_end();
        let rest = rest.strip_suffix(" then").unwrap_or(rest);
        identifiers(&without_ruby_predicates(rest))
    };
    match word {
        "if" | "unless" => open(END, cond(rest)),
        "elsif" => clause(cond(rest)),
        "else" => clause(Vec::new()),
        "case" => Some(BlockTag::Case {
            name: END.to_string(),
            tests: cond(rest),
        }),
        "when" => Some(BlockTag::Clause {
            tests: Vec::new(),
            when: true,
        }),
        "while" | "until" | "for" | "begin" => open(END, Vec::new()),
        "end" => Some(BlockTag::Close {
            name: END.to_string(),
        }),
        _ => {
            // `items.each do |item|` or `items.each { |item|` opens a block.
            let without_params = match code.rfind('|') {
                Some(close) if code.ends_with('|') => code[..close]
                    .rfind('|')
                    .map_or(code, |open| code[..open].trim_end()),
                _ => code,
            };
            let opens = without_params.ends_with(" do") || without_params == "do";
            opens.then(|| BlockTag::Open {
                name: END.to_string(),
                tests: Vec::new(),
            })
        }
    }
}

fn strip<'a>(tag: &'a str, open: &str, close: &str) -> Option<&'a str> {
    tag.strip_prefix(open)?.strip_suffix(close)
}

fn split_word(text: &str) -> (&str, &str) {
    let text = text.trim_start();
    let end = text
        .find(|c: char| c.is_whitespace() || c == '(')
        .unwrap_or(text.len());
    (&text[..end], &text[end..])
}

/// Ruby's generic predicate and conversion methods say nothing about what a field holds:
/// `@user.religion.blank?` tests `@user.religion`.
fn without_ruby_predicates(code: &str) -> String {
    const METHODS: &[&str] = &[
        ".blank?",
        ".present?",
        ".nil?",
        ".empty?",
        ".any?",
        ".none?",
        ".zero?",
        ".positive?",
        ".negative?",
        ".to_s",
        ".to_i",
        ".to_f",
        ".downcase",
        ".upcase",
        ".strip",
    ];
    let mut out = code.to_string();
    for m in METHODS {
        let mut from = 0;
        while let Some(i) = out[from..].find(m).map(|i| from + i) {
            let end = i + m.len();
            let ends_word = out[end..]
                .chars()
                .next()
                .is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
            if ends_word {
                out.replace_range(i..end, " ");
                from = i + 1;
            } else {
                from = end;
            }
        }
    }
    out
}

/// The block keywords of an AMPscript `%%[ ... ]%%` block, in order: `IF` and `ELSEIF` with the
/// fields their condition (up to its `THEN`) tests, `ELSE`, `ENDIF`, and `FOR` ... `NEXT` loops.
/// Keywords inside string literals do not count.
fn ampscript_blocks(block: &str) -> Vec<BlockTag> {
    let mut out = Vec::new();
    let mut words = amp_words(block).peekable();
    while let Some((at, word)) = words.next() {
        let cond = |from: usize| {
            let rest = &block[from..];
            let end = amp_words(rest)
                .find(|(_, w)| w.eq_ignore_ascii_case("then"))
                .map_or(rest.len(), |(i, _)| i);
            identifiers(&rest[..end])
        };
        let after = at + word.len();
        match word.to_ascii_lowercase().as_str() {
            "if" => out.push(BlockTag::Open {
                name: "ampscript-if".to_string(),
                tests: cond(after),
            }),
            "elseif" => out.push(BlockTag::Clause {
                tests: cond(after),
                when: false,
            }),
            "else" => {
                // `ELSE IF` is written as one keyword or two.
                if words
                    .peek()
                    .is_some_and(|(_, w)| w.eq_ignore_ascii_case("if"))
                {
                    let (i, w) = words.next().unwrap_or_default();
                    out.push(BlockTag::Clause {
                        tests: cond(i + w.len()),
                        when: false,
                    });
                } else {
                    out.push(BlockTag::Clause {
                        tests: Vec::new(),
                        when: false,
                    });
                }
            }
            "endif" => out.push(BlockTag::Close {
                name: "ampscript-if".to_string(),
            }),
            "for" => out.push(BlockTag::Open {
                name: "ampscript-for".to_string(),
                tests: Vec::new(),
            }),
            "next" => out.push(BlockTag::Close {
                name: "ampscript-for".to_string(),
            }),
            _ => {}
        }
    }
    out
}

/// The words of AMPscript code outside string literals and `/* */` comments, with their offsets.
fn amp_words(code: &str) -> impl Iterator<Item = (usize, &str)> + '_ {
    let bytes = code.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() {
            let b = bytes[i];
            if b == b'"' || b == b'\'' {
                i = code[i + 1..]
                    .find(b as char)
                    .map_or(bytes.len(), |n| i + n + 2);
            } else if bytes[i..].starts_with(b"/*") {
                i = code[i + 2..].find("*/").map_or(bytes.len(), |n| i + n + 4);
            } else if b.is_ascii_alphanumeric() || b == b'_' || b == b'@' {
                let start = i;
                while i < bytes.len()
                    && (bytes[i].is_ascii_alphanumeric() || matches!(bytes[i], b'_' | b'@'))
                {
                    i += 1;
                }
                return Some((start, &code[start..i]));
            } else {
                i += 1;
            }
        }
        None
    })
}

/// Last names of fields that hold a list of labels put on the reader (Shopify's
/// `customer.tags`, segments, audiences, interest groups): a condition that one of them holds a
/// string tests that label, `{% if customer.tags contains "pregnant" %}` as much as
/// `{% if customer.pregnant %}`.
const LABEL_LISTS: &[&str] = &[
    "tags",
    "tag",
    "tag_list",
    "segments",
    "segment",
    "audiences",
    "audience",
    "lists",
    "groups",
    "interests",
    "labels",
    "cohorts",
    "traits",
];

/// First names of objects whose labels are not the reader's (a product's tags, a post's).
const NOT_READER_OBJECTS: &[&str] = &[
    "product",
    "products",
    "item",
    "items",
    "line_item",
    "collection",
    "collections",
    "article",
    "blog",
    "post",
    "page",
    "cart",
    "order",
    "variant",
    "shop",
    "section",
    "block",
    "settings",
];

/// True when `name` is a list of labels on the reader (see [`LABEL_LISTS`]).
fn is_reader_label_list(name: &str) -> bool {
    let last = name
        .rsplit('.')
        .next()
        .unwrap_or("")
        .trim_matches(|c: char| matches!(c, '$' | '{' | '}' | '@'))
        .to_ascii_lowercase();
    LABEL_LISTS.contains(&last.as_str()) && is_reader_field(name)
}

/// True when `name` may hold the reader's data: its first name is not an object of the sender's
/// catalogue or the page (`product.type == "maternity"` says nothing about the reader).
fn is_reader_field(name: &str) -> bool {
    let first = name.split('.').next().unwrap_or("");
    let first = first
        .trim_matches(|c: char| matches!(c, '$' | '{' | '}' | '@'))
        .to_ascii_lowercase();
    !NOT_READER_OBJECTS.contains(&first.as_str())
}

/// `field.value` for a field compared with a word-like string (`device.geofence ==
/// 'womens_health_clinic'`, `customer.diet == "halal"`): the value the branch picks says what the
/// sender knows as much as the field name does, so it is classified with it. Other strings
/// (empty, long, or holding markup or punctuation) are not values of a reader attribute.
fn field_value(field: &str, literal: &str) -> Option<String> {
    let value = literal.trim();
    let word_like = !value.is_empty()
        && value.len() <= 40
        && value
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | ' '));
    word_like.then(|| format!("{field}.{}", value.replace(' ', "_")))
}

/// The field names in a condition expression: identifiers outside string literals that are not
/// operators, numbers or function names; a string passed to AMPscript's `AttributeValue` names a
/// field too, a string tested against a list of the reader's labels
/// (`customer.tags contains "pregnant"`, `'diabetic' in user.tags`) names `customer.tags.pregnant`,
/// and a word-like string compared with a reader field names the value too
/// (`device.geofence == 'womens_health_clinic'` names `device.geofence.womens_health_clinic`).
fn identifiers(expr: &str) -> Vec<String> {
    let mut out = Vec::new();
    let chars: Vec<char> = expr.chars().collect();
    let mut i = 0;
    let mut last_function = String::new();
    // The last field seen in this comparison, and a string waiting for `in LIST`.
    let mut last_field: Option<String> = None;
    let mut pending_label: Option<String> = None;
    while i < chars.len() {
        let c = chars[i];
        if c == '"' || c == '\'' {
            let end = chars[i + 1..]
                .iter()
                .position(|&d| d == c)
                .map_or(chars.len(), |p| i + 1 + p);
            let literal: String = chars[i + 1..end.min(chars.len())].iter().collect();
            if last_function.eq_ignore_ascii_case("attributevalue") {
                out.push(literal);
            } else if let Some(list) = last_field.as_deref().filter(|f| is_reader_label_list(f)) {
                out.push(format!("{list}.{}", literal.trim()));
            } else if let Some(value) = last_field
                .as_deref()
                .filter(|f| is_reader_field(f))
                .and_then(|f| field_value(f, &literal))
            {
                out.push(value);
            } else {
                pending_label = Some(literal);
            }
            last_function.clear();
            i = end + 1;
            continue;
        }
        if c.is_alphanumeric() || matches!(c, '_' | '@' | '$') {
            let start = i;
            while i < chars.len()
                && (chars[i].is_alphanumeric()
                    || matches!(chars[i], '_' | '.' | '@' | '$' | '-' | '[' | ']'))
            {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            let word = word.trim_end_matches(['.', '-']).to_string();
            let next = chars[i..].iter().find(|c| !c.is_whitespace());
            if next == Some(&'(') {
                last_function = word;
                continue;
            }
            let lower = word.to_ascii_lowercase();
            if matches!(lower.as_str(), "and" | "or") {
                last_field = None;
                pending_label = None;
            }
            let is_number = word.chars().all(|c| c.is_ascii_digit() || c == '.');
            if !is_number && !NOT_FIELDS.contains(&lower.as_str()) {
                if let Some(label) = pending_label.take().filter(|_| is_reader_label_list(&word)) {
                    out.push(format!("{word}.{}", label.trim()));
                }
                last_field = Some(word.clone());
                out.push(word);
            }
            continue;
        }
        if c == ')' {
            last_function.clear();
        }
        if matches!(c, '&' | '|' | ',') {
            last_field = None;
            pending_label = None;
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_tags_open_clause_and_close() {
        assert_eq!(
            block_tags("{% endunless %}"),
            vec![BlockTag::Close {
                name: "unless".into()
            }]
        );
        assert_eq!(
            block_tags("{{/member.hasAnxiety}}"),
            vec![BlockTag::Close {
                name: "member.hasAnxiety".into()
            }]
        );
        assert_eq!(
            block_tags("<% @items.each do |item| %>"),
            vec![BlockTag::Open {
                name: "end".into(),
                tests: vec![]
            }]
        );
        assert_eq!(
            block_tags("%%[ ENDIF IF @x THEN ]%%"),
            vec![
                BlockTag::Close {
                    name: "ampscript-if".into()
                },
                BlockTag::Open {
                    name: "ampscript-if".into(),
                    tests: vec!["@x".into()]
                }
            ]
        );
        assert!(block_tags("{% set x = 1 %}").is_empty());
        assert!(block_tags("{% include 'a' %}").is_empty());
    }

    #[test]
    fn conditions_of_each_template_language_name_their_fields() {
        let cases: &[(&str, &[&str])] = &[
            (
                r#"{% if customer.credit_band == "poor" %}"#,
                &["customer.credit_band", "customer.credit_band.poor"],
            ),
            (
                r#"{%- elsif contact.annual_income < 30000 -%}"#,
                &["contact.annual_income"],
            ),
            ("{% unless member.religion %}", &["member.religion"]),
            ("{{#if member.hasAnxiety}}", &["member.hasAnxiety"]),
            ("{{#unless user.isDiabetic}}", &["user.isDiabetic"]),
            ("{{#pregnant}}", &["pregnant"]),
            (
                r#"{{#ifCond user.condition "==" "diabetes"}}"#,
                &["user.condition", "user.condition.diabetes"],
            ),
            ("{{^divorced}}", &["divorced"]),
            (
                "{{else if profile.recentBereavement}}",
                &["profile.recentBereavement"],
            ),
            (
                r#"%%[ IF @ImmigrationStatus == "pending" THEN ]%%"#,
                &["@ImmigrationStatus", "@ImmigrationStatus.pending"],
            ),
            (
                r#"%%[ IF AttributeValue("DebtStage") == "final" AND NOT Empty(@x) THEN ]%%"#,
                &["DebtStage", "@x"],
            ),
            ("{% case customer.religion %}", &["customer.religion"]),
            ("*|IF:DIAGNOSIS|*", &["DIAGNOSIS"]),
            ("*|ELSEIF:AGE>=21|*", &["AGE"]),
            (
                "*|INTERESTED:Health:Diabetes,Asthma|*",
                &["Health.Diabetes.Asthma"],
            ),
            ("<% if user.pregnant? then %>", &["user.pregnant"]),
            ("<%- unless @user.religion.blank? -%>", &["@user.religion"]),
            ("<% elsif user.strip_size.present? %>", &["user.strip_size"]),
            ("{{ if .Customer.Pregnant }}", &["Customer.Pregnant"]),
            (
                r#"{% if customer.tags contains "pregnant" %}"#,
                &["customer.tags", "customer.tags.pregnant"],
            ),
            (
                "{% if 'diabetic' in user.tags and x == 'vip' %}",
                &["user.tags.diabetic", "user.tags", "x", "x.vip"],
            ),
            (
                r#"{% if product.tags contains "maternity" %}"#,
                &["product.tags"],
            ),
            (
                "{% if device.geofence == 'womens_health_clinic' %}",
                &["device.geofence", "device.geofence.womens_health_clinic"],
            ),
            (
                r#"{% if product.type == "maternity" or page.handle == "health" %}"#,
                &["product.type", "page.handle"],
            ),
            (
                r#"{% if customer.note == "<b>x</b>" %}"#,
                &["customer.note"],
            ),
            (
                r#"%%[ IF @a == "x" THEN SET @b = 1 ELSEIF @Diagnosis == "IF" THEN ]%%"#,
                &["@a", "@a.x", "@Diagnosis", "@Diagnosis.IF"],
            ),
        ];
        for (tag, want) in cases {
            assert_eq!(condition_variables(tag), *want, "{tag}");
        }
        for tag in [
            "{% for x in items %}",
            "{{#each items}}",
            "{% endif %}",
            "{{/if}}",
            "%%[ SET @a = 1 ]%%",
            "*|END:IF|*",
            "*|ELSE:|*",
            "<% end %>",
            "<% @items.each do |item| %>",
            "{{ range .Items }}",
        ] {
            assert!(condition_variables(tag).is_empty(), "{tag}");
        }
    }
}

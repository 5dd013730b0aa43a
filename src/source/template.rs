//! Merge tags of the common template languages: Liquid, Jinja, Handlebars, Mustache, HubL, Braze,
//! Mailchimp merge tags and Salesforce AMPscript.
//!
//! [`scan_tags`] finds every tag in a stretch of text and says whether it prints a value (an output
//! tag, which becomes a typed placeholder in the scanned copy), is logic (not copy) or a comment (not
//! copy, but may carry `creeplint-` directives). Text between logic tags — the body of an `{% if %}` —
//! is copy like any other.

use std::collections::HashMap;
use std::ops::Range;

/// What a template tag does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TagKind {
    /// Prints a value: `{{ customer.total_spent | money }}`, `*|FNAME|*`, `%%=v(@x)=%%`.
    Output {
        /// The variable printed, resolved through `for`/`assign` aliases when known.
        variable: String,
        /// Filters, helpers and functions applied to it (`money`, `lower`, `formatcurrency`).
        filters: Vec<String>,
    },
    /// Control flow, assignment, partials: not copy.
    Logic,
    /// A template comment; `body` is the byte range of its text inside the tag.
    Comment {
        /// The comment's text, without the delimiters.
        body: Range<usize>,
    },
}

/// One template tag: its byte range in the scanned text and what it does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    /// Byte range of the whole tag, delimiters included.
    pub range: Range<usize>,
    /// What the tag does.
    pub kind: TagKind,
}

/// Loop and assignment aliases seen so far in a document (`{% for m in customer.medications %}` makes
/// `m` mean `customer.medications`), so a later `{{ m }}` is classified by what it really holds.
#[derive(Debug, Default, Clone)]
pub struct Aliases {
    map: HashMap<String, String>,
}

impl Aliases {
    fn learn(&mut self, logic: &str) {
        let words: Vec<&str> = logic.split_whitespace().collect();
        match words.as_slice() {
            ["for", name, "in", source, ..] => {
                let source = source.trim_end_matches(|c: char| !is_ident_char(c));
                let source = source.split('[').next().unwrap_or(source);
                let resolved = self.resolve(source);
                self.map.insert((*name).to_string(), resolved);
            }
            ["assign" | "set", name, "=", source, ..] => {
                let resolved = self.resolve(source);
                self.map.insert((*name).to_string(), resolved);
            }
            ["each", source, rest @ ..] => {
                // Handlebars `{{#each items}}`: `this` is an item of `items`; with
                // `as |item|` (or `as |item index|`), so is `item`.
                let resolved = self.resolve(source);
                if let ["as", first, ..] = rest {
                    let name = first.trim_matches('|');
                    if !name.is_empty() {
                        self.map.insert(name.to_string(), resolved.clone());
                    }
                }
                self.map.insert("this".to_string(), resolved);
            }
            _ => {}
        }
    }

    /// Ruby's `user.medications.each do |m|` (also `each_with_index`, `{ |m|`) and
    /// `for m in user.medications`: `m` is an item of the collection.
    fn learn_ruby(&mut self, code: &str) {
        if let ["for", name, "in", source, ..] = code.split_whitespace().collect::<Vec<_>>()[..] {
            let resolved = self.resolve(source.trim_start_matches('@'));
            self.map.insert(name.to_string(), resolved);
            return;
        }
        let Some(open) = code.find('|') else {
            return;
        };
        let Some(close) = code[open + 1..].find('|').map(|i| open + 1 + i) else {
            return;
        };
        let head = code[..open].trim_end();
        let head = head
            .strip_suffix("do")
            .or_else(|| head.strip_suffix('{'))
            .unwrap_or(head)
            .trim_end();
        let Some(dot) = head.rfind('.') else {
            return;
        };
        let method = &head[dot + 1..];
        if !matches!(method, "each" | "each_with_index" | "map") {
            return;
        }
        let source = head[..dot].trim_start_matches('@');
        let name = code[open + 1..close].split(',').next().unwrap_or("").trim();
        if !name.is_empty() && !source.is_empty() {
            let resolved = self.resolve(source);
            self.map.insert(name.to_string(), resolved);
        }
    }

    /// Go's `range $item := .Orders` (or `range $i, $item := .Orders`): `$item` is an item of
    /// `.Orders`.
    fn learn_go(&mut self, action: &str) {
        let Some(rest) = action.strip_prefix("range") else {
            return;
        };
        let Some((names, source)) = rest.split_once(":=") else {
            return;
        };
        let Some(name) = names.split(',').next_back().map(str::trim) else {
            return;
        };
        let source = source.split_whitespace().next().unwrap_or("");
        if !name.is_empty() && !source.is_empty() {
            let resolved = self.resolve(source.trim_start_matches('.'));
            self.map.insert(name.to_string(), resolved);
        }
    }

    /// AMPscript's `SET @score = [CreditScore]`, `SET @w = AttributeValue("WeightKg")`,
    /// `SET @d = Lookup("Members", "Diagnosis", "Id", @id)` and `SET @x = @y`: a later
    /// `%%=v(@score)=%%` or `IF @score < 600` reads the attribute. The key keeps its `@`.
    fn learn_ampscript(&mut self, block: &str) {
        let lower = block.to_ascii_lowercase();
        let mut from = 0;
        while let Some(at) = lower[from..].find("set").map(|i| from + i) {
            from = at + 3;
            let before_ok = at == 0 || !lower.as_bytes()[at - 1].is_ascii_alphanumeric();
            let rest = block[at + 3..].trim_start();
            if !before_ok || !rest.starts_with('@') {
                continue;
            }
            let name = ampscript_name(&rest[1..]);
            let Some(expr) = rest[1 + name.len()..].trim_start().strip_prefix('=') else {
                continue;
            };
            if let Some(source) = ampscript_source(expr.trim_start()) {
                let resolved = self.resolve(&source);
                self.map.insert(format!("@{name}"), resolved);
            }
        }
    }

    /// What `path` stands for: the collection or field an alias was set from, or `path` itself.
    pub(crate) fn resolve(&self, path: &str) -> String {
        let (head, rest) = match path.find('.') {
            Some(i) => (&path[..i], &path[i..]),
            None => (path, ""),
        };
        match self.map.get(head) {
            Some(target) if target != head => format!("{target}{rest}"),
            _ => path.to_string(),
        }
    }
}

/// Finds every template tag in `text`, learning aliases into `aliases` as it goes.
/// An opening delimiter without its closing one is left as text.
pub fn scan_tags(text: &str, aliases: &mut Aliases) -> Vec<Tag> {
    let bytes = text.as_bytes();
    let mut tags = Vec::new();
    let mut f = Finders::default();
    let mut i = 0;
    // ERB tags open with `<%`, a fourth opening byte: their openers are found in one lazy pass
    // of their own (no searcher to set up for a short value), so the search for the other three
    // stays a single memchr3.
    let mut erb_openers = memchr::memchr_iter(b'<', bytes)
        .filter(|&i| bytes.get(i + 1) == Some(&b'%'))
        .peekable();
    while i + 1 < bytes.len() {
        // Every tag opens with `{`, `*`, `%` or `<` followed by one more byte.
        let other = memchr::memchr3(b'{', b'*', b'%', &bytes[i..bytes.len() - 1]).map(|n| i + n);
        while erb_openers.next_if(|&e| e < i).is_some() {}
        let Some(at) = [other, erb_openers.peek().copied()]
            .into_iter()
            .flatten()
            .min()
        else {
            break;
        };
        i = at;
        let found = match (bytes[i], bytes[i + 1]) {
            // `\{{ x }}` is Handlebars' escape for literal braces: text, not a tag.
            (b'{', b'{') if i > 0 && bytes[i - 1] == b'\\' => None,
            (b'{', b'{') => curly_output(&mut f, text, i, aliases),
            (b'{', b'%') => curly_logic(&mut f, text, i, aliases),
            (b'{', b'#') => delimited(&mut f, text, i, 2, "#}").map(|(end, body)| Tag {
                range: i..end,
                kind: TagKind::Comment { body },
            }),
            (b'*', b'|') => mailchimp(&mut f, text, i),
            (b'%', b'%') => ampscript(&mut f, text, i, aliases),
            (b'<', b'%') => erb(&mut f, text, i, aliases),
            _ => None,
        };
        match found {
            Some(tag) => {
                i = tag.range.end;
                tags.push(tag);
            }
            None => i += 1,
        }
    }
    tags
}

/// Remembers searches for closing delimiters, so that many unclosed openers (`{{` `{{` `{{`...)
/// cost linear time in total instead of one search to the end of the file each.
///
/// A dozen keys at most, so small vectors searched in order: scanning a short JSON or CSV value
/// must not cost setting up hash maps.
#[derive(Default)]
struct Finders {
    /// Per needle: where the last search started and what it found.
    last: Vec<(&'static str, (usize, usize))>,
    /// Per needle: no occurrence at or after this position.
    none_from: Vec<(&'static str, usize)>,
}

impl Finders {
    /// The first occurrence of `needle` at or after `from`.
    fn find(&mut self, text: &str, from: usize, needle: &'static str) -> Option<usize> {
        if self.is_none(needle, from) {
            return None;
        }
        let last = self.last.iter_mut().find(|(k, _)| *k == needle);
        if let Some(&mut (_, (start, found))) = last {
            if start <= from && from <= found {
                return Some(found);
            }
        }
        match text
            .get(from..)
            .and_then(|t| find_delimiter(t.as_bytes(), needle.as_bytes()))
        {
            Some(i) => {
                let entry = (from, from + i);
                match self.last.iter_mut().find(|(k, _)| *k == needle) {
                    Some((_, e)) => *e = entry,
                    None => self.last.push((needle, entry)),
                }
                Some(from + i)
            }
            None => {
                self.mark_none(needle, from);
                None
            }
        }
    }

    fn is_none(&self, key: &'static str, from: usize) -> bool {
        self.none_from.iter().any(|&(k, n)| k == key && from >= n)
    }

    fn mark_none(&mut self, key: &'static str, from: usize) {
        match self.none_from.iter_mut().find(|(k, _)| *k == key) {
            Some((_, n)) => *n = (*n).min(from),
            None => self.none_from.push((key, from)),
        }
    }
}

/// The first occurrence of a short delimiter (`}}`, `%}`, `]%%`) in `hay`: its first byte is
/// searched with memchr and the rest compared, which for two to four bytes costs less than setting
/// up a substring finder for each search.
fn find_delimiter(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let (&first, rest) = needle.split_first()?;
    memchr::memchr_iter(first, hay).find(|&i| hay[i + 1..].starts_with(rest))
}

/// Finds `close` after `start + open_len`; returns the tag end and the body range.
fn delimited(
    f: &mut Finders,
    text: &str,
    start: usize,
    open_len: usize,
    close: &'static str,
) -> Option<(usize, Range<usize>)> {
    let body_start = start + open_len;
    let at = f.find(text, body_start, close)?;
    Some((at + close.len(), body_start..at))
}

/// Finds the end of a `{{ ... }}` (or `{{{ ... }}}`) tag, skipping nested `${...}` braces and quoted
/// strings. Returns the body range and the end of the tag.
fn curly_end(
    f: &mut Finders,
    text: &str,
    body_start: usize,
    closing_braces: usize,
) -> Option<(Range<usize>, usize)> {
    // A scan that ran to the end of the file once is not repeated for a later opener.
    let key = if closing_braces == 3 {
        "curly-3"
    } else {
        "curly-2"
    };
    if f.is_none(key, body_start) {
        return None;
    }
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut quote: Option<u8> = None;
    let mut j = body_start;
    while j < bytes.len() {
        let b = bytes[j];
        if let Some(q) = quote {
            if b == q {
                quote = None;
            } else if b == b'\n' && j > body_start + 400 {
                return None; // an unterminated string in a runaway tag
            }
            j += 1;
            continue;
        }
        match b {
            b'"' | b'\'' => quote = Some(b),
            b'{' => depth += 1,
            b'}' if depth > 0 => depth -= 1,
            b'}' => {
                let n = bytes[j..].iter().take_while(|&&c| c == b'}').count();
                if n >= closing_braces {
                    // With more braces than needed the extra ones close `${` groups first.
                    let end = j + n;
                    return Some((body_start..end - closing_braces, end));
                }
                j += n;
                continue;
            }
            _ => {}
        }
        j += 1;
    }
    f.mark_none(key, body_start);
    None
}

/// Go `text/template` and `html/template` actions: control flow, not output.
const GO_ACTIONS: &[&str] = &[
    "range", "define", "template", "block", "with", "end", "if", "break", "continue",
];

fn curly_output(f: &mut Finders, text: &str, start: usize, aliases: &mut Aliases) -> Option<Tag> {
    let rest = &text[start..];
    if rest.starts_with("{{!--") {
        return delimited(f, text, start, 5, "--}}").map(|(end, body)| Tag {
            range: start..end,
            kind: TagKind::Comment { body },
        });
    }
    if rest.starts_with("{{!") {
        return delimited(f, text, start, 3, "}}").map(|(end, body)| Tag {
            range: start..end,
            kind: TagKind::Comment { body },
        });
    }
    let triple = rest.starts_with("{{{") && !rest.starts_with("{{{$");
    let (open, close) = if triple { (3, 3) } else { (2, 2) };
    let (body, end) = curly_end(f, text, start + open, close)?;
    let inner = text[body].trim_matches(|c: char| c == '-' || c == '~' || c.is_whitespace());
    let first = inner.chars().next().unwrap_or(' ');
    if matches!(first, '#' | '/' | '^' | '>' | '&') && first != '&' {
        if first == '#' {
            aliases.learn(inner[1..].trim_start());
        }
        return Some(Tag {
            range: start..end,
            kind: TagKind::Logic,
        });
    }
    let inner = inner.trim_start_matches('&').trim();
    // Go templates' actions (`{{ range .Items }}`, `{{ define "x" }}`, `{{ end }}`) are control
    // flow: the keyword is never part of a variable's name.
    let keyword = inner.split_whitespace().next().unwrap_or("");
    // `{{ $x := .Items }}` and `{{ $x = 1 }}`: a Go variable assignment, not output.
    let assignment = keyword.starts_with('$')
        && inner[keyword.len()..]
            .trim_start()
            .strip_prefix(":=")
            .or_else(|| inner[keyword.len()..].trim_start().strip_prefix('='))
            .is_some_and(|rest| !rest.starts_with('='));
    if GO_ACTIONS.contains(&keyword) || assignment {
        aliases.learn_go(inner);
        return Some(Tag {
            range: start..end,
            kind: TagKind::Logic,
        });
    }
    if inner == "else" || inner.starts_with("else ") || inner.is_empty() {
        return Some(Tag {
            range: start..end,
            kind: TagKind::Logic,
        });
    }
    let (variable, filters) = parse_output_expression(inner, aliases);
    Some(Tag {
        range: start..end,
        kind: TagKind::Output { variable, filters },
    })
}

fn curly_logic(f: &mut Finders, text: &str, start: usize, aliases: &mut Aliases) -> Option<Tag> {
    let (end, body) = delimited(f, text, start, 2, "%}")?;
    let inner =
        text[body.clone()].trim_matches(|c: char| c == '-' || c == '~' || c.is_whitespace());
    let word = inner.split_whitespace().next().unwrap_or("");
    if word == "comment" || word == "raw" {
        // `{% comment %}...{% endcomment %}`: the whole block is a comment.
        let closer = if word == "comment" {
            "endcomment"
        } else {
            "endraw"
        };
        if f.is_none(closer, end) {
            return None;
        }
        let mut k = end;
        while let Some(open) = f.find(text, k, "{%") {
            let Some((close_end, close_body)) = delimited(f, text, open, 2, "%}") else {
                break;
            };
            let w =
                text[close_body].trim_matches(|c: char| c == '-' || c == '~' || c.is_whitespace());
            if w == closer {
                let kind = if word == "comment" {
                    TagKind::Comment { body: end..open }
                } else {
                    TagKind::Logic
                };
                return Some(Tag {
                    range: start..close_end,
                    kind,
                });
            }
            k = close_end;
        }
        f.mark_none(closer, end);
        return None;
    }
    aliases.learn(inner);
    Some(Tag {
        range: start..end,
        kind: TagKind::Logic,
    })
}

fn mailchimp(f: &mut Finders, text: &str, start: usize) -> Option<Tag> {
    let body_start = start + 2;
    let rel = f.find(text, body_start, "|*")? - body_start;
    let body = &text[body_start..body_start + rel];
    if body.is_empty() || body.len() > 200 || body.contains('\n') {
        return None;
    }
    let end = body_start + rel + 2;
    let upper = body.to_ascii_uppercase();
    let kind = if upper.starts_with("IF:")
        || upper.starts_with("IFNOT:")
        || upper.starts_with("ELSEIF:")
        || upper.starts_with("END:")
        || upper == "ELSE:"
        || upper.starts_with("INTERESTED:")
    {
        TagKind::Logic
    } else {
        let (variable, filters) = match body.split_once(':') {
            // `*|DATE:d/m/y|*` style: the part before the colon is the tag.
            Some((name, _)) => (name.to_string(), Vec::new()),
            None => (body.to_string(), Vec::new()),
        };
        TagKind::Output { variable, filters }
    };
    Some(Tag {
        range: start..end,
        kind,
    })
}

/// The AMPscript variable name `text` begins with (what follows an `@`): letters, digits and `_`.
fn ampscript_name(text: &str) -> &str {
    let end = text
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(text.len());
    &text[..end]
}

/// The field an AMPscript expression reads, when it reads one directly: `[Credit Score]`,
/// `AttributeValue("X")`, `Lookup("DE", "Field", ...)` (its second argument) or `@y`.
fn ampscript_source(expr: &str) -> Option<String> {
    if let Some(inner) = expr.strip_prefix('[') {
        let name = inner.split(']').next()?.trim();
        return (!name.is_empty()).then(|| name.to_string());
    }
    if let Some(rest) = expr.strip_prefix('@') {
        let name = ampscript_name(rest);
        return (!name.is_empty()).then(|| format!("@{name}"));
    }
    let open = expr.find('(')?;
    let function = expr[..open].trim().to_ascii_lowercase();
    let strings: Vec<&str> = expr[open + 1..]
        .split(')')
        .next()?
        .split(',')
        .map(|a| a.trim().trim_matches(['"', '\'']))
        .collect();
    let name = match function.as_str() {
        "attributevalue" => strings.first()?,
        "lookup" => strings.get(1)?,
        _ => return None,
    };
    (!name.is_empty() && !name.starts_with('@')).then(|| name.to_string())
}

fn ampscript(f: &mut Finders, text: &str, start: usize, aliases: &mut Aliases) -> Option<Tag> {
    let rest = &text[start..];
    if rest.starts_with("%%[") {
        let (end, body) = delimited(f, text, start, 3, "]%%")?;
        aliases.learn_ampscript(&text[body.clone()]);
        return Some(Tag {
            range: start..end,
            kind: amp_block_kind(text, body),
        });
    }
    if rest.starts_with("%%=") {
        let (end, body) = delimited(f, text, start, 3, "=%%")?;
        let (variable, filters) = parse_output_expression(text[body].trim(), aliases);
        return Some(Tag {
            range: start..end,
            kind: TagKind::Output { variable, filters },
        });
    }
    // `%%FirstName%%`: a personalisation string is a bare identifier.
    let body_start = start + 2;
    let len = text[body_start..]
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'-')
        .count();
    if len == 0 || !text[body_start + len..].starts_with("%%") {
        return None;
    }
    Some(Tag {
        range: start..body_start + len + 2,
        kind: TagKind::Output {
            variable: text[body_start..body_start + len].to_string(),
            filters: Vec::new(),
        },
    })
}

/// ERB (Rails, Ruby) and EJS tags: `<%= x %>` (and `<%== x %>`, `<%- x %>` in EJS) prints a
/// value, `<%# ... %>` is a comment, any other `<% code %>` is logic; `<%%` is a literal `<%`.
/// SendGrid's substitution tags (`<%body%>`, `<%asm_group_unsubscribe_raw_url%>`) are a bare name
/// and print it. A `<%` with another `<%` before its `%>` is text.
fn erb(f: &mut Finders, text: &str, start: usize, aliases: &mut Aliases) -> Option<Tag> {
    if text[start..].starts_with("<%%") {
        return None;
    }
    let (end, body) = delimited(f, text, start, 2, "%>")?;
    let inner = &text[body.clone()];
    if inner.contains("<%") {
        return None;
    }
    if inner.starts_with('#') {
        return Some(Tag {
            range: start..end,
            kind: TagKind::Comment {
                body: body.start + 1..body.end,
            },
        });
    }
    let expr = inner.trim_end_matches(['-', '=']).trim();
    // `<%-` prints in EJS but trims whitespace before a statement in Erubi (Rails): a block
    // statement after it (`<%- if x -%>`, `<%- end -%>`) is logic.
    let printed = expr
        .strip_prefix("==")
        .or_else(|| expr.strip_prefix('='))
        .or_else(|| {
            expr.strip_prefix('-')
                .filter(|code| !super::condition::is_ruby_block_statement(code))
        });
    let bare_name = !expr.is_empty()
        && expr
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '-'))
        && !super::condition::is_ruby_block_statement(expr);
    let kind = match printed {
        Some(expr) => {
            let (variable, filters) = parse_ruby_output(expr.trim(), aliases);
            TagKind::Output { variable, filters }
        }
        None if bare_name => TagKind::Output {
            variable: expr.to_string(),
            filters: Vec::new(),
        },
        None => {
            aliases.learn_ruby(expr.trim_start_matches('-').trim());
            TagKind::Logic
        }
    };
    Some(Tag {
        range: start..end,
        kind,
    })
}

/// The variable a Ruby (or JavaScript) output expression prints and the helpers applied to it:
/// `@user.dress_size` prints `@user.dress_size`; `number_to_currency(@user.total_spent)` and
/// `h user.name` apply a helper (a filter) to the field; a helper with no field argument
/// (`t('.greeting')`) prints itself.
fn parse_ruby_output(expr: &str, aliases: &Aliases) -> (String, Vec<String>) {
    let ids = identifiers(expr);
    let Some((first, rest)) = ids.split_first() else {
        return (expr.to_string(), Vec::new());
    };
    let after_first = expr
        .find(first)
        .map_or("", |i| expr[i + first.len()..].trim_start());
    // `helper(args)` or `helper arg, ...` (a method call on a field, `user.orders.count`, is the
    // field); `yield` and helpers called without arguments print no field of the reader's.
    let has_args = after_first.starts_with('(')
        || after_first
            .chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric() || matches!(c, '\'' | '"' | '@' | ':'));
    let is_call = (has_args && !first.contains('.')) || RUBY_NO_FIELD.contains(first);
    if !is_call {
        return (aliases.resolve(first), Vec::new());
    }
    let helper = first.to_ascii_lowercase();
    let field = rest
        .iter()
        .find(|id| id.contains('.') || id.starts_with('@'))
        .or(rest.last());
    match field {
        Some(field) => (aliases.resolve(field), vec![helper]),
        None => (first.to_string(), vec![helper]),
    }
}

/// Ruby and EJS words that print template machinery even without arguments.
const RUBY_NO_FIELD: &[&str] = &["yield", "csrf_meta_tags", "csp_meta_tag"];

/// An AMPscript `%%[ ... ]%%` block is logic; one that holds only a `/* */` comment is a comment.
fn amp_block_kind(text: &str, body: Range<usize>) -> TagKind {
    let inner = text[body.clone()].trim();
    // `len >= 4`: in `/*/` the opener and closer overlap.
    if inner.len() >= 4
        && inner.starts_with("/*")
        && inner.ends_with("*/")
        && inner[2..].find("*/") == Some(inner.len() - 4)
    {
        let offset = body.start + text[body.clone()].find("/*").unwrap_or(0) + 2;
        let close = body.start + text[body].rfind("*/").unwrap_or(0);
        return TagKind::Comment {
            body: offset..close.max(offset),
        };
    }
    TagKind::Logic
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '.' | '$' | '@' | '{' | '}' | '[' | ']')
}

/// Splits an output expression into the variable it prints and the filters applied to it.
///
/// Handles Liquid/Jinja filters (`x | money`, `x|round(1)`), filter arguments that name the field
/// (`person|lookup:'Bra Size'`), string-literal bases whose variable is an argument
/// (`'Unsubscribe' | link_to: unsubscribe_url`), Handlebars helpers (`formatMoney balance`) and
/// AMPscript functions (`FormatCurrency(@DebtOwed, 'en-US')`, `v(@x)`).
pub fn parse_output_expression(expr: &str, aliases: &Aliases) -> (String, Vec<String>) {
    let expr = subscripts_as_paths(expr);
    let mut parts = split_filters(&expr);
    let base = parts.remove(0).trim().to_string();
    let mut filters = Vec::new();
    let mut variable: Option<String> = None;
    for part in &parts {
        let part = part.trim();
        let name_len = part
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(part.len());
        let name = part[..name_len].to_ascii_lowercase();
        let args = part[name_len..]
            .trim_start_matches([':', '(', ' '])
            .trim_end_matches(')');
        if matches!(name.as_str(), "lookup" | "attr" | "get" | "item" | "map") {
            let key = args.trim().trim_matches(['\'', '"']);
            if !key.is_empty() {
                variable = Some(format!("{}.{}", aliases.resolve(&base), key));
            }
        }
        filters.push(name);
    }
    if let Some(v) = variable {
        return (v, filters);
    }
    // AMPscript: the first `@variable` wins; function names count as filters.
    if let Some(at) = base.find('@') {
        let v = ampscript_name(&base[at + 1..]).to_string();
        let func = base[..at].trim_end_matches(['(', ' ', ',']);
        let func: String = func
            .rsplit(|c: char| !(c.is_alphanumeric() || c == '_'))
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        if !func.is_empty() && func != "v" {
            filters.insert(0, func);
        }
        let resolved = aliases.resolve(&format!("@{v}"));
        let v = if resolved.starts_with('@') {
            v
        } else {
            resolved
        };
        return (v, filters);
    }
    let is_literal = base.starts_with('\'') || base.starts_with('"');
    if is_literal {
        // `'Unsubscribe' | link_to: unsubscribe_url`: the variable is a filter argument.
        for part in &parts {
            if let Some(id) = identifiers(part).last() {
                return (aliases.resolve(id), filters);
            }
        }
        return (base.trim_matches(['\'', '"']).to_string(), filters);
    }
    let ids = identifiers(&base);
    match ids.as_slice() {
        [] => (base, filters),
        [only] => (aliases.resolve(only), filters),
        [helper, .., last] => {
            // Handlebars helper call `{{formatMoney balance}}`: the helper is a filter.
            filters.insert(0, helper.to_ascii_lowercase());
            (aliases.resolve(last), filters)
        }
    }
}

/// Jinja's and Nunjucks' `user["income_band"]`, `user['x']` and `user.get("x")` as the paths
/// `user.income_band` and `user.x`, so the key names the field; other text is kept as it is.
fn subscripts_as_paths(expr: &str) -> std::borrow::Cow<'_, str> {
    if !expr.contains("[\"") && !expr.contains("['") && !expr.contains(".get(") {
        return std::borrow::Cow::Borrowed(expr);
    }
    let mut out = String::with_capacity(expr.len());
    let mut rest = expr;
    while !rest.is_empty() {
        let found = ["[\"", "['", ".get(\"", ".get('"]
            .iter()
            .filter_map(|open| rest.find(open).map(|at| (at, open.len())))
            .min();
        let Some((at, open_len)) = found else {
            out.push_str(rest);
            break;
        };
        let quote = rest.as_bytes()[at + open_len - 1] as char;
        let key_start = at + open_len;
        let close = if rest[at..].starts_with('[') {
            "]"
        } else {
            ")"
        };
        let key_end = rest[key_start..].find(quote).map(|i| key_start + i);
        match key_end.filter(|&e| rest[e + 1..].starts_with(close)) {
            Some(end) if !rest[key_start..end].is_empty() => {
                out.push_str(&rest[..at]);
                out.push('.');
                out.push_str(&rest[key_start..end].replace(' ', "_"));
                rest = &rest[end + 2..];
            }
            _ => {
                out.push_str(&rest[..key_start]);
                rest = &rest[key_start..];
            }
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Splits on `|` filter bars, ignoring `||` and bars inside quotes.
fn split_filters(expr: &str) -> Vec<&str> {
    let bytes = expr.as_bytes();
    let mut out = Vec::new();
    let mut quote: Option<u8> = None;
    let mut last = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None if b == b'|' => {
                if bytes.get(i + 1) == Some(&b'|') {
                    i += 2;
                    continue;
                }
                out.push(&expr[last..i]);
                last = i + 1;
            }
            None => {}
        }
        i += 1;
    }
    out.push(&expr[last..]);
    out
}

/// Identifier paths in an expression, skipping quoted strings, numbers and keywords.
fn identifiers(expr: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let bytes = expr.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'"' || b == b'\'' {
            i += expr[i + 1..]
                .find(b as char)
                .map(|n| n + 2)
                .unwrap_or(expr.len() - i);
            continue;
        }
        let c = expr[i..].chars().next().unwrap_or(' ');
        if is_ident_char(c) {
            let len = expr[i..]
                .find(|c: char| !is_ident_char(c))
                .unwrap_or(expr.len() - i);
            let id = &expr[i..i + len];
            let trimmed = id.trim_matches(['.']);
            let keyword = matches!(
                trimmed,
                "and"
                    | "or"
                    | "not"
                    | "in"
                    | "if"
                    | "else"
                    | "true"
                    | "false"
                    | "nil"
                    | "null"
                    | "none"
            );
            if !keyword && trimmed.chars().any(|c| c.is_alphabetic()) {
                out.push(trimmed);
            }
            i += len;
        } else {
            i += c.len_utf8();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outputs(text: &str) -> Vec<(String, Vec<String>)> {
        let mut aliases = Aliases::default();
        scan_tags(text, &mut aliases)
            .into_iter()
            .filter_map(|t| match t.kind {
                TagKind::Output { variable, filters } => Some((variable, filters)),
                _ => None,
            })
            .collect()
    }

    fn vars(text: &str) -> Vec<String> {
        outputs(text).into_iter().map(|(v, _)| v).collect()
    }

    #[test]
    fn liquid_and_jinja_outputs_with_filters() {
        assert_eq!(
            outputs("{{ customer.total_spent | money }}"),
            vec![(
                "customer.total_spent".to_string(),
                vec!["money".to_string()]
            )]
        );
        assert_eq!(
            vars("{{ user.bmi|round(1) }} {{- x -}}"),
            vec!["user.bmi", "x"]
        );
        assert_eq!(
            vars("{{ customer.first_name | default: \"there\" }}"),
            vec!["customer.first_name"]
        );
        assert_eq!(
            vars("{{ person|lookup:'Bra Size' }}"),
            vec!["person.Bra Size"]
        );
        assert_eq!(
            vars("{{ 'Unsubscribe' | link_to: unsubscribe_url }}"),
            vec!["unsubscribe_url"]
        );
    }

    #[test]
    fn handlebars_mustache_and_braze() {
        assert_eq!(
            vars("{{{senderName}}} {{firstName}}"),
            vec!["senderName", "firstName"]
        );
        assert_eq!(vars("{{${first_name}}}"), vec!["${first_name}"]);
        assert_eq!(
            vars("{{custom_attribute.${diagnosis}}}"),
            vec!["custom_attribute.${diagnosis}"]
        );
        let mut a = Aliases::default();
        let tags = scan_tags(
            "{{#if x}}a{{else}}b{{/if}}{{! note }}{{!-- long --}}{{> partial}}",
            &mut a,
        );
        assert!(tags
            .iter()
            .all(|t| !matches!(t.kind, TagKind::Output { .. })));
        assert_eq!(tags.len(), 6);
    }

    #[test]
    fn mailchimp_and_ampscript() {
        assert_eq!(
            vars("*|FNAME|* *|CREDIT_SCORE|* *|IF:X|*"),
            vec!["FNAME", "CREDIT_SCORE"]
        );
        assert_eq!(
            outputs("%%=FormatCurrency(@DebtOwed, 'en-US')=%%"),
            vec![("DebtOwed".to_string(), vec!["formatcurrency".to_string()])]
        );
        assert_eq!(
            vars("%%=v(@weight)=%% %%FirstName%% 100%% sure"),
            vec!["weight", "FirstName"]
        );
        let mut a = Aliases::default();
        let tags = scan_tags(
            "%%[ SET @x = 1 ]%%text%%[ /* creeplint-disable */ ]%%",
            &mut a,
        );
        assert_eq!(tags[0].kind, TagKind::Logic);
        assert!(matches!(tags[1].kind, TagKind::Comment { .. }));
    }

    #[test]
    fn liquid_comment_blocks_and_aliases() {
        let text = "{% comment %}secret{% endcomment %}{% for m in customer.medications %}{{ m }}{% endfor %}";
        let mut a = Aliases::default();
        let tags = scan_tags(text, &mut a);
        match &tags[0].kind {
            TagKind::Comment { body } => assert_eq!(&text[body.clone()], "secret"),
            other => panic!("expected comment, got {other:?}"),
        }
        assert_eq!(vars(text), vec!["customer.medications"]);
    }

    #[test]
    fn go_actions_are_logic_and_range_variables_resolve() {
        let text = "{{ define \"x\" }}{{ range $i, $o := .Orders }}{{ $o.Total }}{{ end }}{{ template \"y\" . }}";
        assert_eq!(vars(text), vec!["Orders.Total"]);
        assert!(vars("{{ range .Items }}{{ end }}").is_empty());
        assert!(vars("{{- $disabled := .Params.x -}}{{ $n = 2 }}").is_empty());
        assert_eq!(vars("{{ $a == $b }}").len(), 1);
        assert!(vars("\\{{ escaped }}").is_empty());
        assert_eq!(
            vars("{{#each user.diagnoses as |d|}}{{d.name}}{{/each}}"),
            vec!["user.diagnoses.name"]
        );
    }

    #[test]
    fn erb_and_ejs_outputs_comments_logic_and_loop_aliases() {
        assert_eq!(
            outputs(
                "<%= user.first_name %> <%== number_to_currency(@user.total_spent, unit: '$') %>"
            ),
            vec![
                ("user.first_name".to_string(), vec![]),
                (
                    "@user.total_spent".to_string(),
                    vec!["number_to_currency".to_string()]
                ),
            ]
        );
        assert_eq!(
            outputs("<%= yield %><%= render 'shared/footer' %><%- include('header') %>"),
            vec![
                ("yield".to_string(), vec!["yield".to_string()]),
                ("render".to_string(), vec!["render".to_string()]),
                ("include".to_string(), vec!["include".to_string()]),
            ]
        );
        assert_eq!(
            vars("<%- user.name %> <%body%> <%= h user.bio -%>"),
            vec!["user.name", "body", "user.bio"]
        );
        assert_eq!(
            vars("<% @user.medications.each do |m| %><%= m.name %><% end %>"),
            vec!["user.medications.name"]
        );
        assert_eq!(
            vars("<% for o in orders %><%= o.total %><% end %>"),
            vec!["orders.total"]
        );
        let mut a = Aliases::default();
        let tags = scan_tags(
            "<%# note %><%- if x -%>a<% else %>b<%- end -%><%% literal %> 5 <% 3",
            &mut a,
        );
        assert!(matches!(tags[0].kind, TagKind::Comment { .. }));
        assert!(
            tags[1..4].iter().all(|t| t.kind == TagKind::Logic),
            "{tags:?}"
        );
        assert_eq!(tags.len(), 4, "{tags:?}");
    }

    #[test]
    fn unclosed_tags_are_text() {
        assert!(vars("{{ oops and {% nope").is_empty());
        assert!(vars("*|broken").is_empty());
    }
}

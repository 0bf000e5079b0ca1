//! The `toml` crate's messages in the language of the catalogs.
//!
//! The crate speaks English; its messages have a few fixed shapes (`missing
//! field `x``, `unknown field `x`, expected ...`, `invalid type: A, expected
//! B`, `unclosed array, expected `]``), which are read here and said again
//! through the catalogs. A shape not known here is shown as it is, after a
//! localised "invalid TOML".

use rust_i18n::t;

/// The first line of a `toml` error message, in the current language.
pub(crate) fn describe(message: &str) -> String {
    let first = message.lines().next().unwrap_or("").trim();
    if first.is_empty() {
        return t!("toml.invalid").into_owned();
    }
    if let Some(key) = first
        .strip_prefix("missing field ")
        .and_then(|rest| between_backticks(rest).next())
    {
        return t!("toml.missing_field", key = key).into_owned();
    }
    if let Some(rest) = first.strip_prefix("unknown field ") {
        let (field, allowed) = rest.split_once(", ").unwrap_or((rest, ""));
        let key = between_backticks(field).next().unwrap_or(field);
        let known: Vec<String> = between_backticks(allowed)
            .map(|k| format!("`{k}`"))
            .collect();
        return if known.is_empty() {
            t!("toml.unknown_field_none", key = key).into_owned()
        } else {
            t!("toml.unknown_field", key = key, known = known.join(", ")).into_owned()
        };
    }
    if first == "duplicate key" {
        return t!("toml.duplicate_key").into_owned();
    }
    for (prefix, invalid_value) in [("invalid type: ", false), ("invalid value: ", true)] {
        if let Some(rest) = first.strip_prefix(prefix) {
            if let Some((found, expected)) = rest.rsplit_once(", expected ") {
                let found = found_text(found);
                let expected = expected_text(expected);
                return if invalid_value {
                    t!("toml.invalid_value", found = found, expected = expected).into_owned()
                } else {
                    t!("toml.invalid_type", found = found, expected = expected).into_owned()
                };
            }
        }
    }
    let (what, expected) = match first.split_once(", expected ") {
        Some((what, expected)) => (what, Some(expected)),
        None => (first, None),
    };
    let Some(what) = parse_problem(what) else {
        return t!("toml.syntax", detail = first).into_owned();
    };
    match expected {
        Some(expected) => t!(
            "toml.problem_expected",
            problem = what,
            expected = expected_token(expected)
        )
        .into_owned(),
        None => what,
    }
}

/// The names written between backticks, in order.
fn between_backticks(text: &str) -> impl Iterator<Item = &str> {
    text.split('`').skip(1).step_by(2)
}

/// A parser problem the catalogs know, by the `toml` crate's words.
fn parse_problem(what: &str) -> Option<String> {
    let text = match what {
        "unclosed array" => t!("toml.parse.unclosed_array"),
        "unclosed table" => t!("toml.parse.unclosed_table"),
        "unclosed array table" => t!("toml.parse.unclosed_array_table"),
        "unclosed inline table" => t!("toml.parse.unclosed_inline_table"),
        "missing value" | "missing value for key" => t!("toml.parse.missing_value"),
        "missing comma between array elements" => t!("toml.parse.missing_comma_array"),
        "missing comma between key-value pairs" => t!("toml.parse.missing_comma_pairs"),
        "missing assignment between key-value pairs" => t!("toml.parse.missing_assignment"),
        "string values must be quoted" => t!("toml.parse.unquoted_string"),
        "unexpected key or value" => t!("toml.parse.unexpected"),
        "invalid key" => t!("toml.parse.invalid_key"),
        "invalid table" => t!("toml.parse.invalid_table"),
        "invalid basic string" => t!("toml.parse.invalid_basic_string"),
        "invalid literal string" => t!("toml.parse.invalid_literal_string"),
        "invalid string" => t!("toml.parse.invalid_string"),
        "invalid multi-line basic string" | "invalid multi-line literal string" => {
            t!("toml.parse.invalid_string")
        }
        "invalid integer number" => t!("toml.parse.invalid_integer"),
        "invalid float" => t!("toml.parse.invalid_float"),
        "invalid date-time" => t!("toml.parse.invalid_datetime"),
        "invalid boolean" => t!("toml.parse.invalid_boolean"),
        _ => return None,
    };
    Some(text.into_owned())
}

/// What the parser expected: punctuation as it is, words in the language.
fn expected_token(expected: &str) -> String {
    expected
        .split(", ")
        .map(|token| match token {
            "newline" => t!("toml.token.newline").into_owned(),
            "literal string" => t!("toml.token.literal_string").into_owned(),
            other => other.to_string(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// serde's name of the value found (`integer `3``, `string "x"`, `map`).
fn found_text(found: &str) -> String {
    let kinds = [
        ("integer", "toml.found.integer"),
        ("floating point", "toml.found.float"),
        ("boolean", "toml.found.boolean"),
        ("string", "toml.found.string"),
        ("sequence", "toml.found.sequence"),
        ("map", "toml.found.map"),
    ];
    for (name, key) in kinds {
        if let Some(rest) = found.strip_prefix(name) {
            if rest.is_empty() || rest.starts_with(' ') {
                return format!("{}{rest}", kind_name(key));
            }
        }
    }
    found.to_string()
}

/// serde's name of the value expected (`a string`, `i64`, `struct RawStep`).
fn expected_text(expected: &str) -> String {
    let key = match expected {
        "a string" => "toml.expected.string",
        "a sequence" => "toml.expected.sequence",
        "a boolean" => "toml.expected.boolean",
        "i8" | "i16" | "i32" | "i64" | "u8" | "u16" | "u32" | "u64" | "usize" => {
            "toml.expected.integer"
        }
        "f32" | "f64" => "toml.expected.float",
        e if e.starts_with("struct ") || e == "a map" => "toml.expected.table",
        other => return other.to_string(),
    };
    kind_name(key)
}

fn kind_name(key: &str) -> String {
    match key {
        "toml.found.integer" => t!("toml.found.integer"),
        "toml.found.float" => t!("toml.found.float"),
        "toml.found.boolean" => t!("toml.found.boolean"),
        "toml.found.string" => t!("toml.found.string"),
        "toml.found.sequence" => t!("toml.found.sequence"),
        "toml.found.map" => t!("toml.found.map"),
        "toml.expected.string" => t!("toml.expected.string"),
        "toml.expected.sequence" => t!("toml.expected.sequence"),
        "toml.expected.boolean" => t!("toml.expected.boolean"),
        "toml.expected.integer" => t!("toml.expected.integer"),
        "toml.expected.float" => t!("toml.expected.float"),
        _ => t!("toml.expected.table"),
    }
    .into_owned()
}

/// "an integer", "a boolean": the kind of a TOML value, for messages.
pub(crate) fn kind(value: &toml::Value) -> String {
    match value {
        toml::Value::String(_) => t!("toml.kind.string"),
        toml::Value::Integer(_) => t!("toml.kind.integer"),
        toml::Value::Float(_) => t!("toml.kind.float"),
        toml::Value::Boolean(_) => t!("toml.kind.boolean"),
        toml::Value::Datetime(_) => t!("toml.kind.datetime"),
        toml::Value::Array(_) => t!("toml.kind.array"),
        toml::Value::Table(_) => t!("toml.kind.table"),
    }
    .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    // The library speaks English unless told otherwise: each shape is
    // said again in the same words.
    #[test]
    fn english_keeps_the_crate_words() {
        for message in [
            "missing field `tahun`",
            "duplicate key",
            "invalid type: integer `1`, expected a string",
            "invalid type: sequence, expected a string",
            "unclosed array, expected `]`",
            "invalid basic string, expected `\"`",
            "missing comma between array elements, expected `,`",
            "string values must be quoted, expected literal string",
            "unexpected key or value, expected newline, `#`",
        ] {
            assert_eq!(describe(message), message);
        }
        // serde's Rust type names become what a TOML writer knows.
        assert_eq!(
            describe("invalid type: string \"3\", expected i64"),
            "invalid type: string \"3\", expected an integer"
        );
        assert_eq!(
            describe("invalid type: integer `3`, expected struct RawStep"),
            "invalid type: integer `3`, expected a table"
        );
        assert_eq!(
            describe("unknown field `zz`, expected `ya` or `tidak`"),
            "unknown field `zz`; the keys allowed here: `ya`, `tidak`"
        );
        assert_eq!(
            describe("something new, expected `x`"),
            "invalid TOML: something new, expected `x`"
        );
        assert_eq!(describe(""), "invalid TOML");
    }

    #[test]
    fn kinds_take_their_article() {
        assert_eq!(kind(&toml::Value::Integer(1)), "an integer");
        assert_eq!(kind(&toml::Value::Boolean(true)), "a boolean");
    }
}

//! `--format` in docker's style, without a Go-template engine: `json`,
//! `table`, `table TEMPLATE`, or a TEMPLATE printed once per row. A
//! template is text with `{{.Field}}` (spaces inside the braces allowed)
//! and the escapes `\t` and `\n`, which docker also turns into a tab and a
//! newline. Anything else in braces is an error, found when the argument is
//! parsed, so a bad template is a usage error (exit 2) before any work.

/// A piece of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Text(String),
    Field(&'static str),
}

/// A parsed `--format` value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Format {
    /// One JSON object per line, as `docker ... --format json`.
    Json,
    /// A table: one column per tab-separated part; `None` is the command's
    /// default table.
    Table(Option<Vec<Vec<Piece>>>),
    /// The template, once per row, each followed by a newline.
    Lines(Vec<Piece>),
}

impl Format {
    /// Parse `s` for rows with these field names.
    pub fn parse(s: &str, fields: &[&'static str]) -> Result<Format, String> {
        let t = s.trim();
        if t == "json" {
            return Ok(Format::Json);
        }
        if t == "table" {
            return Ok(Format::Table(None));
        }
        if let Some(rest) = s.strip_prefix("table ") {
            let text = unescape(rest);
            let columns = text
                .split('\t')
                .map(|c| parse_pieces(c, fields))
                .collect::<Result<Vec<_>, _>>()?;
            return Ok(Format::Table(Some(columns)));
        }
        Ok(Format::Lines(parse_pieces(&unescape(s), fields)?))
    }
}

/// The column's header: its template with each field's name in capitals,
/// as docker heads `{{.Repository}}` with REPOSITORY.
pub fn header(pieces: &[Piece]) -> String {
    pieces
        .iter()
        .map(|p| match p {
            Piece::Text(t) => t.to_uppercase(),
            Piece::Field(f) => f.to_uppercase(),
        })
        .collect::<String>()
        .trim()
        .to_string()
}

/// The template filled in by `value` (a field's name -> its text).
pub fn render(pieces: &[Piece], value: impl Fn(&str) -> String) -> String {
    pieces
        .iter()
        .map(|p| match p {
            Piece::Text(t) => t.clone(),
            Piece::Field(f) => value(f),
        })
        .collect()
}

fn unescape(s: &str) -> String {
    s.replace("\\t", "\t").replace("\\n", "\n")
}

fn parse_pieces(s: &str, fields: &[&'static str]) -> Result<Vec<Piece>, String> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(open) = rest.find("{{") {
        if open > 0 {
            out.push(Piece::Text(rest[..open].to_string()));
        }
        let after = &rest[open + 2..];
        let close = after
            .find("}}")
            .ok_or_else(|| format!("template {s:?}: `{{{{` is never closed by `}}}}`"))?;
        let action = after[..close].trim();
        let name = action.strip_prefix('.').unwrap_or("");
        let field = fields.iter().find(|f| **f == name).ok_or_else(|| {
            let known: Vec<String> = fields.iter().map(|f| format!("{{{{.{f}}}}}")).collect();
            format!(
                "template {s:?}: `{{{{{action}}}}}` is not a field; use {}",
                known.join(", ")
            )
        })?;
        out.push(Piece::Field(field));
        rest = &after[close + 2..];
    }
    if rest.contains("}}") {
        return Err(format!("template {s:?}: `}}}}` without `{{{{`"));
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest.to_string()));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIELDS: &[&str] = &["Registry", "Username"];

    #[test]
    fn fields_and_escapes() {
        let f = Format::parse(r"{{.Registry}}\t{{ .Username }}", FIELDS).unwrap();
        let Format::Lines(p) = f else { panic!() };
        let line = render(&p, |f| format!("<{f}>"));
        assert_eq!(line, "<Registry>\t<Username>");
    }

    #[test]
    fn table_columns_and_headers() {
        let f = Format::parse(r"table {{.Registry}}\tuser {{.Username}}", FIELDS).unwrap();
        let Format::Table(Some(cols)) = f else {
            panic!()
        };
        assert_eq!(cols.len(), 2);
        assert_eq!(header(&cols[0]), "REGISTRY");
        assert_eq!(header(&cols[1]), "USER USERNAME");
        assert_eq!(Format::parse("table", FIELDS), Ok(Format::Table(None)));
        assert_eq!(Format::parse("json", FIELDS), Ok(Format::Json));
    }

    #[test]
    fn bad_templates_are_errors() {
        for bad in [
            "{{.Nope}}",
            "{{.Registry",
            "{{json .}}",
            "{{Registry}}",
            "x}}",
        ] {
            assert!(Format::parse(bad, FIELDS).is_err(), "{bad}");
        }
        let e = Format::parse("{{.Nope}}", FIELDS).unwrap_err();
        assert!(e.contains("{{.Registry}}, {{.Username}}"), "{e}");
    }
}

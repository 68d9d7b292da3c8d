//! Text layout for people: tables fitted to the terminal, and blocks (one per
//! item, as compilers print diagnostics). Knows no command; `output` hands
//! it rows.
//!
//! The rule it keeps: a key cell (a registry, a username, a code, a command)
//! is never split across lines. On a pipe a table is the stable columnar
//! form (every column as wide as its widest cell, two spaces apart, no
//! wrapping), which scripts may cut. On a terminal the key columns keep
//! their full width and the free-text column (the last) takes what is left;
//! a text too long for it goes under its row, whole (free text often names
//! a registry or a helper, so it is wrapped at spaces, never cut). When the
//! keys alone are wider than the terminal, each row becomes a record.

use unicode_width::UnicodeWidthStr;

/// The narrowest free-text column worth showing beside the keys; below
/// this the text goes under its row instead, whole.
const MIN_FREE: usize = 24;
const GAP: &str = "  ";

/// One cell: its text, and whether it is a problem (red on a colour
/// terminal).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cell {
    pub text: String,
    pub problem: bool,
}

impl Cell {
    pub fn new(text: impl Into<String>) -> Self {
        Cell {
            text: text.into(),
            problem: false,
        }
    }

    /// A cell shown in red on a colour terminal.
    pub fn problem(text: impl Into<String>) -> Self {
        Cell {
            text: text.into(),
            problem: true,
        }
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::new(s)
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::new(s)
    }
}

/// A table whose last column is free text.
#[derive(Debug, Clone)]
pub struct Table {
    header: Vec<String>,
    rows: Vec<Vec<Cell>>,
    /// The terminal's width, or None on a pipe.
    width: Option<usize>,
    color: bool,
}

impl Table {
    pub fn new(header: &[&str], width: Option<usize>, color: bool) -> Self {
        Table {
            header: header.iter().map(|h| h.to_string()).collect(),
            rows: Vec::new(),
            width,
            color,
        }
    }

    pub fn add_row(&mut self, row: Vec<Cell>) {
        debug_assert_eq!(row.len(), self.header.len());
        self.rows.push(row);
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The lines to print, without line ends.
    pub fn lines(&self) -> Vec<String> {
        self.text().lines().map(str::to_string).collect()
    }

    /// The table as text, each line ended by `\n`: written into one buffer,
    /// with no string per cell or per line on the way (`list` of 100,000
    /// logins, #17).
    pub fn text(&self) -> String {
        let mut out = String::with_capacity(self.rows.len() * 64 + 64);
        self.render(&mut out);
        out
    }

    fn render(&self, out: &mut String) {
        let n = self.header.len();
        let mut widths: Vec<usize> = self.header.iter().map(|h| h.width()).collect();
        for row in &self.rows {
            for (w, c) in widths.iter_mut().zip(row) {
                *w = (*w).max(c.text.width());
            }
        }
        let natural: usize = widths.iter().sum::<usize>() + GAP.len() * (n - 1);
        let Some(term) = self.width.filter(|&t| natural > t && n > 1) else {
            return self.columns(out, &widths, n, None);
        };
        let keys: usize = widths[..n - 1].iter().sum::<usize>() + GAP.len() * (n - 1);
        if keys > term {
            // Even the keys do not fit: a line that long would be wrapped
            // by the terminal in the middle of a name. One record per row.
            return self.records(out, term);
        }
        let room = term - keys;
        if room >= MIN_FREE.max(self.header[n - 1].width()) {
            widths[n - 1] = room;
            self.columns(out, &widths, n, Some(term))
        } else {
            self.columns(out, &widths, n - 1, Some(term))
        }
    }

    /// Rows as columns: the first `shown` columns side by side; a free
    /// text that is not shown, or too wide for its column, goes under its
    /// row, whole and wrapped at spaces.
    fn columns(&self, out: &mut String, widths: &[usize], shown: usize, term: Option<usize>) {
        let n = self.header.len();
        let header: Vec<Cell> = self.header.iter().map(Cell::new).collect();
        self.line(out, &header[..shown], widths);
        for row in &self.rows {
            let free = &row[n - 1];
            let fits = shown == n && free.text.width() <= widths[n - 1];
            if fits {
                self.line(out, row, widths);
            } else {
                self.line(out, &row[..n - 1], widths);
            }
            if let (false, Some(term)) = (fits || free.text.is_empty(), term) {
                let indent = "    ";
                for l in wrap(&free.text, term.saturating_sub(indent.len()).max(20)) {
                    out.push_str(indent);
                    self.paint(out, &l, free.problem);
                    out.push('\n');
                }
            }
        }
    }

    /// One record per row, as `kubectl describe` or psql's expanded mode:
    /// the first cell on a line of its own, then each other column as
    /// `LABEL  value`; free text wrapped under its label.
    fn records(&self, out: &mut String, term: usize) {
        let label = self.header[1..]
            .iter()
            .map(|h| h.width())
            .max()
            .unwrap_or(0);
        let indent = " ".repeat(2 + label + GAP.len());
        for (i, row) in self.rows.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            self.paint(out, &row[0].text, row[0].problem);
            out.push('\n');
            for (h, c) in self.header.iter().zip(row).skip(1) {
                if c.text.is_empty() {
                    continue;
                }
                let lines = wrap(&c.text, term.saturating_sub(indent.len()).max(20));
                for (j, l) in lines.iter().enumerate() {
                    if j == 0 {
                        out.push_str(&format!("  {h:<label$}{GAP}"));
                    } else {
                        out.push_str(&indent);
                    }
                    self.paint(out, l, c.problem);
                    out.push('\n');
                }
            }
        }
    }

    /// One line of `cells`, trailing blanks trimmed, and its line end.
    fn line(&self, out: &mut String, cells: &[Cell], widths: &[usize]) {
        let start = out.len();
        for (i, c) in cells.iter().enumerate() {
            if i > 0 {
                out.push_str(GAP);
            }
            let pad = widths[i].saturating_sub(c.text.width());
            self.paint(out, &c.text, c.problem);
            out.extend(std::iter::repeat_n(' ', pad));
        }
        let end = start + out[start..].trim_end().len();
        out.truncate(end);
        out.push('\n');
    }

    fn paint(&self, out: &mut String, text: &str, problem: bool) {
        if self.color && problem && !text.is_empty() {
            out.push_str("\x1b[31m");
            out.push_str(text);
            out.push_str("\x1b[0m");
        } else {
            out.push_str(text);
        }
    }
}

/// Free text broken at spaces into lines of at most `width` columns; a word
/// longer than that stays whole on its own line (it may be a name).
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        if !line.is_empty() && line.width() + 1 + word.width() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// One item printed as a block: a head line, free text wrapped to the
/// terminal, and lines that are never wrapped (commands to copy).
#[derive(Debug, Clone, Default)]
pub struct Block {
    pub head: String,
    pub text: String,
    pub whole: Vec<String>,
}

impl Block {
    /// The block's lines for a terminal `width` columns wide.
    pub fn lines(&self, width: usize) -> Vec<String> {
        let indent = "  ";
        let mut out = vec![self.head.clone()];
        let room = width.saturating_sub(indent.len()).max(20);
        out.extend(
            wrap(&self.text, room)
                .into_iter()
                .map(|l| format!("{indent}{l}")),
        );
        out.extend(self.whole.iter().map(|l| format!("{indent}{l}")));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(width: Option<usize>) -> Table {
        let mut t = Table::new(&["REGISTRY", "USER", "PROBLEM"], width, false);
        t.add_row(vec![
            "registry.example.com".into(),
            "me".into(),
            "a long problem that says what is wrong in many words".into(),
        ]);
        t.add_row(vec!["ghcr.io".into(), "someone".into(), "".into()]);
        t
    }

    #[test]
    fn pipe_form_is_columns_two_spaces_apart() {
        assert_eq!(
            table(None).lines(),
            [
                "REGISTRY              USER     PROBLEM",
                "registry.example.com  me       a long problem that says what is wrong in many words",
                "ghcr.io               someone",
            ]
        );
    }

    #[test]
    fn terminal_moves_only_the_text_that_does_not_fit() {
        let mut t = table(Some(60));
        t.add_row(vec!["quay.io".into(), "x".into(), "short".into()]);
        assert_eq!(
            t.lines(),
            [
                "REGISTRY              USER     PROBLEM",
                "registry.example.com  me",
                "    a long problem that says what is wrong in many words",
                "ghcr.io               someone",
                "quay.io               x        short",
            ]
        );
    }

    #[test]
    fn keys_wider_than_the_terminal_become_records() {
        assert_eq!(
            table(Some(24)).lines(),
            [
                "registry.example.com",
                "  USER     me",
                // Free text keeps at least 20 columns.
                "  PROBLEM  a long problem that",
                "           says what is wrong",
                "           in many words",
                "",
                "ghcr.io",
                "  USER     someone",
            ]
        );
    }

    #[test]
    fn wrap_never_splits_a_word() {
        assert_eq!(
            wrap("run dockercfg-logout-registry.example.com now", 10),
            ["run", "dockercfg-logout-registry.example.com", "now"]
        );
    }
}

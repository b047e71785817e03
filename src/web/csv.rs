//! CSV for Excel as Swedish offices open it: `;` between cells (Excel in
//! Swedish reads `,` as the decimal sign), UTF-8 with a byte-order mark
//! (or å, ä and ö come out garbled), CRLF line ends, and no cell that a
//! spreadsheet would run as a formula.

use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};

/// A CSV document being written.
pub struct Csv {
    text: String,
}

impl Default for Csv {
    fn default() -> Self {
        Csv::new()
    }
}

impl Csv {
    pub fn new() -> Csv {
        Csv {
            text: String::from("\u{feff}"),
        }
    }

    pub fn row<I, S>(&mut self, cells: I)
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        for (i, cell) in cells.into_iter().enumerate() {
            if i > 0 {
                self.text.push(';');
            }
            push_cell(&mut self.text, cell.as_ref());
        }
        self.text.push_str("\r\n");
    }

    pub fn into_string(self) -> String {
        self.text
    }

    /// The document as a download named `filename` (ASCII).
    pub fn into_response(self, filename: &str) -> Response {
        let mut response = self.text.into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/csv; charset=utf-8"),
        );
        if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
            headers.insert(header::CONTENT_DISPOSITION, value);
        }
        response
    }
}

/// One cell: a cell a spreadsheet would read as a formula (it starts with
/// `=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading `'`, so
/// it shows as the text it is (OWASP's advice on CSV injection); a cell
/// with `;`, `"` or a line break is quoted, its quotes doubled.
fn push_cell(out: &mut String, cell: &str) {
    let neutralised = matches!(
        cell.chars().next(),
        Some('=' | '+' | '-' | '@' | '\t' | '\r')
    );
    let quoted = cell.contains([';', '"', '\n', '\r']);
    if quoted {
        out.push('"');
    }
    if neutralised {
        out.push('\'');
    }
    for c in cell.chars() {
        if c == '"' {
            out.push('"');
        }
        out.push(c);
    }
    if quoted {
        out.push('"');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_separated_quoted_and_neutralised() {
        let mut csv = Csv::new();
        csv.row(["Tid", "Händelse"]);
        csv.row([
            "=HYPERLINK(\"x\")",
            "a;b",
            "säger \"hej\"",
            "rad\nbrytning",
            "-1",
            "@SUM",
            "vanlig",
        ]);
        let text = csv.into_string();
        assert!(text.starts_with('\u{feff}'));
        let lines: Vec<&str> = text.trim_start_matches('\u{feff}').split("\r\n").collect();
        assert_eq!(lines[0], "Tid;Händelse");
        assert_eq!(
            lines[1],
            "\"'=HYPERLINK(\"\"x\"\")\";\"a;b\";\"säger \"\"hej\"\"\";\"rad\nbrytning\";'-1;'@SUM;vanlig"
        );
    }
}

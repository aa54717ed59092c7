//! The gradebook as CSV (RFC 4180: commas, CRLF, fields quoted when they
//! hold a comma, a quote or a line break), one row per student: id, status,
//! a score per module (a column per module id), quiz and style percentages,
//! the total, the letter, tampering (count and kinds) and notes. Notices that
//! concern no single student follow as rows of status `notice`.
//!
//! Headers are in the user's language; codes (status, tampering kinds) and
//! numbers (a decimal point, at most two decimals) are the same in both, so
//! a program can read either. Every text cell is untrusted: control
//! characters are made visible ([`sanitize::inline`]) and a cell that a
//! spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, a tab
//! or a carriage return) gets a leading `'`.

use workbook_support::sanitize;

use crate::lang::Lang;

use super::result::Graded;
use super::stats::Stats;
use super::words::{letter, plain};
use super::{Gradebook, Record, Student};

/// The CSV text.
pub fn render(book: &Gradebook, stats: &Stats, lang: Lang) -> String {
    let mut out = String::new();
    let mut header = vec![
        lang.pick("student", "студент").to_owned(),
        lang.pick("status", "статус").to_owned(),
    ];
    header.extend(stats.modules.iter().map(|(id, _)| cell(id)));
    header.extend(
        [
            ("quiz %", "квизы %"),
            ("style %", "стиль %"),
            ("total", "итог"),
            ("letter", "оценка"),
            ("tampering", "вмешательства"),
            ("tampering kinds", "виды вмешательств"),
            ("notes", "замечания"),
        ]
        .map(|(en, ru)| lang.pick(en, ru).to_owned()),
    );
    row(&mut out, &header);
    for student in &book.students {
        row(&mut out, &student_row(book, stats, student, lang));
    }
    let width = header.len();
    for notice in book.general_notices() {
        let mut cells = vec![String::new(); width];
        "notice".clone_into(&mut cells[1]);
        cells[width - 1] = cell(&notice.line(lang));
        row(&mut out, &cells);
    }
    out
}

fn student_row(book: &Gradebook, stats: &Stats, student: &Student, lang: Lang) -> Vec<String> {
    let mut cells = vec![cell(&student.id), student.status_code().to_owned()];
    let graded = student.graded();
    for (id, _) in &stats.modules {
        let score = graded
            .and_then(|g| g.modules.iter().find(|m| &m.id == id))
            .map(|m| plain(m.score.clamp(0.0, 100.0)));
        cells.push(score.unwrap_or_default());
    }
    let number = |value: Option<f64>| {
        value
            .map(|v| plain(v.clamp(0.0, 100.0)))
            .unwrap_or_default()
    };
    cells.push(number(graded.and_then(Graded::quiz_percent)));
    cells.push(number(graded.and_then(Graded::style_percent)));
    cells.push(number(graded.map(|g| g.score)));
    cells.push(
        graded
            .map(|g| letter(g.letter).to_owned())
            .unwrap_or_default(),
    );
    let tampering = graded.map(|g| g.tampering.as_slice()).unwrap_or_default();
    cells.push(if graded.is_some() {
        tampering.len().to_string()
    } else {
        String::new()
    });
    let mut kinds: Vec<&str> = Vec::new();
    for t in tampering {
        if !kinds.contains(&t.kind.as_str()) {
            kinds.push(&t.kind);
        }
    }
    cells.push(cell(&kinds.join(" ")));
    let mut notes = Vec::new();
    if let Record::NotGraded { message } = &student.record {
        notes.push(message.clone());
    }
    notes.extend(book.notices_of(&student.id).map(|n| n.text(lang)));
    cells.push(cell(&notes.join("; ")));
    cells
}

/// Untrusted text as a cell: control characters visible, formulas defused.
fn cell(text: &str) -> String {
    let text = sanitize::inline(text);
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text
    }
}

/// Writes one row, quoting the fields that need it.
fn row(out: &mut String, cells: &[String]) {
    for (i, field) in cells.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let needs_quotes = field.contains([',', '"', '\n', '\r'])
            || field.starts_with(' ')
            || field.ends_with(' ');
        if needs_quotes {
            out.push('"');
            out.push_str(&field.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(field);
        }
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_defused_and_fields_quoted() {
        assert_eq!(cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(cell("+1"), "'+1");
        assert_eq!(cell("-1"), "'-1");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("\tx"), "'\tx");
        assert_eq!(cell("a\nb"), "a\\nb");
        assert_eq!(cell("alice"), "alice");
        let mut out = String::new();
        row(
            &mut out,
            &[
                "a,b".to_owned(),
                "say \"hi\"".to_owned(),
                "plain".to_owned(),
            ],
        );
        assert_eq!(out, "\"a,b\",\"say \"\"hi\"\"\",plain\r\n");
    }
}

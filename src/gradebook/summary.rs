//! The short summary `workbook gradebook` prints when no file is asked for:
//! how many students and files, which shards, the letters as a table, the
//! mean and median, and how many notices (they themselves go to standard
//! error).

use std::fmt::Write as _;

use crate::lang::Lang;

use super::notice::ranges;
use super::stats::Stats;
use super::words::{letter, number, percent};
use super::{Gradebook, Severity};

/// The summary, plain text.
pub fn render(book: &Gradebook, stats: &Stats, lang: Lang) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} · {}: {} ({}: {}) · {}: {} · {}",
        lang.pick("Gradebook", "Ведомость"),
        lang.pick("students", "студентов"),
        stats.students,
        lang.pick("graded", "оценено"),
        stats.graded(),
        lang.pick("result files", "файлов с результатами"),
        book.files,
        shards(book, lang),
    );
    out.push('\n');
    letters(&mut out, stats, lang);
    out.push('\n');
    if let (Some(mean), Some(median)) = (stats.mean, stats.median) {
        let _ = writeln!(
            out,
            "{} {} · {} {}",
            lang.pick("mean", "среднее"),
            number(mean, lang),
            lang.pick("median", "медиана"),
            number(median, lang)
        );
    }
    let count = |severity| {
        book.notices
            .iter()
            .filter(|n| n.severity() == severity)
            .count()
    };
    let (problems, notes) = (count(Severity::Problem), count(Severity::Note));
    if problems + notes == 0 {
        let _ = writeln!(
            out,
            "{}",
            lang.pick("no problems found", "проблем не найдено")
        );
    } else {
        let _ = writeln!(
            out,
            "{}: {problems} · {}: {notes} ({})",
            lang.pick("problems", "проблем"),
            lang.pick("notes", "замечаний"),
            lang.pick(
                "listed on standard error",
                "перечислены в стандартном потоке ошибок"
            ),
        );
    }
    out
}

/// Which shards were found, per shard count.
fn shards(book: &Gradebook, lang: Lang) -> String {
    if book.shards.is_empty() {
        return lang
            .pick("no shard manifests", "манифестов частей нет")
            .to_owned();
    }
    let each: Vec<String> = book
        .shards
        .iter()
        .map(|(of, found)| {
            let found: Vec<u32> = found.iter().copied().collect();
            lang.pick(
                format!("{} of {of}", ranges(&found)),
                format!("{} из {of}", ranges(&found)),
            )
        })
        .collect();
    format!(
        "{}: {}",
        lang.pick("shards found", "найдены части"),
        each.join("; ")
    )
}

/// The letters table: letter, students, share.
fn letters(out: &mut String, stats: &Stats, lang: Lang) {
    let mut rows: Vec<(String, usize)> = stats
        .letters
        .iter()
        .map(|&(l, n)| (letter(l).to_owned(), n))
        .collect();
    if stats.ungraded > 0 {
        rows.push((
            lang.pick("no grade", "без оценки").to_owned(),
            stats.ungraded,
        ));
    }
    let heads = [
        lang.pick("letter", "оценка"),
        lang.pick("students", "студентов"),
        lang.pick("share", "доля"),
    ];
    let first = rows
        .iter()
        .map(|(l, _)| l.chars().count())
        .chain([heads[0].chars().count()])
        .max()
        .unwrap_or(0);
    let (second, third) = (heads[1].chars().count(), heads[2].chars().count().max(4));
    let _ = writeln!(
        out,
        "{}  {:>second$}  {:>third$}",
        pad(heads[0], first),
        heads[1],
        heads[2]
    );
    for (label, n) in rows {
        let share = format!("{}%", number(percent(n, stats.students).round(), lang));
        let _ = writeln!(out, "{}  {n:>second$}  {share:>third$}", pad(&label, first));
    }
}

/// `text` padded with spaces to `width` characters.
fn pad(text: &str, width: usize) -> String {
    let length = text.chars().count();
    format!("{text}{}", " ".repeat(width.saturating_sub(length)))
}

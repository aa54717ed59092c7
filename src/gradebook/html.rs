//! The gradebook as one static HTML page: inline CSS and inline SVG, no
//! script, nothing loaded from anywhere (a Content-Security-Policy forbids
//! it), readable on a phone. In order: the notices (duplicates, missing
//! shards, unreadable files), the class at a glance (counts, letters, a
//! histogram of totals), every student's letter and scores, the pass rate of
//! every check, the hardest checks with the lesson steps that teach them,
//! each student's failures (collapsed), and tampering.
//!
//! The page is in the user's language and says how to get it in the other.
//! Every text from a result file is escaped ([`page::inline`],
//! [`page::block`]).

mod charts;
mod page;
mod students;

use std::fmt::Write as _;

use crate::lang::Lang;

use super::stats::Stats;
use super::words::{letter, number, percent};
use super::{Gradebook, Severity};
use page::{escape, inline};

/// How many checks the "hardest" list shows.
const HARDEST: usize = 10;

/// The page.
pub fn render(book: &Gradebook, stats: &Stats, lang: Lang) -> String {
    let title = lang.pick("Gradebook", "Ведомость");
    let mut out = page::head(title, lang);
    header(&mut out, book, stats, lang);
    notices(&mut out, book, lang);
    overview(&mut out, stats, lang);
    students::table(&mut out, book, stats, lang);
    checks(&mut out, stats, lang);
    hardest(&mut out, stats, lang);
    students::failures(&mut out, book, lang);
    students::tampering(&mut out, book, lang);
    let _ = writeln!(
        out,
        "<footer>{}</footer>",
        escape(lang.pick(
            "Written by `workbook gradebook`. This page loads nothing from the network and runs no script.",
            "Создано командой `workbook gradebook`. Страница ничего не загружает из сети и не запускает скриптов.",
        ))
    );
    out.push_str(page::TAIL);
    out
}

fn header(out: &mut String, book: &Gradebook, stats: &Stats, lang: Lang) {
    let _ = write!(
        out,
        "<header>\n<h1>{}</h1>\n<p class=\"muted\">{}: {} · {}: {}</p>\n",
        escape(lang.pick("Gradebook", "Ведомость")),
        escape(lang.pick("students", "студентов")),
        stats.students,
        escape(lang.pick("result files", "файлов с результатами")),
        book.files,
    );
    // The other language, in that language.
    let other = match lang {
        Lang::En => {
            "<p class=\"muted\" lang=\"ru\">По-русски: <code>workbook --lang ru gradebook … --html ФАЙЛ</code></p>"
        }
        Lang::Ru => {
            "<p class=\"muted\" lang=\"en\">In English: <code>workbook --lang en gradebook … --html FILE</code></p>"
        }
    };
    out.push_str(other);
    let mut links = Vec::new();
    if !book.notices.is_empty() {
        links.push(("notices", lang.pick("Notices", "Замечания")));
    }
    links.extend([
        ("class", lang.pick("Class", "Группа")),
        ("students", lang.pick("Students", "Студенты")),
        ("checks", lang.pick("Checks", "Проверки")),
        ("hardest", lang.pick("Hardest", "Самые трудные")),
        ("failures", lang.pick("Failures", "Ошибки")),
        ("tampering", lang.pick("Tampering", "Вмешательства")),
    ]);
    out.push_str("\n<nav>");
    for (id, label) in links {
        let _ = write!(out, "<a href=\"#{id}\">{}</a>", escape(label));
    }
    out.push_str("</nav>\n</header>\n");
}

fn notices(out: &mut String, book: &Gradebook, lang: Lang) {
    if book.notices.is_empty() {
        return;
    }
    let _ = write!(
        out,
        "<section id=\"notices\">\n<h2>{}</h2>\n<ul class=\"notices\">\n",
        escape(lang.pick("Notices", "Замечания"))
    );
    for notice in &book.notices {
        let class = match notice.severity() {
            Severity::Problem => "problem",
            Severity::Note => "note",
        };
        let _ = writeln!(
            out,
            "<li class=\"{class}\"><b>{}:</b> {}</li>",
            escape(notice.label(lang)),
            inline(&notice.text(lang))
        );
    }
    out.push_str("</ul>\n</section>\n");
}

fn overview(out: &mut String, stats: &Stats, lang: Lang) {
    let _ = write!(
        out,
        "<section id=\"class\">\n<h2>{}</h2>\n<div class=\"cards\">",
        escape(lang.pick("The class", "Группа"))
    );
    let dash = || "—".to_owned();
    let cards = [
        (
            lang.pick("students", "студентов"),
            stats.students.to_string(),
        ),
        (lang.pick("graded", "оценено"), stats.graded().to_string()),
        (
            lang.pick("mean", "среднее"),
            stats.mean.map_or_else(dash, |m| number(m, lang)),
        ),
        (
            lang.pick("median", "медиана"),
            stats.median.map_or_else(dash, |m| number(m, lang)),
        ),
    ];
    for (label, value) in cards {
        let _ = write!(
            out,
            "<div class=\"card\"><b>{value}</b>{}</div>",
            escape(label)
        );
    }
    out.push_str("</div>\n");
    out.push_str(&charts::spread(stats, lang));
    let _ = write!(
        out,
        "\n<div class=\"scroll\"><table class=\"letters\"><thead><tr><th>{}</th><th class=\"num\">{}</th>\
         <th class=\"num\">{}</th></tr></thead><tbody>\n",
        escape(lang.pick("letter", "оценка")),
        escape(lang.pick("students", "студентов")),
        escape(lang.pick("share", "доля")),
    );
    let mut rows: Vec<(String, usize)> = stats
        .letters
        .iter()
        .map(|&(l, n)| {
            (
                format!("<span class=\"letter l-{0}\">{0}</span>", letter(l)),
                n,
            )
        })
        .collect();
    if stats.ungraded > 0 {
        rows.push((escape(lang.pick("no grade", "без оценки")), stats.ungraded));
    }
    for (label, n) in rows {
        let share = number(percent(n, stats.students).round(), lang);
        let _ = writeln!(
            out,
            "<tr><td>{label}</td><td class=\"num\">{n}</td><td class=\"num\">{share}%</td></tr>"
        );
    }
    let _ = write!(
        out,
        "</tbody></table></div>\n<h3>{}</h3>\n{}\n</section>\n",
        escape(lang.pick("Totals", "Итоговые баллы")),
        charts::histogram(stats, lang)
    );
}

/// Every check's pass rate, in course order.
fn checks(out: &mut String, stats: &Stats, lang: Lang) {
    let _ = write!(
        out,
        "<section id=\"checks\">\n<h2>{}</h2>\n",
        escape(lang.pick("Pass rate of every check", "Доля сдавших каждую проверку"))
    );
    if stats.checks.is_empty() {
        let _ = writeln!(
            out,
            "<p class=\"muted\">{}</p>",
            escape(lang.pick("No checks graded.", "Оценённых проверок нет."))
        );
        out.push_str("</section>\n");
        return;
    }
    let _ = writeln!(
        out,
        "<div class=\"scroll\"><table class=\"rates\"><thead><tr><th>{}</th><th class=\"num\">{}</th><th>{}</th></tr></thead><tbody>",
        escape(lang.pick("check", "проверка")),
        escape(lang.pick("passed", "сдали")),
        escape(lang.pick("pass rate", "доля")),
    );
    for check in &stats.checks {
        let _ = writeln!(
            out,
            "<tr><td><code>{} › {}</code><br><span class=\"muted\">{}</span></td>\
             <td class=\"num\">{}/{}</td><td>{}</td></tr>",
            inline(&check.exercise),
            inline(&check.check),
            inline(check.title.get(lang)),
            check.passed,
            check.graded,
            charts::rate(check.rate(), lang)
        );
    }
    out.push_str("</tbody></table></div>\n</section>\n");
}

/// The checks fewest students passed, with where the course teaches them.
fn hardest(out: &mut String, stats: &Stats, lang: Lang) {
    let _ = write!(
        out,
        "<section id=\"hardest\">\n<h2>{}</h2>\n",
        escape(lang.pick("The hardest checks", "Самые трудные проверки"))
    );
    let hard = stats.hardest(HARDEST);
    if hard.is_empty() {
        let _ = writeln!(
            out,
            "<p class=\"muted\">{}</p>",
            escape(lang.pick(
                "Every graded student passed every check.",
                "Все оценённые студенты сдали все проверки."
            ))
        );
    } else {
        out.push_str("<ol>\n");
        for check in hard {
            let passed = lang.pick(
                format!(
                    "passed by {} of {} ({}%)",
                    check.passed,
                    check.graded,
                    number(check.rate().round(), lang)
                ),
                format!(
                    "сдали {} из {} ({}%)",
                    check.passed,
                    check.graded,
                    number(check.rate().round(), lang)
                ),
            );
            let _ = write!(
                out,
                "<li><b>{}</b> <code>{} › {}</code><br>{}<br>",
                inline(check.title.get(lang)),
                inline(&check.exercise),
                inline(&check.check),
                escape(&passed)
            );
            out.push_str(&students::remedy(check.remedy.as_ref(), lang));
            out.push_str("</li>\n");
        }
        out.push_str("</ol>\n");
    }
    out.push_str("</section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_gradebook_still_makes_a_page() {
        let book = Gradebook::load(&[]);
        let stats = Stats::of(&book);
        for lang in Lang::ALL {
            let page = render(&book, &stats, lang);
            assert!(page.starts_with("<!DOCTYPE html>"));
            assert!(page.ends_with("</html>\n"));
            assert!(!page.contains("<script"));
        }
    }
}

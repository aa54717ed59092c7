//! The parts of the HTML page about single students: the table of letters
//! and scores, each student's failures in a collapsed `<details>`, and the
//! tampering found.

use std::fmt::Write as _;

use crate::lang::Lang;

use super::super::result::{Exercise, Graded, Remedy, Status};
use super::super::stats::Stats;
use super::super::words::{self, letter, number};
use super::super::{Gradebook, Record, Student};
use super::page::{block, escape, inline};

/// How much of a message or of evidence is shown.
const TEXT_CHARS: usize = 1500;

/// One row per student: letter, total, each module, quiz, style, tampering.
pub fn table(out: &mut String, book: &Gradebook, stats: &Stats, lang: Lang) {
    let _ = write!(
        out,
        "<section id=\"students\">\n<h2>{}</h2>\n<div class=\"scroll\"><table class=\"students\"><thead><tr>\
         <th>{}</th><th>{}</th><th class=\"num\">{}</th>",
        escape(lang.pick("Students", "Студенты")),
        escape(lang.pick("student", "студент")),
        escape(lang.pick("letter", "оценка")),
        escape(lang.pick("total", "итог")),
    );
    for (id, title) in &stats.modules {
        let _ = write!(
            out,
            "<th class=\"num\" title=\"{}\">{}</th>",
            inline(title.get(lang)),
            inline(id)
        );
    }
    let _ = writeln!(
        out,
        "<th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th></tr></thead><tbody>",
        escape(lang.pick("quiz %", "квизы %")),
        escape(lang.pick("style %", "стиль %")),
        escape(lang.pick("tampering", "вмешательства")),
    );
    for student in &book.students {
        row(out, student, stats, lang);
    }
    out.push_str("</tbody></table></div>\n</section>\n");
}

fn row(out: &mut String, student: &Student, stats: &Stats, lang: Lang) {
    let id = inline(&student.id);
    let _ = write!(out, "<tr><td title=\"{id}\">{id}</td>");
    let Some(graded) = student.graded() else {
        let span = stats.modules.len() + 5;
        let _ = writeln!(
            out,
            "<td colspan=\"{span}\" class=\"muted\">{}</td></tr>",
            escape(words::state(student, lang))
        );
        return;
    };
    let _ = write!(
        out,
        "<td><span class=\"letter l-{0}\">{0}</span></td><td class=\"num\">{1}</td>",
        letter(graded.letter),
        number(graded.score, lang)
    );
    for (id, _) in &stats.modules {
        let score = graded.modules.iter().find(|m| &m.id == id);
        let text = score.map_or_else(String::new, |m| number(m.score.clamp(0.0, 100.0), lang));
        let _ = write!(out, "<td class=\"num\">{text}</td>");
    }
    let percent =
        |p: Option<f64>| p.map_or_else(String::new, |p| number(p.clamp(0.0, 100.0), lang));
    let _ = writeln!(
        out,
        "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
        percent(graded.quiz_percent()),
        percent(graded.style_percent()),
        graded.tampering.len()
    );
}

/// Each student with something to review, collapsed.
pub fn failures(out: &mut String, book: &Gradebook, lang: Lang) {
    let _ = write!(
        out,
        "<section id=\"failures\">\n<h2>{}</h2>\n",
        escape(lang.pick("Each student's failures", "Ошибки каждого студента"))
    );
    let mut shown = 0;
    for student in &book.students {
        let body = match &student.record {
            Record::Graded(graded) => graded_failures(graded, lang),
            Record::NotGraded { message } => format!("<pre>{}</pre>", block(message, TEXT_CHARS)),
            Record::Missing => String::new(),
        };
        let notices: Vec<String> = book
            .notices_of(&student.id)
            .map(|n| format!("<li>{}</li>", inline(&n.text(lang))))
            .collect();
        if body.is_empty() && notices.is_empty() {
            continue;
        }
        shown += 1;
        let _ = writeln!(
            out,
            "<details><summary>{}</summary>",
            summary(student, lang)
        );
        if !notices.is_empty() {
            let _ = write!(out, "<ul>{}</ul>", notices.concat());
        }
        out.push_str(&body);
        out.push_str("</details>\n");
    }
    if shown == 0 {
        let _ = writeln!(
            out,
            "<p class=\"muted\">{}</p>",
            escape(lang.pick("Nothing to review.", "Повторять нечего."))
        );
    }
    out.push_str("</section>\n");
}

/// `[letter] id · total · N failing checks`.
fn summary(student: &Student, lang: Lang) -> String {
    let Some(graded) = student.graded() else {
        return format!(
            "{} · {}",
            inline(&student.id),
            escape(words::state(student, lang))
        );
    };
    let failing = graded
        .checks()
        .filter(|(_, c)| c.verdict != Status::Pass)
        .count();
    let failing = lang.pick(
        format!("failing checks: {failing}"),
        format!("не пройдено проверок: {failing}"),
    );
    format!(
        "<span class=\"letter l-{0}\">{0}</span> {1} · {2} · {3}",
        letter(graded.letter),
        inline(&student.id),
        number(graded.score, lang),
        escape(&failing)
    )
}

/// What a graded student should look at: capped letter, failing checks,
/// quizzes not passed, style, tampering. Empty when there is nothing.
fn graded_failures(graded: &Graded, lang: Lang) -> String {
    let mut out = String::new();
    if let Some(reason) = &graded.capped {
        let _ = write!(out, "<p>{}</p>", inline(&words::capped(reason, lang)));
    }
    let checks: String = graded
        .modules
        .iter()
        .flat_map(|m| &m.exercises)
        .map(|e| exercise_failures(e, lang))
        .collect();
    section(&mut out, lang.pick("Checks", "Проверки"), &checks);
    section(
        &mut out,
        lang.pick("Quizzes", "Квизы"),
        &quizzes(graded, lang),
    );
    section(&mut out, lang.pick("Style", "Стиль"), &style(graded, lang));
    let mut tampered = String::new();
    for t in &graded.tampering {
        let _ = write!(
            tampered,
            "<li><code>{}</code> — {}</li>",
            inline(&t.path),
            inline(&words::tamper_kind(&t.kind, lang))
        );
    }
    section(&mut out, lang.pick("Tampering", "Вмешательства"), &tampered);
    out
}

/// The list items of an exercise's failures: one for an exercise that does
/// not compile (its checks could not run), else one per check not passed.
fn exercise_failures(exercise: &Exercise, lang: Lang) -> String {
    let mut out = String::new();
    if !exercise.compiled {
        let (points, max) = exercise
            .checks
            .iter()
            .fold((0, 0), |(p, m), c| (p + c.points, m + c.max_points));
        let _ = write!(
            out,
            "<li><code>{}</code> {} — {}",
            inline(&exercise.id),
            inline(exercise.title.get(lang)),
            escape(&lang.pick(
                format!("does not compile, {points} of {max} points"),
                format!("не компилируется, баллов: {points} из {max}"),
            )),
        );
        if let Some(error) = exercise.compile_errors.first() {
            let text = format!(
                "{}:{}:{}: {}",
                error.file, error.line, error.column, error.message
            );
            let _ = write!(out, "<pre>{}</pre>", block(&text, TEXT_CHARS));
        }
        let taught = exercise.checks.iter().find_map(|c| c.remedy.as_ref());
        out.push_str(&remedy(taught, lang));
        out.push_str("</li>\n");
        return out;
    }
    for check in exercise.checks.iter().filter(|c| c.verdict != Status::Pass) {
        let points = lang.pick(
            format!("{} of {} points", check.points, check.max_points),
            format!("баллов: {} из {}", check.points, check.max_points),
        );
        let _ = write!(
            out,
            "<li><code>{} › {}</code> {} — {}, {}",
            inline(&exercise.id),
            inline(&check.id),
            inline(check.title.get(lang)),
            escape(words::verdict(check.verdict, lang)),
            escape(&points),
        );
        let message = check.message.get(lang);
        if !message.trim().is_empty() {
            let _ = write!(out, "<pre>{}</pre>", block(message, TEXT_CHARS));
        }
        if !check.evidence.is_empty() {
            let _ = write!(
                out,
                "<pre>{}</pre>",
                block(&check.evidence.join("\n"), TEXT_CHARS)
            );
        }
        out.push_str(&remedy(check.remedy.as_ref(), lang));
        out.push_str("</li>\n");
    }
    out
}

/// A heading and a list, when the list has items.
fn section(out: &mut String, heading: &str, items: &str) {
    if !items.is_empty() {
        let _ = writeln!(out, "<h3>{}</h3><ul>{items}</ul>", escape(heading));
    }
}

fn quizzes(graded: &Graded, lang: Lang) -> String {
    let mut out = String::new();
    for module in &graded.modules {
        let Some(quiz) = module.quiz.as_ref().filter(|q| !q.passed) else {
            continue;
        };
        let mark = lang.pick(
            format!(
                "{}%, pass mark {}%",
                number(quiz.percent, lang),
                quiz.pass_percent
            ),
            format!(
                "{}%, порог {}%",
                number(quiz.percent, lang),
                quiz.pass_percent
            ),
        );
        let _ = write!(
            out,
            "<li><code>{}</code> {}",
            inline(&module.id),
            escape(&mark)
        );
        if let Some(problem) = &quiz.problem {
            let _ = write!(out, "<br>{}", inline(problem.get(lang)));
        }
        for missed in &quiz.missed {
            let _ = write!(out, "<br><code>{}</code> ", inline(&missed.id));
            out.push_str(&remedy(missed.remedy.as_ref(), lang));
        }
        out.push_str("</li>\n");
    }
    out
}

fn style(graded: &Graded, lang: Lang) -> String {
    let Some(style) = &graded.style else {
        return String::new();
    };
    let mut out = String::new();
    if !style.measured {
        let _ = write!(
            out,
            "<li>{}</li>",
            escape(lang.pick("not measured", "не измерен"))
        );
    }
    for file in &style.unformatted {
        let _ = write!(
            out,
            "<li>{} <code>{}</code></li>",
            escape(lang.pick("rustfmt would reformat", "rustfmt переформатирует")),
            inline(file)
        );
    }
    if !style.warnings.is_empty() {
        let _ = write!(
            out,
            "<li>{}</li>",
            escape(&lang.pick(
                format!("clippy warnings: {}", style.warnings.len()),
                format!("предупреждений clippy: {}", style.warnings.len()),
            ))
        );
    }
    out
}

/// `Review: step title — command`, or that no step is named.
pub fn remedy(remedy: Option<&Remedy>, lang: Lang) -> String {
    match remedy {
        Some(remedy) => format!(
            "{} {} — <code>{}</code>",
            escape(lang.pick("Review:", "Повторить:")),
            inline(remedy.title.get(lang)),
            inline(&remedy.command)
        ),
        None => format!(
            "<span class=\"muted\">{}</span>",
            escape(lang.pick("no lesson step named", "шаг урока не указан"))
        ),
    }
}

/// Every student's tampering in one table.
pub fn tampering(out: &mut String, book: &Gradebook, lang: Lang) {
    let _ = write!(
        out,
        "<section id=\"tampering\">\n<h2>{}</h2>\n<p class=\"muted\">{}</p>\n",
        escape(lang.pick("Tampering", "Вмешательства")),
        escape(lang.pick(
            "Files that differ from the course outside what students may edit; grading ignored them.",
            "Файлы, отличающиеся от курса вне того, что студентам можно менять; при оценке они не учтены.",
        )),
    );
    let rows: Vec<String> = book
        .students
        .iter()
        .filter_map(|s| s.graded().map(|g| (s, g)))
        .flat_map(|(s, g)| {
            g.tampering.iter().map(move |t| {
                format!(
                    "<tr><td>{}</td><td><code>{}</code></td><td>{}</td></tr>\n",
                    inline(&s.id),
                    inline(&t.path),
                    inline(&words::tamper_kind(&t.kind, lang))
                )
            })
        })
        .collect();
    if rows.is_empty() {
        let _ = writeln!(
            out,
            "<p>{}</p>",
            escape(lang.pick("None found.", "Не найдено."))
        );
    } else {
        let _ = write!(
            out,
            "<div class=\"scroll\"><table><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>\n{}</tbody></table></div>\n",
            escape(lang.pick("student", "студент")),
            escape(lang.pick("file", "файл")),
            escape(lang.pick("what", "что")),
            rows.concat()
        );
    }
    out.push_str("</section>\n");
}

//! The screen of `workbook progress`: what is done in each module.

use std::fmt::Write as _;

use crate::course::Course;
use crate::lang::Lang;
use crate::standing::Standing;
use crate::store::GradeRecord;
use crate::style;

/// Renders per-module progress.
pub fn render(course: &Course, standing: &Standing, lang: Lang) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", style::heading(lang.pick("Progress", "Прогресс")));
    let labels = [
        lang.pick("Steps read", "Прочитано шагов"),
        lang.pick("Blanks answered", "Заполнено пропусков"),
        lang.pick("Exercises passed", "Упражнений сдано"),
        lang.pick("Quiz", "Квиз"),
    ];
    let width = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0);
    let row = |out: &mut String, label: &str, value: String| {
        let pad = width - label.chars().count();
        let _ = writeln!(out, "  {label}{}  {value}", " ".repeat(pad));
    };
    for (number, (module, counts)) in course.modules().iter().zip(&standing.modules).enumerate() {
        out.push('\n');
        let _ = writeln!(
            out,
            "{}",
            style::heading(&format!(
                "{} {}. {}",
                lang.pick("Module", "Модуль"),
                number + 1,
                module.title.get(lang)
            ))
        );
        let (read, steps) = counts.steps();
        row(
            &mut out,
            labels[0],
            format!("{} {read}/{steps}", style::bar(read, steps, 20)),
        );
        let (solved, revealed, blanks) = counts.blanks();
        let mut value = format!("{} {solved}/{blanks}", style::bar(solved, blanks, 20));
        if revealed > 0 {
            let _ = write!(
                value,
                " {}",
                style::dim(&lang.pick(
                    format!("({revealed} revealed)"),
                    format!("(подсмотрено: {revealed})")
                ))
            );
        }
        row(&mut out, labels[1], value);
        let (passed, exercises) = counts.exercises_passed();
        let value = if exercises == 0 {
            style::dim(lang.pick("none in this module", "в этом модуле нет"))
        } else {
            format!("{} {passed}/{exercises}", style::bar(passed, exercises, 20))
        };
        row(&mut out, labels[2], value);
        let value = match &counts.quiz {
            None => style::dim(lang.pick("none in this module", "в этом модуле нет")),
            Some((_, quiz)) => match (quiz.best_percent, quiz.last_percent) {
                (Some(best), Some(last)) => {
                    let (best, last) = (style::whole_percent(best), style::whole_percent(last));
                    let verdict = if quiz.passed {
                        style::good(lang.pick("passed", "сдан"))
                    } else {
                        style::warn(lang.pick("not passed yet", "пока не сдан"))
                    };
                    lang.pick(
                        format!(
                            "best {best}%, last {last}%, {} attempts, {verdict}",
                            quiz.attempts
                        ),
                        format!(
                            "лучший {best}%, последний {last}%, попыток: {}, {verdict}",
                            quiz.attempts
                        ),
                    )
                }
                _ => style::dim(lang.pick("not taken yet", "ещё не пройден")),
            },
        };
        row(&mut out, labels[3], value);
    }
    out.push('\n');
    out.push_str(&grade(standing.grade.as_ref(), lang));
    out
}

/// The latest grade, with the numbers `workbook grade` gave (read from the
/// grade it recorded, never computed again here).
fn grade(record: Option<&GradeRecord>, lang: Lang) -> String {
    let mut out = String::new();
    let grade = record.and_then(|r| serde_json::from_str::<serde_json::Value>(&r.document).ok());
    let (Some(record), Some(grade)) = (record, grade) else {
        let _ = writeln!(
            out,
            "{}",
            style::dim(lang.pick(
                "No grade yet: `workbook grade` scores your work with the course's rubric.",
                "Оценки пока нет: `workbook grade` оценит работу по критериям курса.",
            ))
        );
        return out;
    };
    let number = |v: &serde_json::Value| v.as_f64().unwrap_or(0.0);
    let letter = grade["letter"].as_str().unwrap_or("?");
    let score = number(&grade["score"]);
    let _ = writeln!(
        out,
        "{}",
        style::heading(&lang.pick(
            format!("Grade: {letter} · {score:.2} of 100"),
            format!("Оценка: {letter} · {score:.2} из 100"),
        ))
    );
    let parts = &grade["parts"];
    let _ = writeln!(
        out,
        "  {}",
        lang.pick(
            format!(
                "exercises {:.2} % · quiz {:.2} % · style {:.2} %",
                number(&parts["exercises"]["percent"]),
                number(&parts["quiz"]["percent"]),
                number(&parts["style"]["percent"])
            ),
            format!(
                "упражнения {:.2} % · квиз {:.2} % · стиль {:.2} %",
                number(&parts["exercises"]["percent"]),
                number(&parts["quiz"]["percent"]),
                number(&parts["style"]["percent"])
            ),
        )
    );
    for module in grade["modules"].as_array().into_iter().flatten() {
        let title = module["title"][lang.pick("en", "ru")]
            .as_str()
            .unwrap_or("");
        let _ = writeln!(out, "  {title}: {:.2}", number(&module["score"]));
    }
    if record.stale {
        let _ = writeln!(
            out,
            "{}",
            style::warn(lang.pick(
                "Checks ran or a quiz was taken since: run `workbook grade` again to update it.",
                "С тех пор запускались проверки или квиз: запустите `workbook grade` ещё раз.",
            ))
        );
    }
    out
}

//! The screen of `workbook progress`: what is done in each module.

use std::fmt::Write as _;

use crate::course::Course;
use crate::lang::Lang;
use crate::standing::Standing;
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
                    let verdict = if quiz.passed {
                        style::good(lang.pick("passed", "сдан"))
                    } else {
                        style::warn(lang.pick("not passed yet", "пока не сдан"))
                    };
                    lang.pick(
                        format!(
                            "best {best:.0}%, last {last:.0}%, {} attempts, {verdict}",
                            quiz.attempts
                        ),
                        format!(
                            "лучший {best:.0}%, последний {last:.0}%, попыток: {}, {verdict}",
                            quiz.attempts
                        ),
                    )
                }
                _ => style::dim(lang.pick("not taken yet", "ещё не пройден")),
            },
        };
        row(&mut out, labels[3], value);
    }
    out
}

//! Grade reports: one renderer per format, all from the same [`Grade`]. The
//! renderers decide nothing about the grade; they only write it down for
//! their reader:
//!
//! - [`human`]: the terminal, for the student, in their language;
//! - [`json`]: machines (Exercism test-runner results v3, and more);
//! - [`junit`]: CI test dashboards;
//! - [`markdown`]: a GitHub Actions job summary;
//! - [`github`]: GitHub Actions annotations;
//! - [`gradescope`]: Gradescope's autograder.
//!
//! Check messages, evidence, compiler output and the paths of submitted files
//! come from the student's side, so every renderer passes them through
//! [`workbook_support::sanitize`] and then escapes them for its format.

mod github;
mod gradescope;
mod human;
mod json;
mod junit;
mod markdown;
#[doc(hidden)]
pub mod sample;

use super::model::{Capped, CheckGrade, ExerciseGrade, Grade, ModuleGrade, TamperKind, Verdict};
use crate::cli::{Letter, ReportFormat};
use crate::lang::Lang;

/// The report of `grade` in `format`, in `lang` where the format has text
/// for people (ids and test names stay as they are in every language).
pub fn render(grade: &Grade, format: ReportFormat, lang: Lang) -> String {
    match format {
        ReportFormat::Human => human::render(grade, lang),
        ReportFormat::Json => json::render(grade, lang),
        ReportFormat::Junit => junit::render(grade, lang),
        ReportFormat::Markdown => markdown::render(grade, lang),
        ReportFormat::Github => github::render(grade, lang),
        ReportFormat::Gradescope => gradescope::render(grade, lang),
    }
}

/// Every exercise in course order with its module and its 1-based position
/// (Exercism's `task_id`).
fn exercises(grade: &Grade) -> impl Iterator<Item = (usize, &ModuleGrade, &ExerciseGrade)> {
    grade
        .modules
        .iter()
        .flat_map(|m| m.exercises.iter().map(move |e| (m, e)))
        .enumerate()
        .map(|(i, (m, e))| (i + 1, m, e))
}

/// A check's name in test lists: `eager-tags › no-n-plus-one: title`, the
/// title in English so that the name is the same whatever the language.
fn check_name(exercise: &ExerciseGrade, check: &CheckGrade) -> String {
    format!(
        "{} › {}: {}",
        exercise.id,
        check.id,
        check.title.get(Lang::En)
    )
}

/// A check's message in `lang`, or a plain statement of the verdict when the
/// check gave none. Not yet sanitised.
fn check_message(check: &CheckGrade, lang: Lang) -> &str {
    let message = check.message.get(lang);
    if !message.trim().is_empty() {
        return message;
    }
    match check.verdict {
        Verdict::Pass => lang.pick("passed", "пройдена"),
        Verdict::Fail => lang.pick("the check failed", "проверка не пройдена"),
        Verdict::Error => lang.pick("the check could not run", "проверку не удалось запустить"),
    }
}

/// The letter as shown.
fn letter(letter: Letter) -> &'static str {
    match letter {
        Letter::S => "S",
        Letter::A => "A",
        Letter::B => "B",
        Letter::C => "C",
    }
}

/// Why the letter is A although the total reaches S.
fn capped_reason(capped: Capped, lang: Lang) -> &'static str {
    match capped {
        Capped::FailingChecks => lang.pick(
            "the total reaches S, but not every check is green",
            "баллов хватает на S, но не все проверки зелёные",
        ),
        Capped::StyleNotClean => lang.pick(
            "the total reaches S, but rustfmt or clippy found something",
            "баллов хватает на S, но у rustfmt или clippy есть замечания",
        ),
        Capped::FailingChecksAndStyle => lang.pick(
            "the total reaches S, but not every check is green and rustfmt or clippy found something",
            "баллов хватает на S, но не все проверки зелёные и у rustfmt или clippy есть замечания",
        ),
    }
}

/// What a kind of tampering means, in words.
fn tamper_words(kind: TamperKind, lang: Lang) -> &'static str {
    match kind {
        TamperKind::Modified => lang.pick(
            "a course file was changed; the course's version was used",
            "файл курса изменён; использована версия курса",
        ),
        TamperKind::Removed => lang.pick(
            "a course file was removed; the course's version was used",
            "файл курса удалён; использована версия курса",
        ),
        TamperKind::Added => lang.pick(
            "a file added outside the editable files; ignored",
            "файл добавлен вне редактируемых файлов; не учтён",
        ),
        TamperKind::CopiesSolution => lang.pick(
            "the same as the reference solution",
            "совпадает с эталонным решением",
        ),
        TamperKind::IncludesOutside => lang.pick(
            "pulls in code from outside the editable files",
            "подключает код из-за пределов редактируемых файлов",
        ),
    }
}

/// The three parts of the rubric with their names in `lang`.
fn parts(grade: &Grade, lang: Lang) -> [(&'static str, super::model::Part); 3] {
    [
        (lang.pick("exercises", "упражнения"), grade.parts.exercises),
        (lang.pick("quiz", "квизы"), grade.parts.quiz),
        (lang.pick("style", "стиль"), grade.parts.style),
    ]
}

/// A number as people write it: at most two decimals, no trailing zeros, a
/// decimal comma in Russian.
fn number(value: f64, lang: Lang) -> String {
    let text = format!("{value:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    let text = if text == "-0" { "0" } else { text };
    match lang {
        Lang::En => text.to_owned(),
        Lang::Ru => text.replace('.', ","),
    }
}

/// Points earned and possible in a module.
fn module_points(module: &ModuleGrade) -> (u32, u32) {
    module
        .exercises
        .iter()
        .fold((0, 0), |(earned, possible), e| {
            (earned + e.points, possible + e.max_points)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_drop_trailing_zeros_and_use_a_comma_in_russian() {
        assert_eq!(number(54.0, Lang::En), "54");
        assert_eq!(number(58.888, Lang::En), "58.89");
        assert_eq!(number(6.5, Lang::Ru), "6,5");
        assert_eq!(number(0.0, Lang::Ru), "0");
        assert_eq!(number(-0.001, Lang::En), "0");
    }

    #[test]
    fn task_ids_count_exercises_in_course_order() {
        let grade = sample::grade();
        let ids: Vec<(usize, &str)> = exercises(&grade)
            .map(|(n, _, e)| (n, e.id.as_str()))
            .collect();
        assert_eq!(
            ids,
            [
                (1, "pool-basics"),
                (2, "transfer"),
                (3, "founditem-schema"),
                (4, "eager-tags")
            ]
        );
    }

    #[test]
    fn every_format_renders_something() {
        use clap::ValueEnum as _;
        crate::style::set_color(false);
        let grade = sample::grade();
        for &format in ReportFormat::value_variants() {
            for lang in Lang::ALL {
                assert!(!render(&grade, format, lang).trim().is_empty());
            }
        }
    }
}

//! Words and numbers the gradebook's outputs share, in both languages.

use crate::cli::Letter;
use crate::lang::Lang;

use super::result::Status;
use super::{Record, Student};

/// The letters, best first.
pub const LETTERS: [Letter; 4] = [Letter::S, Letter::A, Letter::B, Letter::C];

/// A letter as written.
pub fn letter(letter: Letter) -> &'static str {
    match letter {
        Letter::S => "S",
        Letter::A => "A",
        Letter::B => "B",
        Letter::C => "C",
    }
}

/// A number as people write it: at most two decimals, no trailing zeros, a
/// decimal comma in Russian.
pub fn number(value: f64, lang: Lang) -> String {
    let text = plain(value);
    match lang {
        Lang::En => text,
        Lang::Ru => text.replace('.', ","),
    }
}

/// A number for machines: at most two decimals, no trailing zeros, a point.
pub fn plain(value: f64) -> String {
    let text = format!("{value:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".to_owned()
    } else {
        text.to_owned()
    }
}

/// `part` of `whole` in percent, 0 when there is no whole.
pub fn percent(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        return 0.0;
    }
    #[expect(
        clippy::cast_precision_loss,
        reason = "class sizes and check counts are far below 2^52"
    )]
    let ratio = part as f64 / whole as f64;
    ratio * 100.0
}

/// What a kind of tampering means, short.
pub fn tamper_kind(kind: &str, lang: Lang) -> String {
    let known = match kind {
        "modified" => lang.pick("course file changed", "файл курса изменён"),
        "removed" => lang.pick("course file removed", "файл курса удалён"),
        "added" => lang.pick("file added", "файл добавлен"),
        "copies_solution" => lang.pick("copies the reference solution", "копия эталонного решения"),
        "includes_outside" => lang.pick(
            "includes code from outside the editable files",
            "подключает код извне редактируемых файлов",
        ),
        other => return other.to_owned(),
    };
    known.to_owned()
}

/// Why the letter is capped at A.
pub fn capped(reason: &str, lang: Lang) -> String {
    let known = match reason {
        "failing_checks" => lang.pick(
            "at most A: not every check is green",
            "не выше A: не все проверки зелёные",
        ),
        "style_not_clean" => lang.pick(
            "at most A: rustfmt or clippy found something",
            "не выше A: у rustfmt или clippy есть замечания",
        ),
        "failing_checks_and_style" => lang.pick(
            "at most A: not every check is green, and rustfmt or clippy found something",
            "не выше A: не все проверки зелёные, и у rustfmt или clippy есть замечания",
        ),
        other => return lang.pick(format!("at most A: {other}"), format!("не выше A: {other}")),
    };
    known.to_owned()
}

/// A check's verdict in words.
pub fn verdict(verdict: Status, lang: Lang) -> &'static str {
    match verdict {
        Status::Pass => lang.pick("passed", "пройдена"),
        Status::Fail => lang.pick("failed", "не пройдена"),
        Status::Error => lang.pick("could not run", "не запустилась"),
    }
}

/// A student's state in words: the letter's absence explained.
pub fn state(student: &Student, lang: Lang) -> &'static str {
    match &student.record {
        Record::Graded(_) => lang.pick("graded", "оценён"),
        Record::NotGraded { .. } => lang.pick("not graded", "не оценён"),
        Record::Missing => lang.pick("result missing", "нет результата"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_drop_trailing_zeros() {
        assert_eq!(number(54.0, Lang::En), "54");
        assert_eq!(number(58.888, Lang::En), "58.89");
        assert_eq!(number(6.5, Lang::Ru), "6,5");
        assert_eq!(plain(-0.001), "0");
        assert_eq!(plain(percent(1, 3)), "33.33");
        assert_eq!(plain(percent(1, 0)), "0");
    }
}

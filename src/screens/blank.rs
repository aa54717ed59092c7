//! What a student reads after answering a fill-in blank: the verdict and, for
//! a wrong answer, something they do not know yet — where the answer departs
//! from the nearest accepted one, and the author's hint once, never the same
//! text again and never their own answer back as if it were news.

use crate::course::compare::Difference;
use crate::course::lesson::Blank;
use crate::lang::Lang;

/// What is wrong with the answer `given` to `blank`, after `wrong_before`
/// wrong answers to it: `not quite: <where it departs>. <the hint, the first
/// time only>.` The caller adds the blank's name and how to go on (the
/// viewer's keys, or the command's options).
pub fn wrong(blank: &Blank, given: &str, wrong_before: u32, lang: Lang) -> String {
    let mut sentences = Vec::new();
    let difference = blank.difference(given);
    match &difference {
        Some(difference) => sentences.push(describe(difference, lang)),
        None => sentences.push(lang.pick("not quite", "не совсем").to_owned()),
    }
    match (&blank.hint, wrong_before, &difference) {
        (Some(hint), 0, _) => sentences.push(format!(
            "{}: {}",
            lang.pick("Hint", "Подсказка"),
            hint.get(lang).trim().trim_end_matches('.')
        )),
        // The hint was shown already and there is no difference to name.
        (Some(_), _, None) => sentences.push(
            lang.pick(
                "The hint you saw is all there is for this blank; reread the step's text",
                "Подсказка, которую вы видели, — всё, что есть для этого пропуска; перечитайте текст шага",
            )
            .to_owned(),
        ),
        _ => {}
    }
    let mut text = String::new();
    for (index, sentence) in sentences.iter().enumerate() {
        if index > 0 {
            text.push(' ');
        }
        text.push_str(sentence);
        if !sentence.ends_with(['.', '?', '!', ')']) {
            text.push('.');
        }
    }
    text
}

/// Where a wrong answer departs, naming only the part the student got right.
fn describe(difference: &Difference, lang: Lang) -> String {
    match difference {
        Difference::Case => lang
            .pick(
                "not quite: only upper and lower case differ, and here they matter",
                "не совсем: отличаются только заглавные и строчные буквы, а здесь это важно",
            )
            .to_owned(),
        Difference::Spacing => lang
            .pick(
                "not quite: only the spacing differs, and this blank is compared character for character",
                "не совсем: отличаются только пробелы, а этот пропуск сравнивается посимвольно",
            )
            .to_owned(),
        Difference::TooShort(right) => lang.pick(
            format!("not quite: `{right}` is right so far, but something is missing at the end"),
            format!("не совсем: `{right}` — верно, но в конце чего-то не хватает"),
        ),
        Difference::TooLong(right) => lang.pick(
            format!("not quite: `{right}` is right, and what you wrote after it is not needed"),
            format!("не совсем: `{right}` — верно, а написанное после лишнее"),
        ),
        Difference::WrongAfter(right) => lang.pick(
            format!("not quite: right up to `{right}`, wrong after it"),
            format!("не совсем: до `{right}` верно, дальше — нет"),
        ),
        Difference::WrongStart => lang
            .pick(
                "not quite: it goes wrong from the first word",
                "не совсем: неверно уже с первого слова",
            )
            .to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::course::lesson::Compare;
    use crate::course::seal::{Accepted, Sealed};
    use crate::course::text::Text;

    fn blank() -> Blank {
        Blank {
            id: "DDL_CREATE".into(),
            answers: Accepted::Plain(vec!["pool.begin().await?".into()]),
            compare: Compare::Code,
            hint: Some(Text::new(
                "Ask the pool to begin, wait for it, and pass an error up with `?`.",
                "Попросите пул начать транзакцию, дождитесь её и передайте ошибку выше через `?`.",
            )),
        }
    }

    #[test]
    fn the_first_wrong_answer_gets_where_and_the_hint() {
        assert_eq!(
            wrong(&blank(), "pool.begin().await", 0, Lang::En),
            "not quite: `pool.begin().await` is right so far, but something is missing at the end. \
             Hint: Ask the pool to begin, wait for it, and pass an error up with `?`."
        );
        assert_eq!(
            wrong(&blank(), "pool.start()", 0, Lang::Ru),
            "не совсем: до `pool.` верно, дальше — нет. \
             Подсказка: Попросите пул начать транзакцию, дождитесь её и передайте ошибку выше через `?`."
        );
    }

    #[test]
    fn later_wrong_answers_never_repeat_the_hint() {
        let second = wrong(&blank(), "pool.begin()", 1, Lang::En);
        assert!(!second.contains("Ask the pool"), "{second}");
        assert!(
            second.contains("`pool.begin()` is right so far"),
            "{second}"
        );
        let third = wrong(&blank(), "tx.begin()", 2, Lang::En);
        assert!(third.contains("wrong from the first word"), "{third}");
        assert_ne!(second, third, "each answer gets its own feedback");
    }

    #[test]
    fn sealed_blanks_fall_back_on_the_hint_once() {
        let mut sealed = blank();
        sealed.answers = Accepted::Sealed(Sealed::seal(
            "0".repeat(16),
            [Compare::Code.normalise("pool.begin().await?").as_str()],
        ));
        let first = wrong(&sealed, "pool.begin()", 0, Lang::En);
        assert!(first.contains("Hint: Ask the pool"), "{first}");
        let second = wrong(&sealed, "pool.begin()", 1, Lang::En);
        assert!(!second.contains("Ask the pool"), "{second}");
        assert!(second.contains("reread the step"), "{second}");
    }

    #[test]
    fn a_wrong_case_or_spacing_is_named() {
        let mut exact = blank();
        exact.compare = Compare::Exact;
        exact.hint = None;
        assert!(
            wrong(&exact, "pool.begin( ).await?", 0, Lang::En).contains("only the spacing differs")
        );
        assert!(wrong(&exact, "Pool.begin().await?", 0, Lang::Ru).contains("заглавные и строчные"));
    }
}

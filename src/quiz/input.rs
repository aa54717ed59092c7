//! Turning what a student types into an answer: option letters (Latin, or the
//! same keys on a Russian layout), true/false words, texts and blanks.

use std::collections::BTreeMap;

use super::answer::Answer;
use super::draw::Drawn;
use crate::course::bank::QuestionType;
use crate::lang::Lang;

/// The keys A–Z on the Russian ЙЦУКЕН layout, in Latin order: a student who
/// forgot to switch layouts still picks the option they meant.
const RUSSIAN_LAYOUT: [char; 26] = [
    'ф', 'и', 'с', 'в', 'у', 'а', 'п', 'р', 'ш', 'о', 'л', 'д', 'ь', 'т', 'щ', 'з', 'й', 'к', 'ы',
    'е', 'г', 'м', 'ц', 'ч', 'н', 'я',
];

/// The option position a letter key stands for (`a`/`A`/`ф` → 0).
pub fn letter_index(c: char) -> Option<usize> {
    let lower = c.to_lowercase().next()?;
    if lower.is_ascii_lowercase() {
        return Some(usize::from(u8::try_from(lower).ok()? - b'a'));
    }
    RUSSIAN_LAYOUT.iter().position(|&k| k == lower)
}

/// The letter shown for an option position: A, B, C…
pub fn letter(index: usize) -> char {
    u8::try_from(index)
        .ok()
        .filter(|i| *i < 26)
        .map_or('?', |i| char::from(b'A' + i))
}

/// The labels of a true/false question's two options.
pub fn truth_labels(lang: Lang) -> [&'static str; 2] {
    [lang.pick("True", "Верно"), lang.pick("False", "Неверно")]
}

/// How many options a question shows (true/false shows two).
pub fn option_count(drawn: &Drawn<'_>) -> usize {
    if drawn.question.kind == QuestionType::TrueFalse {
        2
    } else {
        drawn.order.len()
    }
}

/// The answer meant by choosing the options at these display positions.
pub fn from_positions(drawn: &Drawn<'_>, positions: &[usize]) -> Option<Answer> {
    let id = |p: &usize| {
        drawn
            .order
            .get(*p)
            .map(|&i| drawn.question.options[i].id.clone())
    };
    match drawn.question.kind {
        QuestionType::TrueFalse => positions.first().map(|p| Answer::Truth(*p == 0)),
        QuestionType::Single => positions.first().and_then(id).map(Answer::One),
        QuestionType::Multiple | QuestionType::Order => positions
            .iter()
            .map(id)
            .collect::<Option<Vec<_>>>()
            .map(Answer::Many),
        QuestionType::Short | QuestionType::Fill => None,
    }
}

/// Parses a typed line for a question shown with its options in `drawn.order`.
/// The error says, in the student's language, what to type instead.
pub fn parse(drawn: &Drawn<'_>, line: &str, lang: Lang) -> Result<Answer, String> {
    let line = line.trim();
    let count = option_count(drawn);
    let last = letter(count.saturating_sub(1));
    let letters = || -> Result<Vec<usize>, String> {
        let mut positions = Vec::new();
        for c in line
            .chars()
            .filter(|c| !c.is_whitespace() && *c != ',' && *c != ';')
        {
            match letter_index(c).filter(|i| *i < count) {
                Some(i) => positions.push(i),
                None => {
                    return Err(lang.pick(
                        format!("`{c}` is not an option: use A–{last}"),
                        format!("`{c}` — не вариант ответа: используйте A–{last}"),
                    ));
                }
            }
        }
        Ok(positions)
    };
    let kind = drawn.question.kind;
    match kind {
        QuestionType::TrueFalse => {
            let word = line.to_lowercase();
            let truth = match word.as_str() {
                "t" | "true" | "y" | "yes" | "да" | "верно" | "в" | "a" | "ф" => {
                    Some(true)
                }
                "f" | "false" | "n" | "no" | "нет" | "неверно" | "н" | "b" | "и" => {
                    Some(false)
                }
                _ => None,
            };
            truth.map(Answer::Truth).ok_or_else(|| {
                lang.pick(
                    "type true or false (t/f, or A/B)".to_owned(),
                    "введите «верно» или «неверно» (в/н, или A/B)".to_owned(),
                )
            })
        }
        QuestionType::Single => match letters()?.as_slice() {
            [one] => Ok(from_positions(drawn, &[*one]).expect("in range")),
            _ => Err(lang.pick(
                format!("type one letter, A–{last}"),
                format!("введите одну букву, A–{last}"),
            )),
        },
        QuestionType::Multiple => {
            let mut positions = letters()?;
            positions.sort_unstable();
            positions.dedup();
            if positions.is_empty() {
                return Err(lang.pick(
                    "type the letters of every right option, like `A C`".to_owned(),
                    "введите буквы всех верных вариантов, например `A C`".to_owned(),
                ));
            }
            Ok(from_positions(drawn, &positions).expect("in range"))
        }
        QuestionType::Order => {
            let positions = letters()?;
            let mut unique = positions.clone();
            unique.sort_unstable();
            unique.dedup();
            if positions.len() != count || unique.len() != count {
                return Err(lang.pick(
                    format!("type all {count} letters once each, in order, like `C A B`"),
                    format!(
                        "введите все {count} букв по одному разу в нужном порядке, например `C A B`"
                    ),
                ));
            }
            Ok(from_positions(drawn, &positions).expect("in range"))
        }
        QuestionType::Short if line.is_empty() => {
            Err(lang.pick("type an answer".to_owned(), "введите ответ".to_owned()))
        }
        QuestionType::Short => Ok(Answer::One(line.to_owned())),
        QuestionType::Fill => Err(lang.pick(
            "answer each blank separately".to_owned(),
            "отвечайте на каждый пропуск отдельно".to_owned(),
        )),
    }
}

/// Builds a fill answer from the blanks answered so far.
pub fn blanks(pairs: impl IntoIterator<Item = (String, String)>) -> Answer {
    Answer::Blanks(pairs.into_iter().collect::<BTreeMap<_, _>>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_from_either_layout() {
        assert_eq!(letter_index('a'), Some(0));
        assert_eq!(letter_index('C'), Some(2));
        assert_eq!(letter_index('ф'), Some(0), "the A key on a Russian layout");
        assert_eq!(
            letter_index('С'),
            Some(2),
            "the C key on a Russian layout, capital"
        );
        assert_eq!(letter_index('1'), None);
        assert_eq!(letter(0), 'A');
        assert_eq!(letter(25), 'Z');
        assert_eq!(letter(26), '?');
    }
}

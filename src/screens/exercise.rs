//! What `hint`, `solution` and `reset` say about an exercise: hint tiers, the
//! questions they ask, and where backups went.

use std::fmt::Write as _;

use crate::course::Exercise;
use crate::lang::Lang;
use crate::style;

/// Where hints are read: `workbook hint`, or `watch` (where `h` shows the next).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HintsIn {
    /// The `hint` command.
    Command,
    /// The `watch` screen.
    Watch,
}

/// The hint tiers `tiers` of an exercise, each under its heading, then how to
/// see more (`seen` is the highest tier seen).
pub fn hints(exercise: &Exercise, tiers: &[u32], seen: u32, place: HintsIn, lang: Lang) -> String {
    let count = u32::try_from(exercise.hints.len()).unwrap_or(u32::MAX);
    let (id, title) = (&exercise.id, exercise.title.get(lang));
    let mut out = String::new();
    if tiers.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            lang.pick(
                format!("{id} ({title}) has no hints."),
                format!("У {id} ({title}) нет подсказок."),
            )
        );
        return out;
    }
    for (i, &tier) in tiers.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let heading = lang.pick(
            format!("Hint {tier} of {count} for {id} ({title}):"),
            format!("Подсказка {tier} из {count} к {id} ({title}):"),
        );
        let text = exercise
            .hints
            .get(tier as usize - 1)
            .map_or("", |t| t.get(lang));
        let _ = writeln!(out, "{}\n{}", style::heading(&heading), text.trim_end());
    }
    let next = if seen < count && place == HintsIn::Watch {
        lang.pick(
            "Press h again for the next one.".to_owned(),
            "Нажмите h ещё раз, чтобы увидеть следующую.".to_owned(),
        )
    } else if seen < count {
        lang.pick(
            format!("Run `workbook hint {id}` again for the next one; `--all` shows every one seen."),
            format!(
                "Запустите `workbook hint {id}` ещё раз, чтобы увидеть следующую; `--all` покажет все уже виденные."
            ),
        )
    } else {
        lang.pick(
            format!(
                "That is the last hint (`--tier N` shows one again). `workbook solution {id}` shows the reference solution."
            ),
            format!(
                "Это последняя подсказка (`--tier N` покажет любую снова). `workbook solution {id}` покажет эталонное решение."
            ),
        )
    };
    let _ = writeln!(out, "{}", style::dim(&next));
    out
}

/// Why a hint tier cannot be shown.
pub fn tier_refused(exercise: &Exercise, asked: u32, seen: u32, lang: Lang) -> String {
    let count = exercise.hints.len();
    let id = &exercise.id;
    if asked == 0 || asked as usize > count {
        return lang.pick(
            format!("{id} has hints 1 to {count}; there is no hint {asked}"),
            format!("у {id} подсказки с 1 по {count}; подсказки {asked} нет"),
        );
    }
    lang.pick(
        format!(
            "you have seen {seen} of {count} hints of {id}; hints open one at a time: `workbook hint {id}` shows the next"
        ),
        format!(
            "вы видели подсказок к {id}: {seen} из {count}; они открываются по одной: `workbook hint {id}` покажет следующую"
        ),
    )
}

/// Every exercise passes, so none is picked by default.
pub fn every_exercise_passes(lang: Lang) -> String {
    lang.pick(
        "every exercise passes; name one to see its hints or solution",
        "все упражнения сданы; назовите упражнение, чтобы увидеть его подсказки или решение",
    )
    .to_owned()
}

/// In a student edition: where solutions come from, and what to run instead.
pub fn solution_elsewhere(exercise: &Exercise, lang: Lang) -> String {
    let (en, ru) = crate::export::SOLUTIONS_ELSEWHERE;
    let id = &exercise.id;
    format!(
        "{}\n{}\n",
        lang.pick(en, ru),
        lang.pick(
            format!("`workbook hint {id}` shows the next hint."),
            format!("`workbook hint {id}` покажет следующую подсказку."),
        )
    )
}

/// The question before showing the solution of an exercise not passed yet.
pub fn solution_question(exercise: &Exercise, lang: Lang) -> String {
    let id = &exercise.id;
    lang.pick(
        format!("{id} has not passed yet. Show the reference solution anyway? [y/N] "),
        format!("{id} ещё не сдано. Всё равно показать эталонное решение? [y/N] "),
    )
}

/// Why the solution is not shown without a terminal to ask in.
pub fn solution_needs_yes(exercise: &Exercise, lang: Lang) -> String {
    let id = &exercise.id;
    lang.pick(
        format!("{id} has not passed yet; add --yes to see its solution anyway"),
        format!("{id} ещё не сдано; добавьте --yes, чтобы всё равно увидеть решение"),
    )
}

/// The heading over one file of a reference solution.
pub fn solution_file(exercise: &Exercise, path: &str) -> String {
    style::heading(&format!("--- exercises/{}/{path} ---", exercise.id))
}

/// The answer to a question that was not confirmed.
pub fn not_done(lang: Lang) -> &'static str {
    lang.pick("Nothing changed.", "Ничего не изменено.")
}

/// The answer when the solution was not confirmed.
pub fn not_shown(lang: Lang) -> &'static str {
    lang.pick("Not shown.", "Не показано.")
}

/// The question before putting the starter code back.
pub fn reset_question(exercise: &Exercise, lang: Lang) -> String {
    let id = &exercise.id;
    lang.pick(
        format!("Put the starter code of {id} back? Your version is kept as a backup. [y/N] "),
        format!("Вернуть исходный код {id}? Ваша версия сохранится в резервной копии. [y/N] "),
    )
}

/// Why reset does nothing without a terminal to ask in.
pub fn reset_needs_yes(exercise: &Exercise, lang: Lang) -> String {
    let id = &exercise.id;
    lang.pick(
        format!("resetting {id} replaces your code; add --yes to do it without a question"),
        format!("сброс {id} заменит ваш код; добавьте --yes, чтобы сделать это без вопроса"),
    )
}

/// After a reset: where the student's version went, and how to get it back.
pub fn reset_done(exercise: &Exercise, backup: Option<&str>, lang: Lang) -> String {
    let id = &exercise.id;
    match backup {
        Some(backup) => lang.pick(
            format!(
                "The starter code of {id} is back. Your version is kept in {backup}; `workbook reset {id} --restore` brings it back."
            ),
            format!(
                "Исходный код {id} восстановлен. Ваша версия сохранена в {backup}; `workbook reset {id} --restore` вернёт её."
            ),
        ),
        None => lang.pick(
            format!("The starter code of {id} is back."),
            format!("Исходный код {id} восстановлен."),
        ),
    }
}

/// After a restore: which backup came back, and where the replaced version went.
pub fn restored(exercise: &Exercise, from: &str, kept: Option<&str>, lang: Lang) -> String {
    let id = &exercise.id;
    let mut out = lang.pick(
        format!("Your version of {id} from {from} is back."),
        format!("Ваша версия {id} из {from} возвращена."),
    );
    if let Some(kept) = kept {
        out.push(' ');
        out.push_str(&lang.pick(
            format!("The code it replaced is kept in {kept}."),
            format!("Код, который она заменила, сохранён в {kept}."),
        ));
    }
    out
}

/// Why there is nothing to restore.
pub fn no_backup(exercise: &Exercise, lang: Lang) -> String {
    let id = &exercise.id;
    lang.pick(
        format!("{id} has no backup yet: `workbook reset {id}` makes one before it puts the starter code back"),
        format!("у {id} ещё нет резервной копии: её делает `workbook reset {id}` перед возвратом исходного кода"),
    )
}

/// `watch` needs a terminal.
pub fn watch_needs_terminal(lang: Lang) -> String {
    lang.pick(
        "workbook watch needs a terminal; use `workbook check` in scripts",
        "workbook watch работает только в терминале; в скриптах используйте `workbook check`",
    )
    .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::course::text::Text;

    fn exercise() -> Exercise {
        Exercise {
            format_version: 1,
            title: Text::new("Tags", "Теги"),
            practises: "lesson#step".to_owned(),
            backends: Vec::new(),
            editable: Vec::new(),
            checks: Vec::new(),
            hints: vec![Text::new("One.", "Один."), Text::new("Two.", "Два.")],
            time_limit_secs: 30,
            id: "eager-tags".to_owned(),
        }
    }

    #[test]
    fn hints_say_how_to_see_more_where_they_are_read() {
        crate::style::set_color(false);
        let command = hints(&exercise(), &[1], 1, HintsIn::Command, Lang::En);
        assert!(
            command.contains("Run `workbook hint eager-tags` again"),
            "{command}"
        );
        let watch = hints(&exercise(), &[1], 1, HintsIn::Watch, Lang::Ru);
        assert!(watch.contains("Нажмите h ещё раз"), "{watch}");
        let all = hints(&exercise(), &[1, 2], 2, HintsIn::Command, Lang::En);
        assert!(
            all.contains("Hint 1 of 2")
                && all.contains("Hint 2 of 2")
                && all.contains("the last hint"),
            "{all}"
        );
    }
}

//! What `workbook watch` shows around the check results: where it is, what
//! it is doing, what happens after a pass, and its keys.

use super::layout::{self, Key, Window};
use crate::lang::Lang;
use crate::standing::Next;

/// The header: the exercise, its place among the exercises, the database.
pub fn header(id: &str, number: usize, total: usize, backend: &str, lang: Lang) -> String {
    lang.pick(
        format!("Watching {id} ({number}/{total}) · {backend}"),
        format!("Слежу за {id} ({number}/{total}) · {backend}"),
    )
}

/// While the checks run.
pub fn checking(id: &str, lang: Lang) -> String {
    lang.pick(
        format!("Checking {id}… (the first build takes a while)"),
        format!("Проверяю {id}… (первая сборка занимает время)"),
    )
}

/// After a pass, with the exercise to move on to.
pub fn moving_on(id: &str, next: &str, lang: Lang) -> String {
    lang.pick(
        format!("✓ Every check of {id} passes. Moving on to {next}… (s stays here, n goes now)"),
        format!(
            "✓ Все проверки {id} пройдены. Переходим к {next}… (s — остаться, n — перейти сразу)"
        ),
    )
}

/// After a pass, staying (the student asked to).
pub fn staying(id: &str, next: &str, lang: Lang) -> String {
    lang.pick(
        format!("✓ Every check of {id} passes. Staying here; n moves on to {next}."),
        format!("✓ Все проверки {id} пройдены. Остаёмся здесь; n — перейти к {next}."),
    )
}

/// After a pass, when every exercise passes: what next, from the one
/// definition of it.
pub fn all_pass(id: &str, next: &Next, lang: Lang) -> String {
    let (label, command) = super::status::next(next, lang);
    lang.pick(
        format!("✓ Every check of {id} passes, and so does every exercise. {label} {command}"),
        format!("✓ Все проверки {id} пройдены, как и все упражнения. {label} {command}"),
    )
}

/// `n` on the last exercise.
pub fn last_exercise(id: &str, first: &str, lang: Lang) -> String {
    lang.pick(
        format!("{id} is the last exercise; n again goes back to the first, {first}."),
        format!("{id} — последнее упражнение; ещё раз n — к первому, {first}."),
    )
}

/// The key legend in at most `width` columns; `moving` while a pass is about
/// to move on.
pub fn keys(lang: Lang, window: Option<Window>, moving: bool, width: usize) -> String {
    let mut keys = vec![
        Key::new(
            lang.pick("watching for saves", "слежу за сохранениями"),
            lang.pick("watching", "слежу"),
            1,
        ),
        Key::new(
            lang.pick("h hint", "h подсказка"),
            lang.pick("h hint", "h подсказка"),
            7,
        ),
    ];
    if moving {
        keys.push(Key::new(
            lang.pick("s stay", "s остаться"),
            lang.pick("s stay", "s остаться"),
            9,
        ));
    }
    keys.push(Key::new(
        lang.pick("n next exercise", "n следующее упражнение"),
        lang.pick("n next", "n далее"),
        8,
    ));
    keys.push(Key::new(
        lang.pick("r run again", "r запустить снова"),
        lang.pick("r rerun", "r заново"),
        6,
    ));
    if let Some(w) = window {
        keys.push(Key::new(
            lang.pick(
                format!("↑↓ scroll {}–{}/{}", w.first, w.last, w.total),
                format!("↑↓ прокрутка {}–{}/{}", w.first, w.last, w.total),
            ),
            format!("↑↓ {}–{}/{}", w.first, w.last, w.total),
            5,
        ));
    }
    keys.push(Key::new(
        lang.pick("q quit", "q выход"),
        lang.pick("q quit", "q выход"),
        10,
    ));
    layout::legend(&keys, width)
}

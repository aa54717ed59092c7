//! The interactive screens as a student sees them: the viewer, the quiz and
//! `watch` driven with keys through a scripted terminal of 80×24 and 60×20,
//! in both languages, their frames snapshotted (the pty tests drive the real
//! binary; these pin the text). Every frame fills the terminal exactly, no
//! line is wider than it, the header and the key legend are always there,
//! and prose is wrapped at word boundaries.

mod common;

use std::fmt::Write as _;

use common::{course, fixtures};
use workbook::course::{Course, Exercise, Level};
use workbook::lang::Lang;
use workbook::runner::{ExerciseRun, Outcome};
use workbook::screens::layout::{Frame, width_of};
use workbook::screens::lesson::{BlankKeys, Offer, Reader, StepScreen, keys, step};
use workbook::store::{Snapshot, Store};
use workbook::term::Scripted;
use workbook_support::Backend;
use workbook_support::report::{CheckReport, Status};

const SIZES: [(usize, usize); 2] = [(80, 24), (60, 20)];

fn long_text_course() -> tempfile::TempDir {
    course(Some(&fixtures().join("long-text")))
}

/// A frame as its rows, each padded to the terminal's width and closed with
/// `│`, so a snapshot shows where the edge is.
fn boxed(frame: &Frame, width: usize) -> String {
    let mut out = String::new();
    for line in &frame.lines {
        let pad = width.saturating_sub(width_of(line));
        let _ = writeln!(out, "{line}{}│", " ".repeat(pad));
    }
    out
}

/// Every frame fills the terminal, no row is wider than it, and the bottom
/// row is a key legend with one of `keys`.
fn assert_fits(frames: &[Frame], (width, height): (usize, usize), keys: &[&str]) {
    for (n, frame) in frames.iter().enumerate() {
        assert_eq!(frame.lines.len(), height, "frame {n}:\n{}", frame.text());
        for line in &frame.lines {
            assert!(
                width_of(line) <= width,
                "frame {n}: a row of {} columns in {width}: {line:?}",
                width_of(line)
            );
        }
        let legend = frame.lines.last().unwrap();
        assert!(
            keys.iter().any(|k| legend.contains(k)),
            "frame {n}: none of {keys:?} in {legend:?}"
        );
    }
}

/// The labelled frames, one after another, each boxed at its terminal's width.
fn album(frames: &[Frame], picks: &[(&str, usize, (usize, usize))]) -> String {
    let mut out = String::new();
    for (label, index, (width, height)) in picks {
        let _ = writeln!(out, "── {label} ({width}×{height}) ──");
        out.push_str(&boxed(&frames[*index], *width));
    }
    out
}

/// The other of the two sizes.
fn other(size: (usize, usize)) -> (usize, usize) {
    if size == SIZES[0] { SIZES[1] } else { SIZES[0] }
}

#[tokio::test]
async fn viewer_frames_fit_the_terminal_in_both_languages() {
    workbook::style::set_color(false);
    for lang in [Lang::En, Lang::Ru] {
        for size in SIZES {
            let dir = long_text_course();
            let course = Course::load(dir.path()).unwrap();
            let store = Store::open(dir.path()).await.unwrap();
            let lesson = course.lesson("basics").unwrap();
            let steps = course.steps(lesson, Level::Advanced);
            let start = steps.iter().position(|s| s.step.id == "task").unwrap();
            let resized = other(size);
            let mut terminal = Scripted::new(size.0, size.1)
                // 1: `a` on a step without blanks says so, above the legend.
                .keys("a")
                // 2: scroll; 3–6: on to the Fill step.
                .keys("jnnnn")
                // 7: answer; 8–19: type a wrong answer; 20: Enter.
                .keys("a")
                .keys("pool.begin()\r")
                // 21: Esc; 22: the terminal is resized and drawn again at once.
                .keys("\u{1b}")
                .resize(resized.0, resized.1)
                // 23: the checklist; 24–26: to the last step, and past it.
                .keys("nnnn")
                .keys("q");
            let outcome =
                workbook::viewer::run(&course, &store, &steps, start, lang, &mut terminal)
                    .await
                    .unwrap();
            assert_eq!(steps[outcome.index].step.id, "answer");
            let frames = &terminal.frames;
            assert_eq!(frames.len(), 27, "a frame before each input");
            // Typing shows its own legend.
            let legend = [lang.pick("q quit", "q выход"), "Esc"];
            assert_fits(&frames[..22], size, &legend);
            assert_fits(&frames[22..], resized, &legend);
            // The header with the step number stays on top through scrolling.
            for frame in frames {
                assert!(
                    frame.lines[0].contains(lang.pick("step ", "шаг ")),
                    "{}",
                    frame.text()
                );
            }
            // The note for `a` on a step without blanks is seen.
            assert!(
                frames[1]
                    .text()
                    .contains(lang.pick("This step has no blanks", "В этом шаге нет пропусков")),
                "{}",
                frames[1].text()
            );
            // The last step tells what to do next.
            assert!(
                frames[26].text().contains("workbook "),
                "{}",
                frames[26].text()
            );
            let picks = [
                ("a step with a list, `a` pressed", 1, size),
                ("typing an answer", 19, size),
                ("a wrong answer", 20, size),
                ("after a resize", 22, resized),
                ("the checklist", 23, resized),
                ("`n` at the last step", 26, resized),
            ];
            insta::assert_snapshot!(
                format!("viewer-frames-{}x{}-{lang}", size.0, size.1),
                album(frames, &picks)
            );
            store.close().await;
        }
    }
}

#[tokio::test]
async fn every_step_of_the_shipped_course_fits_80x24_and_60x20() {
    workbook::style::set_color(false);
    let dir = common::shipped_course();
    let course = Course::load(dir.path()).unwrap();
    let store = Store::open(dir.path()).await.unwrap();
    for lang in [Lang::Ru, Lang::En] {
        for size in SIZES {
            for lesson in &course.lessons {
                let steps = course.steps(lesson, Level::Advanced);
                let mut terminal = Scripted::new(size.0, size.1)
                    .keys(&"n".repeat(steps.len()))
                    .keys("q");
                workbook::viewer::run(&course, &store, &steps, 0, lang, &mut terminal)
                    .await
                    .unwrap();
                assert_fits(&terminal.frames, size, &[lang.pick("q quit", "q выход")]);
                for (index, frame) in terminal.frames.iter().enumerate().take(steps.len()) {
                    let number = format!("{}/{}", index + 1, steps.len());
                    assert!(frame.lines[0].contains(&number), "{}", frame.text());
                }
            }
        }
    }
    store.close().await;
}

#[test]
fn viewer_screens_in_both_languages() {
    workbook::style::set_color(false);
    let dir = course(None);
    let course = Course::load(dir.path()).unwrap();
    let lesson = course.lesson("basics").unwrap();
    let steps = course.steps(lesson, Level::Advanced);
    let snapshot = Snapshot::default();
    let everything = Offer {
        blanks: BlankKeys::AnswerOrReveal,
        solution: true,
        ..Offer::default()
    };
    for lang in [Lang::En, Lang::Ru] {
        for id in ["fill", "check", "answer"] {
            let index = steps.iter().position(|s| s.step.id == id).unwrap();
            let screen = step(StepScreen {
                course: &course,
                steps: &steps,
                index,
                snapshot: &snapshot,
                lang,
                show_solution: false,
                reader: Reader::Viewer,
            });
            insta::assert_snapshot!(
                format!("viewer-{id}-{lang}"),
                format!("{screen}\n{}", keys(lang, everything, 200))
            );
        }
        let scrolled = Offer {
            scrolled: Some((4, 24, 60)),
            ..everything
        };
        let mut legends = String::new();
        for width in [200, 80, 60, 40] {
            let _ = writeln!(legends, "{width}: {}", keys(lang, scrolled, width));
        }
        insta::assert_snapshot!(format!("viewer-keys-scrolled-{lang}"), legends);
    }
}

#[tokio::test]
async fn quiz_frames_fit_the_terminal_and_ctrl_c_interrupts() {
    use workbook::course::bank::QuestionType;
    use workbook::quiz::Attempt;
    use workbook::quiz_view::{Ending, run};

    workbook::style::set_color(false);
    let dir = long_text_course();
    let course = Course::load(dir.path()).unwrap();
    let bank = course.banks.iter().find(|b| b.id == "first").unwrap();
    let attempt = Attempt::draw(bank, 3);
    for lang in [Lang::En, Lang::Ru] {
        for size in SIZES {
            let mut terminal = Scripted::new(size.0, size.1);
            let mut picks = Vec::new();
            let mut inputs = 0;
            for (n, drawn) in attempt.questions.iter().enumerate() {
                picks.push((format!("question {}", n + 1), inputs));
                let keys = if drawn.question.kind == QuestionType::Short {
                    "begin\r"
                } else {
                    "a\r"
                };
                terminal = terminal.keys(keys);
                inputs += keys.chars().count();
                picks.push((format!("question {}, Enter", n + 1), inputs));
                terminal = terminal.keys("y");
                inputs += 1;
            }
            let ending = run(&attempt, lang, &mut terminal).unwrap();
            let Ending::Finished(answers) = ending else {
                panic!("the quiz ended early")
            };
            assert_eq!(answers.len(), attempt.questions.len());
            assert_fits(&terminal.frames, size, &["Enter", "y submits", "д или y"]);
            let picks: Vec<(&str, usize, (usize, usize))> =
                picks.iter().map(|(l, i)| (l.as_str(), *i, size)).collect();
            insta::assert_snapshot!(
                format!("quiz-frames-{}x{}-{lang}", size.0, size.1),
                album(&terminal.frames, &picks)
            );

            // Ctrl-C leaves at once, without asking.
            let mut terminal = Scripted::new(size.0, size.1).ctrl('c');
            assert!(matches!(
                run(&attempt, lang, &mut terminal).unwrap(),
                Ending::Interrupted
            ));
        }
    }
}

#[test]
fn quiz_screens_with_keys_in_both_languages() {
    use workbook::quiz::Attempt;
    use workbook::screens::quiz::{Mode, question};

    workbook::style::set_color(false);
    let dir = course(Some(&common::fixtures().join("with-quiz")));
    let course = Course::load(dir.path()).unwrap();
    let bank = course.banks.iter().find(|b| b.id == "first").unwrap();
    let attempt = Attempt::draw(bank, 3);
    for lang in [Lang::En, Lang::Ru] {
        let mut screens = String::new();
        for (index, drawn) in attempt.questions.iter().enumerate() {
            // The cursor on the second option, the first one picked.
            let mode = Mode::Keys {
                cursor: 1,
                chosen: &[0],
            };
            screens.push_str(&question(
                drawn,
                index + 1,
                attempt.questions.len(),
                mode,
                lang,
            ));
            screens.push_str("\n-----\n");
        }
        insta::assert_snapshot!(format!("quiz-keys-{lang}"), screens);
    }
}

/// A run of one check of `exercise`, passing or failing with a long message.
fn run_of(exercise: &str, pass: bool) -> Vec<ExerciseRun> {
    let report = CheckReport {
        id: "check-a".to_owned(),
        status: if pass { Status::Pass } else { Status::Fail },
        points: if pass { 5 } else { 0 },
        max_points: 5,
        message: if pass {
            String::new()
        } else {
            "attaching the same tag twice left two links in founditem_tag; the primary key must be the pair of columns".to_owned()
        },
        message_ru: (!pass).then(|| {
            "повторная привязка тега оставила две связи в founditem_tag; первичным ключом должна быть пара столбцов".to_owned()
        }),
        evidence: if pass {
            Vec::new()
        } else {
            vec!["SELECT found_item_id, tag_id FROM founditem_tag → (1, 2), (1, 2)".to_owned()]
        },
        hint: (!pass).then_some(1),
        backend: Backend::Sqlite,
        duration_ms: 12,
    };
    vec![ExerciseRun {
        exercise: exercise.to_owned(),
        backend: Backend::Sqlite,
        outcome: Outcome::Checked {
            checks: vec![report],
        },
    }]
}

#[tokio::test]
async fn watch_frames_move_on_after_a_pass_and_say_when_the_last_is_reached() {
    workbook::style::set_color(false);
    for lang in [Lang::En, Lang::Ru] {
        for size in SIZES {
            let dir = long_text_course();
            let course = Course::load(dir.path()).unwrap();
            let store = Store::open(dir.path()).await.unwrap();
            // ex-one fails, then passes; ex-two fails.
            let mut runs = 0;
            let check = async |exercise: &Exercise| {
                runs += 1;
                Ok::<_, workbook::error::Error>(run_of(
                    &exercise.id,
                    exercise.id == "ex-one" && runs == 2,
                ))
            };
            let mut terminal = Scripted::new(size.0, size.1)
                // 2: run again (it passes): 3 says it moves on.
                .keys("r")
                // 4: stay; 5–6: `n` moves on to ex-two, checked.
                .keys("sn")
                // 7: `n` on the last exercise says so; 8: `h` shows a hint.
                .keys("nh")
                .keys("q");
            workbook::watch::run(
                &course,
                &store,
                0,
                Backend::Sqlite,
                lang,
                &mut terminal,
                check,
            )
            .await
            .unwrap();
            let frames = &terminal.frames;
            assert_fits(frames, size, &[lang.pick("q quit", "q выход")]);
            assert!(
                frames[6].lines[0].contains("ex-two"),
                "{}",
                frames[6].text()
            );
            let picks = [
                ("checking", 0, size),
                ("a failing check", 1, size),
                ("a pass moves on", 3, size),
                ("`s` stays", 4, size),
                ("the next exercise", 6, size),
                ("`n` on the last exercise", 7, size),
                ("`h` shows a hint", 8, size),
            ];
            insta::assert_snapshot!(
                format!("watch-frames-{}x{}-{lang}", size.0, size.1),
                album(frames, &picks)
            );
            store.close().await;
        }
    }
}

/// A question longer than the screen keeps the highlighted option in view,
/// with its header on top; Page Up scrolls back by hand.
#[test]
fn a_long_question_follows_the_highlighted_option() {
    use crossterm::event::KeyCode;
    use workbook::quiz::Attempt;

    workbook::style::set_color(false);
    let dir = long_text_course();
    let course = Course::load(dir.path()).unwrap();
    let bank = course.banks.iter().find(|b| b.id == "first").unwrap();
    let attempt = Attempt::draw(bank, 3);
    let index = attempt
        .questions
        .iter()
        .position(|d| d.question.id == "settings")
        .unwrap();
    // Answer the questions before it, then go down to the last option.
    let mut terminal = Scripted::new(60, 12);
    for drawn in &attempt.questions[..index] {
        terminal = terminal.keys(if drawn.question.id == "method" {
            "begin\ry"
        } else {
            "a\ry"
        });
    }
    for _ in 0..7 {
        terminal = terminal.key(KeyCode::Down);
    }
    terminal = terminal.key(KeyCode::PageUp).ctrl('c');
    let _ = workbook::quiz_view::run(&attempt, Lang::En, &mut terminal).unwrap();
    let frames = &terminal.frames;
    let last = &frames[frames.len() - 2];
    assert_fits(frames, (60, 12), &["Enter", "y submits"]);
    assert!(last.lines[0].starts_with("Question"), "{}", last.text());
    assert!(
        last.lines.iter().any(|l| l.starts_with("› [ ] H)")),
        "{}",
        last.text()
    );
    assert!(
        last.lines.last().unwrap().contains("PgUp PgDn"),
        "{}",
        last.text()
    );
    let scrolled_back = frames.last().unwrap();
    assert!(
        !scrolled_back
            .lines
            .iter()
            .any(|l| l.starts_with("› [ ] H)")),
        "{}",
        scrolled_back.text()
    );
}

//! `workbook quiz`: take a module's quiz in a terminal, line by line from a
//! pipe, or score a saved answers file; the same marking in every case.

use std::collections::BTreeMap;
use std::io::{BufRead, Write};
use std::path::Path;

use crate::cli::QuizArgs;
use crate::config::Config;
use crate::course::bank::{Bank, QuestionType};
use crate::course::{Course, Module};
use crate::diagnostic::Diagnostic;
use crate::error::{Error, IdKind};
use crate::exit;
use crate::lang::Lang;
use crate::quiz::answers_file::{self, AnswersFile, Problem};
use crate::quiz::draw::fresh_seed;
use crate::quiz::input;
use crate::quiz::{Answer, Attempt, Outcome, mark_attempt};
use crate::quiz_view::{self, Ending};
use crate::screens::quiz::{HandIn, Mode, question, result};
use crate::store::{QuizAttempt, Store};
use crate::term::Tty;
use crate::{screens, style, suggest};

pub(super) async fn run(
    course: &Course,
    store: &Store,
    config: &Config,
    args: &QuizArgs,
    out: &mut dyn Write,
) -> Result<u8, Error> {
    let lang = config.lang;
    let snapshot = store.snapshot().await?;
    let studying = snapshot
        .last_position
        .as_ref()
        .and_then(|(lesson, _)| course.module_of(lesson));
    let module = pick_module(course, args.module.as_deref(), studying, lang)?;
    let bank = course.bank_of(module).ok_or_else(|| {
        Error::Usage(lang.pick(
            format!("module `{}` has no quiz", module.id),
            format!("в модуле `{}` нет квиза", module.id),
        ))
    })?;
    let pass = course.manifest.rubric.quiz_pass_percent;

    if let Some(file) = &args.answers {
        let (attempt, answers, seeded) = from_file_seeded(module, bank, file, args.seed, config)?;
        let outcome = mark_attempt(&attempt, &answers, pass);
        record(store, module, &outcome, &answers).await?;
        write!(
            out,
            "{}",
            result(course, module, &outcome, None, seeded, lang)
        )?;
        return Ok(verdict(&outcome));
    }

    let seed = args.seed.unwrap_or_else(fresh_seed);
    let attempt = Attempt::draw(bank, seed);
    let answers = if config.interactive {
        let ending = {
            // The terminal is restored when this block ends, before printing.
            let mut terminal = Tty::enter()?;
            quiz_view::run(&attempt, lang, &mut terminal)?
        };
        match ending {
            Ending::Finished(answers) => answers,
            Ending::Quit => {
                writeln!(out, "{}", screens::quiz::left(lang))?;
                return Ok(exit::OK);
            }
            // Ctrl-C ends the program the way the shell expects: 130.
            Ending::Interrupted => {
                writeln!(out, "{}", screens::quiz::interrupted(lang))?;
                return Ok(exit::INTERRUPTED);
            }
        }
    } else {
        typed(&attempt, lang, out)?
    };
    let saved = answers_file::default_path(&module.id);
    let outcome = mark_attempt(&attempt, &answers, pass);
    let shown = saved.to_string_lossy().replace('\\', "/");
    let kept = better_hand_in(course, module, bank, &saved, &outcome, &answers, config);
    let hand_in = if let Some(percent) = kept {
        HandIn::Kept {
            path: &shown,
            percent,
        }
    } else {
        answers_file::write(
            &course.root.join(&saved),
            &AnswersFile {
                format_version: answers_file::ANSWERS_FORMAT,
                module: module.id.clone(),
                seed: Some(seed),
                answers: answers.clone(),
            },
        )?;
        HandIn::Saved { path: &shown }
    };
    record(store, module, &outcome, &answers).await?;
    write!(
        out,
        "{}",
        result(course, module, &outcome, Some(hand_in), true, lang)
    )?;
    Ok(verdict(&outcome))
}

/// The score, in percent, of the answers already handed in at `saved` when
/// they are better than this attempt's (or this attempt answered nothing and
/// they did): those are kept. A file that cannot be read as answers for this
/// module is replaced.
fn better_hand_in(
    course: &Course,
    module: &Module,
    bank: &Bank,
    saved: &Path,
    outcome: &Outcome<'_>,
    answers: &BTreeMap<String, Answer>,
    config: &Config,
) -> Option<u32> {
    let path = course.root.join(saved);
    if !path.is_file() {
        return None;
    }
    let (kept_attempt, kept_answers) = from_file(module, bank, &path, None, config).ok()?;
    let kept = mark_attempt(&kept_attempt, &kept_answers, outcome.pass_percent);
    let percent = |o: &Outcome<'_>| if o.max > 0.0 { o.score / o.max } else { 0.0 };
    let better =
        percent(&kept) > percent(outcome) || (answers.is_empty() && !kept_answers.is_empty());
    better.then(|| style::percent_of(kept.score, kept.max))
}

fn verdict(outcome: &Outcome<'_>) -> u8 {
    if outcome.passed() {
        exit::OK
    } else {
        exit::NOT_PASSED
    }
}

async fn record(
    store: &Store,
    module: &Module,
    outcome: &Outcome<'_>,
    answers: &BTreeMap<String, Answer>,
) -> Result<(), Error> {
    let answers = serde_json::to_string(answers).unwrap_or_default();
    store
        .record_quiz_attempt(&QuizAttempt {
            module: &module.id,
            seed: i64::try_from(outcome.seed).unwrap_or(i64::MAX),
            answers: &answers,
            score: outcome.score,
            max_score: outcome.max,
            passed: outcome.passed(),
        })
        .await?;
    Ok(())
}

fn pick_module<'a>(
    course: &'a Course,
    id: Option<&str>,
    studying: Option<&'a Module>,
    lang: Lang,
) -> Result<&'a Module, Error> {
    if let Some(id) = id {
        return course.module(id).ok_or_else(|| {
            Error::unknown(
                IdKind::Module,
                id,
                course.modules().iter().map(|m| m.id.as_str()),
            )
        });
    }
    studying
        .filter(|m| m.quiz.is_some())
        .or_else(|| course.modules().iter().find(|m| m.quiz.is_some()))
        .or_else(|| course.modules().first())
        .ok_or_else(|| {
            Error::Usage(
                lang.pick("the course has no modules", "в курсе нет модулей")
                    .to_owned(),
            )
        })
}

/// Reads an answers file and re-draws the attempt it answers.
pub(crate) fn from_file<'a>(
    module: &Module,
    bank: &'a Bank,
    file: &Path,
    seed_flag: Option<u64>,
    config: &Config,
) -> Result<(Attempt<'a>, BTreeMap<String, Answer>), Error> {
    from_file_seeded(module, bank, file, seed_flag, config)
        .map(|(attempt, answers, _)| (attempt, answers))
}

/// [`from_file`], and whether the attempt had a seed (from the file or
/// `--seed`); without one every question is drawn and none is shown.
fn from_file_seeded<'a>(
    module: &Module,
    bank: &'a Bank,
    file: &Path,
    seed_flag: Option<u64>,
    config: &Config,
) -> Result<(Attempt<'a>, BTreeMap<String, Answer>, bool), Error> {
    let lang = config.lang;
    let path = if file.is_absolute() {
        file.to_path_buf()
    } else {
        std::env::current_dir()?.join(file)
    };
    let (answers_file, marks) = answers_file::read(&path, file, lang).map_err(Error::Answers)?;
    let problem = |path: &str, problem: Problem| Diagnostic {
        file: file.to_path_buf(),
        // A problem with the file as a whole has no single place.
        mark: if path.is_empty() {
            None
        } else {
            marks.get(path).copied()
        },
        path: path.to_owned(),
        message: problem.describe(lang),
    };
    if answers_file.module != module.id {
        return Err(Error::Answers(vec![problem(
            "module",
            Problem::OtherModule {
                found: answers_file.module,
                expected: module.id.clone(),
            },
        )]));
    }
    let seeded = seed_flag.is_some() || answers_file.seed.is_some();
    let seed = match (seed_flag, answers_file.seed) {
        (Some(flag), Some(saved)) if flag != saved => {
            return Err(Error::Usage(lang.pick(
                format!("--seed {flag} differs from the seed {saved} saved in the answers file"),
                format!("--seed {flag} не совпадает с зерном {saved} из файла ответов"),
            )));
        }
        (Some(seed), _) | (None, Some(seed)) => seed,
        (None, None) if bank.drawn() < bank.questions.len() => {
            return Err(Error::Answers(vec![problem(
                "",
                Problem::NoSeed {
                    drawn: bank.drawn(),
                    total: bank.questions.len(),
                },
            )]));
        }
        (None, None) => 0,
    };
    let attempt = Attempt::draw(bank, seed);
    let mut problems = Vec::new();
    let mut answers = BTreeMap::new();
    for (id, answer) in answers_file.answers {
        let path = format!("answers.{id}");
        let Some(question) = bank.question(&id) else {
            let near = suggest::did_you_mean(&id, bank.questions.iter().map(|q| q.id.as_str()))
                .map(str::to_owned);
            problems.push(problem(&path, Problem::UnknownQuestion { id, near }));
            continue;
        };
        if !attempt.includes(&id) {
            problems.push(problem(&path, Problem::NotDrawn { id, seed }));
            continue;
        }
        match answer.fit(question) {
            Ok(answer) => {
                answers.insert(id, answer);
            }
            Err(error) => problems.push(problem(
                &path,
                Problem::Misfit {
                    kind: question.kind.key(),
                    id,
                    error,
                },
            )),
        }
    }
    problems.sort_by_key(|p| p.mark.map(|m| (m.line, m.col)));
    if problems.is_empty() {
        Ok((attempt, answers, seeded))
    } else {
        Err(Error::Answers(problems))
    }
}

/// Asks every question on plain lines, for scripts and pipes. An empty line
/// skips a question; the end of input leaves the rest unanswered.
fn typed(
    attempt: &Attempt<'_>,
    lang: Lang,
    out: &mut dyn Write,
) -> Result<BTreeMap<String, Answer>, Error> {
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    let mut next_line = |out: &mut dyn Write, prompt: &str| -> Result<Option<String>, Error> {
        write!(out, "{prompt}")?;
        out.flush()?;
        let line = tokio::task::block_in_place(|| lines.next()).transpose()?;
        // Input from a pipe is not echoed by a terminal; echo it so the
        // transcript shows what was answered.
        match &line {
            Some(line) => writeln!(out, "{line}")?,
            None => writeln!(out)?,
        }
        Ok(line)
    };
    let mut answers = BTreeMap::new();
    let total = attempt.questions.len();
    writeln!(out, "{}\n", style::dim(screens::quiz::typed_intro(lang)))?;
    'questions: for (index, drawn) in attempt.questions.iter().enumerate() {
        writeln!(
            out,
            "{}",
            question(drawn, index + 1, total, Mode::Typed, lang)
        )?;
        if drawn.question.kind == QuestionType::Fill {
            let mut pairs = Vec::new();
            for blank in &drawn.question.blanks {
                let Some(line) = next_line(out, &screens::quiz::blank_prompt(&blank.id))? else {
                    break 'questions;
                };
                pairs.push((blank.id.clone(), line.trim().to_owned()));
            }
            if pairs.iter().any(|(_, given)| !given.is_empty()) {
                answers.insert(drawn.question.id.clone(), input::blanks(pairs));
            }
            continue;
        }
        loop {
            let Some(line) = next_line(out, &screens::quiz::answer_prompt(lang))? else {
                break 'questions;
            };
            if line.trim().is_empty() {
                break;
            }
            match input::parse(drawn, &line, lang) {
                Ok(answer) => {
                    answers.insert(drawn.question.id.clone(), answer);
                    break;
                }
                Err(message) => writeln!(out, "{}", style::warn(&message))?,
            }
        }
    }
    Ok(answers)
}

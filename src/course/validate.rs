//! Checks that need more than one value: ids, links, blanks, the rubric.

use std::collections::{HashMap, HashSet};

use super::FORMAT_VERSION;
use super::bank::{Bank, Correct, Matching, Question, QuestionType};
use super::compare;
use super::exercise::Exercise;
use super::lesson::{Blank, Compare, Lesson, SectionKind, Snippet, blank_markers};
use super::loaded::Loaded;
use super::manifest::Manifest;
use super::paths::editable_problem;
use super::seal::{Accepted, Sealed};
use crate::diagnostic::Diagnostic;
use crate::suggest;

pub(super) struct Validator<'a> {
    manifest: &'a Loaded<Manifest>,
    lessons: &'a [Loaded<Lesson>],
    exercises: &'a [Loaded<Exercise>],
    /// Lessons and exercises whose files failed to decode.
    unreadable: &'a [String],
    out: &'a mut Vec<Diagnostic>,
}

/// Ids are lowercase words joined by dashes, so they read well in links and URLs.
pub(super) fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && !id.ends_with('-')
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

fn valid_blank_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

const ID_RULE: &str = "lowercase letters, digits and dashes, like `pool-settings`";

impl<'a> Validator<'a> {
    pub(super) fn new(
        manifest: &'a Loaded<Manifest>,
        lessons: &'a [Loaded<Lesson>],
        exercises: &'a [Loaded<Exercise>],
        unreadable: &'a [String],
        out: &'a mut Vec<Diagnostic>,
    ) -> Self {
        Validator {
            manifest,
            lessons,
            exercises,
            unreadable,
            out,
        }
    }

    /// Whether a link points into a file that failed to decode.
    fn points_into_unreadable(&self, link: &str) -> bool {
        let target = link.split('#').next().unwrap_or(link);
        self.unreadable.iter().any(|id| id == target)
    }

    fn report<T>(&mut self, loaded: &Loaded<T>, path: &str, message: impl Into<String>) {
        self.out.push(Diagnostic {
            file: loaded.file.clone(),
            mark: loaded.marks.get(path).copied(),
            path: path.to_owned(),
            message: message.into(),
        });
    }

    /// Answers compared as numbers must be numbers, or nothing could match them.
    fn numbers_only<T>(&mut self, loaded: &Loaded<T>, path: &str, answers: &[String]) {
        for (a, answer) in answers.iter().enumerate() {
            if !compare::is_number(answer) {
                self.report(
                    loaded,
                    &format!("{path}.answers[{a}]"),
                    format!(
                        "`{answer}` is compared as a number but is not one: write digits, like `51`"
                    ),
                );
            }
        }
    }

    fn check_version<T>(&mut self, loaded: &Loaded<T>, version: u32) {
        if version != FORMAT_VERSION {
            let message = if version > FORMAT_VERSION {
                format!(
                    "format_version {version} is newer than this workbook reads ({FORMAT_VERSION}); update workbook"
                )
            } else {
                format!(
                    "format_version {version} is not supported; this workbook reads {FORMAT_VERSION}"
                )
            };
            self.report(loaded, "format_version", message);
        }
    }

    pub(super) fn run(mut self, banks: &[Loaded<Bank>]) {
        self.manifest_rules();
        let steps = self.lesson_rules();
        let checks = self.exercise_rules(&steps);
        self.checklist_links(&checks);
        for bank in banks {
            self.bank_rules(bank, &steps);
        }
    }

    fn manifest_rules(&mut self) {
        let manifest = self.manifest;
        self.check_version(manifest, manifest.value.format_version);
        if manifest.value.modules.is_empty() {
            self.report(manifest, "modules", "a course needs at least one module");
        }
        let mut module_ids = HashSet::new();
        let mut lesson_owner: HashMap<&str, &str> = HashMap::new();
        for (m, module) in manifest.value.modules.iter().enumerate() {
            let path = format!("modules[{m}]");
            if !valid_id(&module.id) {
                self.report(
                    manifest,
                    &format!("{path}.id"),
                    format!("`{}` is not a valid id: use {ID_RULE}", module.id),
                );
            }
            if !module_ids.insert(module.id.as_str()) {
                self.report(
                    manifest,
                    &format!("{path}.id"),
                    format!("module id `{}` is used twice", module.id),
                );
            }
            if module.lessons.is_empty() {
                self.report(
                    manifest,
                    &format!("{path}.lessons"),
                    "a module needs at least one lesson",
                );
            }
            for (l, lesson) in module.lessons.iter().enumerate() {
                let lpath = format!("{path}.lessons[{l}]");
                if !valid_id(lesson) {
                    self.report(
                        manifest,
                        &lpath,
                        format!("`{lesson}` is not a valid id: use {ID_RULE}"),
                    );
                }
                if let Some(owner) = lesson_owner.insert(lesson, &module.id) {
                    self.report(
                        manifest,
                        &lpath,
                        format!("lesson `{lesson}` is already listed in module `{owner}`"),
                    );
                }
            }
            for (e, exercise) in module.exercises.iter().enumerate() {
                if !valid_id(exercise) {
                    self.report(
                        manifest,
                        &format!("{path}.exercises[{e}]"),
                        format!("`{exercise}` is not a valid id: use {ID_RULE}"),
                    );
                }
            }
            if let Some(quiz) = &module.quiz
                && !valid_id(quiz)
            {
                self.report(
                    manifest,
                    &format!("{path}.quiz"),
                    format!("`{quiz}` is not a valid id: use {ID_RULE}"),
                );
            }
        }
        let rubric = manifest.value.rubric;
        let w = rubric.weights;
        let total = w.exercises + w.quiz + w.style;
        if total != 100 {
            self.report(
                manifest,
                "rubric.weights",
                format!("weights add up to {total}, they must add up to 100"),
            );
        }
        let g = rubric.grades;
        if !(g.s <= 100 && g.s > g.a && g.a > g.b) {
            self.report(
                manifest,
                "rubric.grades",
                format!(
                    "thresholds must fall as S > A > B, each at most 100 (found S {}, A {}, B {})",
                    g.s, g.a, g.b
                ),
            );
        }
        if !(1..=100).contains(&rubric.quiz_pass_percent) {
            self.report(
                manifest,
                "rubric.quiz_pass_percent",
                "the quiz pass mark is a percentage from 1 to 100",
            );
        }
    }

    /// Checks every lesson; returns the set of `lesson#step` links that exist.
    fn lesson_rules(&mut self) -> HashSet<String> {
        let mut links = HashSet::new();
        for lesson in self.lessons {
            self.check_version(lesson, lesson.value.format_version);
            let mut seen: HashMap<&str, String> = HashMap::new();
            for (section, steps) in lesson.value.sections.in_order() {
                let key = section.key();
                if steps.is_empty() {
                    self.report(
                        lesson,
                        &format!("sections.{key}"),
                        format!("the {key} section needs at least one step"),
                    );
                }
                for (i, step) in steps.iter().enumerate() {
                    let path = format!("sections.{key}[{i}]");
                    if !valid_id(&step.id) {
                        self.report(
                            lesson,
                            &format!("{path}.id"),
                            format!("`{}` is not a valid id: use {ID_RULE}", step.id),
                        );
                    }
                    if let Some(first) = seen.insert(&step.id, path.clone()) {
                        self.report(
                            lesson,
                            &format!("{path}.id"),
                            format!("step id `{}` is already used at {first}", step.id),
                        );
                    }
                    links.insert(format!("{}#{}", lesson.value.id, step.id));
                    self.step_rules(lesson, section, step, &path);
                }
            }
        }
        links
    }

    fn step_rules(
        &mut self,
        lesson: &Loaded<Lesson>,
        section: SectionKind,
        step: &super::Step,
        path: &str,
    ) {
        if !step.blanks.is_empty() && section != SectionKind::Practice {
            self.report(
                lesson,
                &format!("{path}.blanks"),
                "blanks belong in practice steps",
            );
        }
        if !step.items.is_empty() && section != SectionKind::Checklist {
            self.report(
                lesson,
                &format!("{path}.items"),
                "checklist items belong in checklist steps",
            );
        }
        if section == SectionKind::Checklist && step.items.is_empty() {
            self.report(lesson, path, "a checklist step needs `items` to tick");
        }
        self.blank_rules(lesson, path, step.code.as_ref(), &step.blanks, "step");
    }

    /// Blanks against the `___FILL_NAME___` markers of their code, both ways.
    fn blank_rules<T>(
        &mut self,
        file: &Loaded<T>,
        path: &str,
        code: Option<&Snippet>,
        blanks: &[Blank],
        owner: &str,
    ) {
        let markers = code.map(|c| blank_markers(&c.text)).unwrap_or_default();
        let code_path = format!("{path}.code.text");
        let mut unique = HashSet::new();
        for marker in &markers {
            if !unique.insert(*marker) {
                self.report(
                    file,
                    &code_path,
                    format!("blank `___FILL_{marker}___` appears twice in the snippet"),
                );
            }
        }
        let mut ids = HashSet::new();
        for (b, blank) in blanks.iter().enumerate() {
            let bpath = format!("{path}.blanks[{b}]");
            if !valid_blank_id(&blank.id) {
                self.report(
                    file,
                    &format!("{bpath}.id"),
                    format!("`{}` is not a valid blank id: use capitals, digits and `_`, like `DDL_CREATE`", blank.id),
                );
            }
            if !ids.insert(blank.id.as_str()) {
                self.report(
                    file,
                    &format!("{bpath}.id"),
                    format!("blank `{}` is defined twice", blank.id),
                );
            }
            if !markers.contains(&blank.id.as_str()) {
                let message = format!(
                    "blank `{}` has no `___FILL_{}___` in the {owner}'s code{}",
                    blank.id,
                    blank.id,
                    suggest::suffix(&blank.id, markers.iter().copied())
                );
                self.report(file, &format!("{bpath}.id"), message);
            }
            if let Accepted::Sealed(sealed) = &blank.answers
                && let Some(problem) = sealed.malformed()
            {
                self.report(
                    file,
                    &format!("{bpath}.answers"),
                    format!("a sealed key is malformed: {problem}"),
                );
            } else if blank.answers.is_blank() {
                self.report(
                    file,
                    &format!("{bpath}.answers"),
                    "a blank needs at least one non-empty answer",
                );
            }
            if blank.compare == Compare::Number {
                self.numbers_only(file, &bpath, blank.answers.plain());
            }
        }
        for marker in unique {
            if !ids.contains(marker) {
                self.report(
                    file,
                    &code_path,
                    format!("`___FILL_{marker}___` has no entry in `blanks` with its answers"),
                );
            }
        }
    }

    /// Checks every exercise; returns the set of `exercise#check` links that exist.
    fn exercise_rules(&mut self, steps: &HashSet<String>) -> HashSet<String> {
        let mut links = HashSet::new();
        for exercise in self.exercises {
            let value = &exercise.value;
            self.check_version(exercise, value.format_version);
            if !steps.contains(&value.practises) && !self.points_into_unreadable(&value.practises) {
                let message = link_message(&value.practises, "lesson#step", steps);
                self.report(exercise, "practises", message);
            }
            for (field, empty) in [
                ("backends", value.backends.is_empty()),
                ("editable", value.editable.is_empty()),
                ("checks", value.checks.is_empty()),
                ("hints", value.hints.is_empty()),
            ] {
                if empty {
                    self.report(
                        exercise,
                        field,
                        format!("`{field}` needs at least one entry"),
                    );
                }
            }
            for (i, path) in value.editable.iter().enumerate() {
                if let Some(problem) = editable_problem(path) {
                    self.report(exercise, &format!("editable[{i}]"), problem);
                }
            }
            let mut ids = HashSet::new();
            for (c, check) in value.checks.iter().enumerate() {
                if let Some(teaches) = &check.teaches
                    && !steps.contains(teaches)
                    && !self.points_into_unreadable(teaches)
                {
                    let message = link_message(teaches, "lesson#step", steps);
                    self.report(exercise, &format!("checks[{c}].teaches"), message);
                }
                if !valid_id(&check.id) {
                    self.report(
                        exercise,
                        &format!("checks[{c}].id"),
                        format!("`{}` is not a valid id: use {ID_RULE}", check.id),
                    );
                }
                if !ids.insert(check.id.as_str()) {
                    self.report(
                        exercise,
                        &format!("checks[{c}].id"),
                        format!("check id `{}` is used twice", check.id),
                    );
                }
                links.insert(format!("{}#{}", value.id, check.id));
            }
            if value.time_limit_secs == 0 {
                self.report(
                    exercise,
                    "time_limit_secs",
                    "the time limit must be at least one second",
                );
            }
        }
        links
    }

    fn checklist_links(&mut self, checks: &HashSet<String>) {
        for lesson in self.lessons {
            for (i, step) in lesson.value.sections.checklist.iter().enumerate() {
                for (n, item) in step.items.iter().enumerate() {
                    for (k, link) in item.proved_by.iter().enumerate() {
                        if !checks.contains(link) && !self.points_into_unreadable(link) {
                            let path = format!("sections.checklist[{i}].items[{n}].proved_by[{k}]");
                            let message = link_message(link, "exercise#check", checks);
                            self.report(lesson, &path, message);
                        }
                    }
                }
            }
        }
    }
}

impl Validator<'_> {
    fn bank_rules(&mut self, bank: &Loaded<Bank>, steps: &HashSet<String>) {
        let value = &bank.value;
        self.check_version(bank, value.format_version);
        if value.questions.is_empty() {
            self.report(bank, "questions", "a quiz bank needs at least one question");
        }
        let count = value.questions.len();
        if let Some(draw) = value.draw
            && (draw == 0 || draw > count)
        {
            self.report(
                bank,
                "draw",
                format!(
                    "`draw` is {draw} but the bank has {count} questions; draw from 1 to {count}"
                ),
            );
        }
        let mut ids: HashMap<&str, usize> = HashMap::new();
        for (q, question) in value.questions.iter().enumerate() {
            let path = format!("questions[{q}]");
            if !valid_id(&question.id) {
                self.report(
                    bank,
                    &format!("{path}.id"),
                    format!("`{}` is not a valid id: use {ID_RULE}", question.id),
                );
            }
            if let Some(first) = ids.insert(&question.id, q) {
                self.report(
                    bank,
                    &format!("{path}.id"),
                    format!(
                        "question id `{}` is already used by questions[{first}]",
                        question.id
                    ),
                );
            }
            if question.points == 0 {
                self.report(
                    bank,
                    &format!("{path}.points"),
                    "a question is worth at least one point",
                );
            }
            if !steps.contains(&question.teaches) && !self.points_into_unreadable(&question.teaches)
            {
                self.report(
                    bank,
                    &format!("{path}.teaches"),
                    link_message(&question.teaches, "lesson#step", steps),
                );
            }
            self.question_rules(bank, question, &path);
        }
    }

    /// What each question type needs, and what it must not have.
    fn question_rules(&mut self, bank: &Loaded<Bank>, question: &Question, path: &str) {
        self.stray_fields(bank, question, path);
        self.option_rules(bank, question, path);
        self.correct_rules(bank, question, path);
        match question.kind {
            QuestionType::Short => self.short_rules(bank, question, path),
            QuestionType::Fill => {
                if question.blanks.is_empty() {
                    self.report(bank, path, "a `fill` question needs `code` with `___FILL_NAME___` blanks and their `blanks`");
                }
                self.blank_rules(
                    bank,
                    path,
                    question.code.as_ref(),
                    &question.blanks,
                    "question",
                );
            }
            _ => {}
        }
    }

    /// Keys a question's type would silently ignore: almost always a mistake.
    fn stray_fields(&mut self, bank: &Loaded<Bank>, question: &Question, path: &str) {
        use QuestionType::{Fill, Multiple, Order, Short, Single, TrueFalse};
        let kind = question.kind;
        let fields: [(&str, bool, bool); 6] = [
            ("options", !question.options.is_empty(), kind.has_options()),
            (
                "correct",
                question.correct.is_some(),
                matches!(kind, Single | Multiple | TrueFalse)
                    || (kind == Order && matches!(question.correct, Some(Correct::Sealed(_)))),
            ),
            ("answers", !question.answers.is_empty(), kind == Short),
            ("match", question.matching.is_some(), kind == Short),
            ("blanks", !question.blanks.is_empty(), kind == Fill),
            (
                "scoring",
                question.scoring.is_some(),
                matches!(kind, Multiple | Fill | Order),
            ),
        ];
        for (field, present, used) in fields {
            if present && !used {
                self.report(
                    bank,
                    &format!("{path}.{field}"),
                    format!("`{field}` is not used by a `{}` question", kind.key()),
                );
            }
        }
    }

    fn option_rules(&mut self, bank: &Loaded<Bank>, question: &Question, path: &str) {
        if !question.kind.has_options() {
            return;
        }
        if question.options.len() < 2 {
            self.report(
                bank,
                &format!("{path}.options"),
                format!(
                    "a `{}` question needs at least two options",
                    question.kind.key()
                ),
            );
        }
        let mut seen = HashSet::new();
        for (o, option) in question.options.iter().enumerate() {
            if !seen.insert(option.id.as_str()) {
                self.report(
                    bank,
                    &format!("{path}.options[{o}].id"),
                    format!("option id `{}` is used twice", option.id),
                );
            }
        }
    }

    fn correct_rules(&mut self, bank: &Loaded<Bank>, question: &Question, path: &str) {
        let option_ids: Vec<&str> = question.options.iter().map(|o| o.id.as_str()).collect();
        let not_an_option = |id: &str| {
            format!(
                "`{id}` is not among the options {}{}",
                list_ids(&option_ids),
                suggest::suffix(id, option_ids.iter().copied())
            )
        };
        let correct_path = format!("{path}.correct");
        if let Some(Correct::Sealed(sealed)) = &question.correct {
            self.sealed_rules(bank, question, sealed, &correct_path);
            return;
        }
        match (question.kind, &question.correct) {
            (QuestionType::Single, Some(Correct::One(id)))
                if !option_ids.contains(&id.as_str()) =>
            {
                self.report(bank, &correct_path, not_an_option(id));
            }
            (QuestionType::Multiple, Some(Correct::Many(ids))) => {
                if ids.is_empty() {
                    self.report(
                        bank,
                        &correct_path,
                        "a `multiple` question needs at least one correct option",
                    );
                }
                for (i, id) in ids.iter().enumerate() {
                    if !option_ids.contains(&id.as_str()) {
                        self.report(bank, &format!("{correct_path}[{i}]"), not_an_option(id));
                    }
                }
            }
            (QuestionType::Single, Some(Correct::One(_)))
            | (QuestionType::TrueFalse, Some(Correct::Truth(_))) => {}
            (QuestionType::Single, _) => self.report(
                bank,
                path,
                "a `single` question needs `correct: <option id>`",
            ),
            (QuestionType::Multiple, _) => self.report(
                bank,
                path,
                "a `multiple` question needs `correct: [<option id>, …]`",
            ),
            (QuestionType::TrueFalse, _) => self.report(
                bank,
                path,
                "a `true_false` question needs `correct: true` or `correct: false`",
            ),
            _ => {}
        }
    }

    /// A sealed `correct` key (a student edition): well formed, with as many
    /// digests as the question's kind and scoring seal.
    fn sealed_rules(
        &mut self,
        bank: &Loaded<Bank>,
        question: &Question,
        sealed: &Sealed,
        correct_path: &str,
    ) {
        if let Some(problem) = sealed.malformed() {
            self.report(
                bank,
                correct_path,
                format!("a sealed key is malformed: {problem}"),
            );
            return;
        }
        if let Some(expected) = crate::quiz::sealed::expected_digests(question)
            && expected != sealed.sha256.len()
        {
            self.report(
                bank,
                &format!("{correct_path}.sha256"),
                format!(
                    "a sealed `{}` key has {expected} digest{}, not {}",
                    question.kind.key(),
                    if expected == 1 { "" } else { "s" },
                    sealed.sha256.len()
                ),
            );
        }
    }

    fn short_rules(&mut self, bank: &Loaded<Bank>, question: &Question, path: &str) {
        if let Accepted::Sealed(sealed) = &question.answers {
            let problem = match sealed.malformed() {
                Some(problem) => Some(format!("a sealed key is malformed: {problem}")),
                None if question.matching == Some(Matching::Regex) => Some(
                    "a sealed key holds compared answers, not patterns: use `match: exact` or `case_insensitive`".to_owned(),
                ),
                None => None,
            };
            if let Some(problem) = problem {
                self.report(bank, &format!("{path}.answers"), problem);
            }
            return;
        }
        if question.answers.is_blank() {
            self.report(
                bank,
                path,
                "a `short` question needs `answers` with at least one accepted answer",
            );
        }
        if question.matching == Some(Matching::Number) {
            self.numbers_only(bank, path, question.answers.plain());
        }
        if question.matching == Some(Matching::Regex) {
            for (a, answer) in question.answers.plain().iter().enumerate() {
                if let Err(error) = regex::Regex::new(answer) {
                    let reason = error
                        .to_string()
                        .lines()
                        .last()
                        .unwrap_or_default()
                        .trim()
                        .to_owned();
                    self.report(
                        bank,
                        &format!("{path}.answers[{a}]"),
                        format!("`{answer}` is not a valid regular expression: {reason}"),
                    );
                }
            }
        }
    }
}

/// "`a`, `b`, `c`".
fn list_ids(ids: &[&str]) -> String {
    ids.iter()
        .map(|id| format!("`{id}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn link_message(link: &str, shape: &str, known: &HashSet<String>) -> String {
    if !link.contains('#') {
        return format!("`{link}` is not a link: write it as `{shape}`");
    }
    let mut sorted: Vec<&str> = known.iter().map(String::as_str).collect();
    sorted.sort_unstable();
    format!("`{link}` does not exist{}", suggest::suffix(link, sorted))
}

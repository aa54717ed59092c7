//! Lessons: eight sections of steps, in the source lessons' format.

use serde::Deserialize;

use super::compare::{self, Difference};
use super::seal::Accepted;
use super::text::Text;
use crate::lang::Lang;
use crate::yaml::de::list;

/// A lesson file `lessons/<id>.yaml` as written.
#[derive(Debug, Clone, Deserialize)]
pub struct Lesson {
    /// The content format this lesson is written in.
    pub format_version: u32,
    /// The lesson's title.
    pub title: Text,
    /// The lesson's sections; all eight are required, in the format's fixed order.
    pub sections: Sections,
    /// The lesson's id: its file name without `.yaml`.
    #[serde(skip)]
    pub id: String,
}

/// The eight sections of a lesson.
#[derive(Debug, Clone, Deserialize)]
#[expect(
    missing_docs,
    reason = "each field is the section of the same name, described by SectionKind"
)]
pub struct Sections {
    #[serde(deserialize_with = "list")]
    pub context: Vec<Step>,
    #[serde(deserialize_with = "list")]
    pub task: Vec<Step>,
    #[serde(deserialize_with = "list")]
    pub reference: Vec<Step>,
    #[serde(deserialize_with = "list")]
    pub theory: Vec<Step>,
    #[serde(deserialize_with = "list")]
    pub practice: Vec<Step>,
    #[serde(deserialize_with = "list")]
    pub checklist: Vec<Step>,
    #[serde(deserialize_with = "list")]
    pub troubleshooting: Vec<Step>,
    #[serde(deserialize_with = "list")]
    pub solution: Vec<Step>,
}

impl Sections {
    /// The sections in reading order.
    pub fn in_order(&self) -> [(SectionKind, &[Step]); 8] {
        [
            (SectionKind::Context, &self.context),
            (SectionKind::Task, &self.task),
            (SectionKind::Reference, &self.reference),
            (SectionKind::Theory, &self.theory),
            (SectionKind::Practice, &self.practice),
            (SectionKind::Checklist, &self.checklist),
            (SectionKind::Troubleshooting, &self.troubleshooting),
            (SectionKind::Solution, &self.solution),
        ]
    }
}

/// Which of the eight sections a step belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SectionKind {
    /// The story: why this matters.
    Context,
    /// What to build: files, conditions.
    Task,
    /// What the result looks like.
    Reference,
    /// Just-in-time theory.
    Theory,
    /// Interactive steps, with fill-in blanks.
    Practice,
    /// Self-verification, ticked by passing checks.
    Checklist,
    /// Typical mistakes and their fixes.
    Troubleshooting,
    /// The reference solution, hidden until asked for.
    Solution,
}

impl SectionKind {
    /// The key used in YAML.
    pub fn key(self) -> &'static str {
        match self {
            SectionKind::Context => "context",
            SectionKind::Task => "task",
            SectionKind::Reference => "reference",
            SectionKind::Theory => "theory",
            SectionKind::Practice => "practice",
            SectionKind::Checklist => "checklist",
            SectionKind::Troubleshooting => "troubleshooting",
            SectionKind::Solution => "solution",
        }
    }

    /// The section's heading for students.
    pub fn title(self, lang: Lang) -> &'static str {
        match self {
            SectionKind::Context => lang.pick("Context", "Контекст"),
            SectionKind::Task => lang.pick("Task", "Техническое задание"),
            SectionKind::Reference => lang.pick("Reference", "Референс"),
            SectionKind::Theory => lang.pick("Theory", "Теория"),
            SectionKind::Practice => lang.pick("Practice", "Практика"),
            SectionKind::Checklist => lang.pick("Checklist", "Чек-лист"),
            SectionKind::Troubleshooting => lang.pick("Troubleshooting", "Возможные ошибки"),
            SectionKind::Solution => lang.pick("Solution", "Решение"),
        }
    }
}

/// Basic or Advanced.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// The core path every student takes.
    Basic,
    /// The deeper path; it builds on Basic.
    Advanced,
}

impl Level {
    /// The level's label for students.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Level::Basic => lang.pick("Basic", "Базовый"),
            Level::Advanced => lang.pick("Advanced", "Продвинутый"),
        }
    }

    /// Whether a step of this level is shown to a student following `track`:
    /// the Basic track shows Basic steps, the Advanced track shows everything.
    pub fn shown_on(self, track: Level) -> bool {
        self <= track
    }
}

/// One step a student reads.
#[derive(Debug, Clone, Deserialize)]
pub struct Step {
    /// Stable id, unique in the lesson; linked as `lesson#step`.
    pub id: String,
    /// Basic or Advanced.
    pub level: Level,
    /// The step's title.
    pub title: Text,
    /// The step's text (Markdown-like: paragraphs, lists, fenced code).
    pub body: Text,
    /// A code snippet; in Practice steps it may hold `___FILL_NAME___` blanks.
    #[serde(default)]
    pub code: Option<Snippet>,
    /// The answers for the snippet's blanks (Practice steps only).
    #[serde(default, deserialize_with = "list")]
    pub blanks: Vec<Blank>,
    /// Self-check items (Checklist steps only).
    #[serde(default, deserialize_with = "list")]
    pub items: Vec<ChecklistItem>,
}

/// A code snippet; code reads the same in both languages.
#[derive(Debug, Clone, Deserialize)]
pub struct Snippet {
    /// The language, for the reader (`rust`, `sql`, `toml`).
    #[serde(default = "default_snippet_lang")]
    pub lang: String,
    /// The code.
    pub text: String,
}

fn default_snippet_lang() -> String {
    "rust".to_owned()
}

/// The prefix and suffix of a blank marker in a snippet: `___FILL_DDL_CREATE___`.
pub const BLANK_PREFIX: &str = "___FILL_";
/// See [`BLANK_PREFIX`].
pub const BLANK_SUFFIX: &str = "___";

/// One fill-in blank and its accepted answers.
#[derive(Debug, Clone, Deserialize)]
pub struct Blank {
    /// The marker's name: `DDL_CREATE` for `___FILL_DDL_CREATE___`.
    pub id: String,
    /// Accepted answers; the first is the one revealed on request. In a
    /// student edition they are sealed and nothing can be revealed.
    pub answers: Accepted,
    /// How an answer is compared.
    #[serde(default)]
    pub compare: Compare,
    /// A nudge shown after a wrong answer.
    #[serde(default)]
    pub hint: Option<Text>,
}

/// How a blank's answer is compared with the accepted ones; each mode is a
/// normal form from [`super::compare`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Compare {
    /// Character for character, after trimming the ends.
    Exact,
    /// Ignoring spacing that does not separate two words, so `pool.begin( ).await?`
    /// matches `pool.begin().await?` but `letx` does not match `let x`; constant
    /// integer arithmetic in parentheses is worked out (`from_secs(30 * 60)`).
    #[default]
    Code,
    /// SQL: keywords and unquoted names in any case, spacing around
    /// punctuation free (`ANY ($1)` is `any($1)`), a final `;` optional.
    Sql,
    /// A number, with or without words after it (`51`, `51 запрос`, `51
    /// queries`), or as integer arithmetic (`1 + 50`).
    Number,
}

impl Blank {
    /// Whether `answer` is accepted.
    pub fn accepts(&self, answer: &str) -> bool {
        self.answers
            .accepts(answer, |text| self.compare.normalise(text))
    }

    /// The answer shown on request; `None` in a student edition.
    pub fn shown(&self) -> Option<&str> {
        self.answers.shown()
    }

    /// Where a wrong `answer` departs from the nearest accepted one; `None`
    /// for a right answer, or when the answers are sealed.
    pub fn difference(&self, answer: &str) -> Option<Difference> {
        let accepted: Vec<String> = self
            .answers
            .plain()
            .iter()
            .map(|a| self.compare.normalise(a))
            .collect();
        compare::difference(&self.compare.normalise(answer), &accepted)
    }
}

impl Compare {
    /// The form in which two answers are compared: equal forms match. The
    /// student edition digests this form of each accepted answer.
    pub fn normalise(self, text: &str) -> String {
        match self {
            Compare::Exact => compare::exact(text),
            Compare::Code => compare::code(text),
            Compare::Sql => compare::sql(text),
            Compare::Number => compare::number(text),
        }
    }
}

/// One checklist item; `proved_by` names exercise checks (`exercise#check`)
/// whose passing ticks the item.
#[derive(Debug, Clone, Deserialize)]
pub struct ChecklistItem {
    /// What the student verifies.
    pub text: Text,
    /// Exercise checks that prove the item, as `exercise-id#check-id`.
    #[serde(default, deserialize_with = "list")]
    pub proved_by: Vec<String>,
}

/// The names of the blank markers in `code`, in order of appearance.
pub fn blank_markers(code: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = code;
    while let Some(start) = rest.find(BLANK_PREFIX) {
        let after = &rest[start + BLANK_PREFIX.len()..];
        match after.find(BLANK_SUFFIX) {
            Some(end) => {
                names.push(&after[..end]);
                rest = &after[end + BLANK_SUFFIX.len()..];
            }
            None => break,
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blank(answers: &[&str], compare: Compare) -> Blank {
        Blank {
            id: "X".into(),
            answers: Accepted::Plain(answers.iter().map(|a| (*a).to_owned()).collect()),
            compare,
            hint: None,
        }
    }

    #[test]
    fn code_comparison_ignores_spacing_between_symbols() {
        let b = blank(&["pool.begin().await?"], Compare::Code);
        assert!(b.accepts("  pool.begin( ).await? "));
        assert!(b.accepts("pool . begin().await?"));
        assert!(!b.accepts("pool.begin()"));
        let b = blank(&["let mut tx"], Compare::Code);
        assert!(b.accepts("let   mut\ttx"));
        assert!(!b.accepts("letmut tx"));
    }

    #[test]
    fn exact_comparison_only_trims() {
        let b = blank(&["max_connections(15)"], Compare::Exact);
        assert!(b.accepts(" max_connections(15)\n"));
        assert!(!b.accepts("max_connections( 15 )"));
    }

    #[test]
    fn any_alternative_is_accepted() {
        let b = blank(&["fetch_optional", "fetch_optional(&pool)"], Compare::Code);
        assert!(b.accepts("fetch_optional(& pool)"));
    }

    #[test]
    fn sql_blanks_take_keywords_in_any_case_and_spacing() {
        let b = blank(
            &[
                "PRIMARY KEY (found_item_id, tag_id)",
                "PRIMARY KEY (tag_id, found_item_id)",
            ],
            Compare::Sql,
        );
        assert!(b.accepts("primary key (found_item_id, tag_id)"));
        assert!(b.accepts("primary key(tag_id,found_item_id)"));
        assert!(!b.accepts("primary key (found_item_id)"));
        let b = blank(&["ON CONFLICT DO NOTHING"], Compare::Sql);
        assert!(b.accepts("on conflict do nothing"));
        assert!(b.accepts("ON CONFLICT DO NOTHING;"));
        let b = blank(&["ANY($1)"], Compare::Sql);
        assert!(b.accepts("any($1)"));
        assert!(b.accepts("ANY ($1)"));
        assert!(!b.accepts("ANY($2)"));
    }

    #[test]
    fn number_blanks_take_the_number_with_its_words() {
        let b = blank(&["51"], Compare::Number);
        for given in ["51", "51 запрос", "51 queries", "1 + 50"] {
            assert!(b.accepts(given), "{given}");
        }
        assert!(!b.accepts("50"));
    }

    #[test]
    fn code_blanks_work_out_constant_arithmetic() {
        let b = blank(&["max_lifetime(Duration::from_secs(1800))"], Compare::Code);
        assert!(b.accepts("max_lifetime(Duration::from_secs(30 * 60))"));
        assert!(!b.accepts("max_lifetime(Duration::from_secs(30 * 61))"));
    }

    #[test]
    fn a_wrong_answer_is_told_where_it_departs() {
        let b = blank(&["pool.begin().await?"], Compare::Code);
        assert_eq!(b.difference("pool.begin().await?"), None);
        assert_eq!(
            b.difference("pool.begin().await"),
            Some(Difference::TooShort("pool.begin().await".into()))
        );
        let mut sealed = b.clone();
        sealed.answers = Accepted::Sealed(crate::course::seal::Sealed::seal(
            "0".repeat(16),
            [b.compare.normalise("pool.begin().await?").as_str()],
        ));
        assert!(sealed.accepts("pool.begin( ).await?"));
        assert_eq!(
            sealed.difference("pool.begin().await"),
            None,
            "nothing to compare with"
        );
    }

    #[test]
    fn markers_are_found_in_order() {
        let code = "let a = ___FILL_ONE___;\nlet b = ___FILL_TWO___; ___FILL_broken";
        assert_eq!(blank_markers(code), vec!["ONE", "TWO"]);
    }

    #[test]
    fn basic_track_hides_advanced_steps() {
        assert!(Level::Basic.shown_on(Level::Basic));
        assert!(!Level::Advanced.shown_on(Level::Basic));
        assert!(Level::Basic.shown_on(Level::Advanced));
    }
}

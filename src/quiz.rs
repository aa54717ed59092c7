//! The quiz engine: drawing an attempt from a bank, marking answers, and the
//! answers file a student hands in. Pure logic; the terminal front-ends live in
//! `quiz_view` and `commands/quiz.rs`, the screens in `screens/quiz.rs`.

pub mod answer;
pub mod answers_file;
pub mod draw;
pub mod input;
pub mod score;
pub mod sealed;

pub use answer::Answer;
pub use draw::{Attempt, Drawn};
pub use score::{Outcome, QuestionResult, mark_attempt};

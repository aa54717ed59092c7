//! Everything a student reads, rendered to strings. Screens take the course,
//! the standing and a language and never print: commands decide where text goes,
//! and tests snapshot the strings.

pub mod blank;
pub mod check;
pub mod exercise;
pub mod layout;
pub mod lesson;
pub mod list;
pub mod notice;
pub mod progress;
pub mod progress_line;
pub mod quiz;
pub mod status;
pub mod watch;

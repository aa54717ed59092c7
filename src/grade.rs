//! `workbook grade`: the rubric over a pristine course. The student's
//! editable files and quiz answers are installed into a copy of the pristine
//! course (anything else they changed is reported as tampering and ignored),
//! the checks run there, the quiz answers are re-scored against the pristine
//! banks, style is measured on the editable files only, and everything
//! becomes one [`model::Grade`] that every report format renders.

pub mod model;
pub mod report;
pub mod rubric;

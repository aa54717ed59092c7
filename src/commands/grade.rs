//! `workbook grade`: grade the working copy or a submission, write the reports.

use std::io::Write;

use crate::cli::GradeArgs;
use crate::config::Config;
use crate::error::Error;

pub(super) async fn run(config: &Config, args: &GradeArgs, out: &mut dyn Write) -> Result<u8, Error> {
    let _ = (config, args, out);
    Err(Error::Io(std::io::Error::other("grade is not built yet")))
}

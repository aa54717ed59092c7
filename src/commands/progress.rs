//! `workbook progress --start-over`: move the store aside, keeping it.

use std::io::Write;

use crate::config::Config;
use crate::error::Error;
use crate::exit;
use crate::store;

pub(super) fn start_over(config: &Config, out: &mut dyn Write) -> Result<u8, Error> {
    let lang = config.lang;
    match store::start_over_in(&config.store_dir)? {
        Some(backup) => writeln!(
            out,
            "{}",
            lang.pick(
                format!(
                    "Your old progress was kept in {}. The next command starts a fresh one.",
                    backup.display()
                ),
                format!(
                    "Старый прогресс сохранён в {}. Следующая команда начнёт новый.",
                    backup.display()
                ),
            )
        )?,
        None => writeln!(
            out,
            "{}",
            lang.pick(
                "There is no progress yet; nothing to move.",
                "Прогресса пока нет; переносить нечего."
            )
        )?,
    }
    Ok(exit::OK)
}

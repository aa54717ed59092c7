//! Notes about where progress goes: said once, on standard error, so they
//! never mix with what a command prints for scripts.

use crate::error::io_reason;
use crate::lang::Lang;
use crate::store::Notice;

/// One notice as a `note: …` line.
pub fn render(notice: &Notice, lang: Lang) -> String {
    let note = lang.pick("note", "примечание");
    let text = match notice {
        Notice::NotSaved { dir, reason } => {
            let reason = io_reason(*reason, lang);
            lang.pick(
                format!(
                    "progress is not saved in this run: {} cannot be written ({reason}). To keep it, set WORKBOOK_STATE_DIR to a folder you can write to.",
                    dir.display()
                ),
                format!(
                    "прогресс в этом запуске не сохраняется: в {} нельзя писать ({reason}). Чтобы сохранять его, задайте в WORKBOOK_STATE_DIR папку, куда можно писать.",
                    dir.display()
                ),
            )
        }
        Notice::Restored { path } => lang.pick(
            format!(
                "the progress store {} was deleted while workbook was running; it was written back with everything recorded so far. To start afresh, run `workbook progress --start-over`.",
                path.display()
            ),
            format!(
                "файл прогресса {} удалили, пока работал workbook; он записан заново со всем, что было записано. Чтобы начать заново, выполните `workbook progress --start-over`.",
                path.display()
            ),
        ),
    };
    format!("{note}: {text}\n")
}

#[cfg(test)]
mod tests {
    use std::io::ErrorKind;
    use std::path::PathBuf;

    use super::*;

    #[test]
    fn notices_read_in_both_languages() {
        let not_saved = Notice::NotSaved {
            dir: PathBuf::from("/course/.workbook"),
            reason: ErrorKind::ReadOnlyFilesystem,
        };
        assert_eq!(
            render(&not_saved, Lang::En),
            "note: progress is not saved in this run: /course/.workbook cannot be written (read-only file system). To keep it, set WORKBOOK_STATE_DIR to a folder you can write to.\n"
        );
        assert_eq!(
            render(&not_saved, Lang::Ru),
            "примечание: прогресс в этом запуске не сохраняется: в /course/.workbook нельзя писать (файловая система только для чтения). Чтобы сохранять его, задайте в WORKBOOK_STATE_DIR папку, куда можно писать.\n"
        );
        let restored = Notice::Restored {
            path: PathBuf::from("/course/.workbook/progress.db"),
        };
        assert!(render(&restored, Lang::Ru).contains("записан заново"));
    }
}

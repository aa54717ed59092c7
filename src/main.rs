//! The `workbook` command; everything happens in the library.

fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(workbook::run())
}

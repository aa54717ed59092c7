//! `workbook dev new`: a new exercise crate from a template — `Cargo.toml`,
//! `exercise.yaml` in both languages, the starter in `src/` and `starter/`, a
//! `solution/` to write, `tests/checks.rs` with a first check on seeded data,
//! and a first mistake fixture — listed in its module in `course.yaml` and in
//! the workspace.
//!
//! The template compiles and fails its check, and so does its solution until
//! the author writes it: `dev verify` rejects the new exercise until then.

mod templates;

use std::path::{Path, PathBuf};

use workbook_support::Backend;

use crate::course::Course;
use crate::lang::Lang;

/// What to create.
#[derive(Debug, Clone)]
pub struct NewExercise {
    /// The exercise id (folder and crate name).
    pub id: String,
    /// The module that lists it.
    pub module: String,
    /// The databases it runs on.
    pub backends: Vec<Backend>,
    /// Whether the student builds an axum router (the checks send real HTTP requests).
    pub http: bool,
}

/// Why the exercise was not created.
#[derive(Debug, thiserror::Error)]
pub enum ScaffoldError {
    /// The id is not lowercase words and dashes.
    #[error(
        "`{0}` is not an exercise id: use lowercase letters, digits and dashes, starting with a letter"
    )]
    BadId(String),
    /// Something of that name exists.
    #[error("`{0}` exists already (an exercise, or the folder exercises/{0})")]
    Taken(String),
    /// No such module.
    #[error("no module `{id}` in course.yaml{}", near.as_ref().map_or_else(String::new, |n| format!(" (did you mean `{n}`?)")))]
    UnknownModule {
        /// The module asked for.
        id: String,
        /// The nearest module id, if one is close.
        near: Option<String>,
    },
    /// The module has no lesson step the exercise could practise.
    #[error(
        "module `{0}` has no lesson step yet: add a lesson first, the exercise must name the step it practises"
    )]
    NoStep(String),
    /// A file could not be changed as needed.
    #[error("cannot update {}: {}", path.display(), why.describe(crate::lang::Lang::En))]
    Edit {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        why: EditProblem,
    },
    /// Reading or writing failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
}

/// Why `course.yaml` or the workspace `Cargo.toml` could not be edited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditProblem {
    /// The module is not written as `- id: <module>`.
    ModuleNotFound(String),
    /// The module's `exercises` are written some other way than a list.
    ExercisesNotAList(String),
    /// The workspace has no `members`.
    NoMembers,
    /// `members` is not a list.
    MembersNotAList,
    /// `members` does not end.
    MembersNotClosed,
}

impl EditProblem {
    /// What is wrong, in `lang`.
    pub fn describe(&self, lang: Lang) -> String {
        match self {
            EditProblem::ModuleNotFound(module) => lang.pick(
                format!("module `{module}` is not written as `- id: {module}`"),
                format!("модуль `{module}` записан не как `- id: {module}`"),
            ),
            EditProblem::ExercisesNotAList(module) => lang.pick(
                format!("the `exercises` of module `{module}` are neither a list nor empty"),
                format!("`exercises` модуля `{module}` — не список и не пусто"),
            ),
            EditProblem::NoMembers => lang
                .pick("no `members` in [workspace]", "в [workspace] нет `members`")
                .to_owned(),
            EditProblem::MembersNotAList => lang
                .pick("`members` is not a list", "`members` — не список")
                .to_owned(),
            EditProblem::MembersNotClosed => lang
                .pick(
                    "`members` is not a closed list",
                    "список `members` не закрыт",
                )
                .to_owned(),
        }
    }
}

impl ScaffoldError {
    /// The message in `lang`.
    pub fn parts(&self, lang: Lang) -> String {
        match (lang, self) {
            (Lang::En, _) => self.to_string(),
            (Lang::Ru, ScaffoldError::BadId(id)) => format!(
                "`{id}` — не идентификатор упражнения: используйте строчные латинские буквы, цифры и дефисы, начиная с буквы"
            ),
            (Lang::Ru, ScaffoldError::Taken(id)) => {
                format!("`{id}` уже есть (упражнение или папка exercises/{id})")
            }
            (Lang::Ru, ScaffoldError::UnknownModule { id, near }) => format!(
                "в course.yaml нет модуля `{id}`{}",
                near.as_ref()
                    .map_or_else(String::new, |n| format!(" (может быть, `{n}`?)"))
            ),
            (Lang::Ru, ScaffoldError::NoStep(module)) => format!(
                "в модуле `{module}` ещё нет шагов уроков: сначала добавьте урок — упражнение должно назвать шаг, который оно отрабатывает"
            ),
            (Lang::Ru, ScaffoldError::Edit { path, why }) => format!(
                "не удалось изменить {}: {}",
                path.display(),
                why.describe(lang)
            ),
            (Lang::Ru, ScaffoldError::Io { path, source }) => format!(
                "{}: {}",
                path.display(),
                crate::error::io_error(source, lang)
            ),
        }
    }
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> ScaffoldError + '_ {
    move |source| ScaffoldError::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn valid_id(id: &str) -> bool {
    id.starts_with(|c: char| c.is_ascii_lowercase())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !id.ends_with('-')
        && !id.contains("--")
}

/// Creates the exercise; returns the files written, relative to the course.
pub fn create(course: &Course, spec: &NewExercise) -> Result<Vec<PathBuf>, ScaffoldError> {
    if !valid_id(&spec.id) || spec.id == "support" {
        return Err(ScaffoldError::BadId(spec.id.clone()));
    }
    let dir = course.root.join("exercises").join(&spec.id);
    if course.exercise(&spec.id).is_some() || dir.exists() {
        return Err(ScaffoldError::Taken(spec.id.clone()));
    }
    let Some(module) = course.module(&spec.module) else {
        return Err(ScaffoldError::UnknownModule {
            id: spec.module.clone(),
            near: crate::suggest::did_you_mean(
                &spec.module,
                course.modules().iter().map(|m| m.id.as_str()),
            )
            .map(str::to_owned),
        });
    };
    let step = course
        .lessons_of(module)
        .flat_map(|lesson| {
            course
                .all_steps()
                .into_iter()
                .filter(move |s| s.lesson.id == lesson.id)
        })
        .next()
        .map(|s| format!("{}#{}", s.lesson.id, s.step.id))
        .ok_or_else(|| ScaffoldError::NoStep(spec.module.clone()))?;
    let support = support_dependency(&course.root);
    let files = templates::files(spec, &step, &support);
    // Edit the shared files first: a failure there leaves nothing half made.
    let manifest = course.root.join("course.yaml");
    let text = std::fs::read_to_string(&manifest).map_err(io(&manifest))?;
    let listed =
        list_in_module(&text, &spec.module, &spec.id).map_err(|why| ScaffoldError::Edit {
            path: manifest.clone(),
            why,
        })?;
    let workspace = course.root.join("Cargo.toml");
    let members = match std::fs::read_to_string(&workspace) {
        Ok(text) => Some(
            add_member(&text, &spec.id).map_err(|why| ScaffoldError::Edit {
                path: workspace.clone(),
                why,
            })?,
        ),
        Err(_) => None,
    };
    let mut written = Vec::new();
    for (path, content) in &files {
        let full = dir.join(path);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent).map_err(io(parent))?;
        }
        std::fs::write(&full, content).map_err(io(&full))?;
        written.push(Path::new("exercises").join(&spec.id).join(path));
    }
    std::fs::write(&manifest, listed).map_err(io(&manifest))?;
    written.push(PathBuf::from("course.yaml"));
    if let Some(Some(members)) = members {
        std::fs::write(&workspace, members).map_err(io(&workspace))?;
        written.push(PathBuf::from("Cargo.toml"));
    }
    Ok(written)
}

/// How the course's exercises depend on the support crate: copied from an
/// existing exercise, so a course whose support crate lives elsewhere works.
fn support_dependency(root: &Path) -> String {
    let exercises = root.join("exercises");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&exercises)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .collect();
    dirs.sort();
    dirs.iter()
        .filter_map(|d| std::fs::read_to_string(d.join("Cargo.toml")).ok())
        .flat_map(|text| {
            text.lines()
                .filter(|l| l.trim_start().starts_with("workbook-support"))
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .next()
        .unwrap_or_else(|| "workbook-support = { path = \"../support\" }".to_owned())
}

/// `course.yaml` with `id` appended to the module's `exercises` list (a block
/// list, a flow list, or none yet), everything else left as written.
pub fn list_in_module(text: &str, module: &str, id: &str) -> Result<String, EditProblem> {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines
        .iter()
        .position(|l| {
            let t = l.trim_start();
            t.strip_prefix("- id:")
                .or_else(|| t.strip_prefix("-  id:"))
                .is_some_and(|rest| rest.trim().trim_matches(['"', '\'']) == module)
        })
        .ok_or_else(|| EditProblem::ModuleNotFound(module.to_owned()))?;
    let item_indent = lines[start].len() - lines[start].trim_start().len();
    let key_indent = item_indent + 2;
    // The module's block ends at the next line indented no deeper than its `-`.
    let end = (start + 1..lines.len())
        .find(|&i| {
            let l = lines[i];
            !l.trim().is_empty() && (l.len() - l.trim_start().len()) <= item_indent
        })
        .unwrap_or(lines.len());
    let key = (start + 1..end).find(|&i| {
        let l = lines[i];
        l.len() - l.trim_start().len() == key_indent && l.trim_start().starts_with("exercises:")
    });
    let mut out: Vec<String> = lines.iter().map(|l| (*l).to_owned()).collect();
    let pad = " ".repeat(key_indent);
    if let Some(i) = key {
        let after = lines[i].trim_start()["exercises:".len()..].trim();
        if after.starts_with('[') && after.ends_with(']') {
            let inner = after[1..after.len() - 1].trim();
            let list = if inner.is_empty() {
                id.to_owned()
            } else {
                format!("{inner}, {id}")
            };
            out[i] = format!("{pad}exercises: [{list}]");
        } else if after.is_empty() {
            let mut last = i;
            for (j, line) in lines.iter().enumerate().take(end).skip(i + 1) {
                if line.trim_start().starts_with("- ") {
                    last = j;
                } else if !line.trim().is_empty() {
                    break;
                }
            }
            let dash = if last == i {
                format!("{pad}  - ")
            } else {
                let l = lines[last];
                format!("{}- ", &l[..l.len() - l.trim_start().len()])
            };
            out.insert(last + 1, format!("{dash}{id}"));
        } else {
            return Err(EditProblem::ExercisesNotAList(module.to_owned()));
        }
    } else {
        // After the module's last line that belongs to it.
        let mut last = end;
        while last > start + 1 && lines[last - 1].trim().is_empty() {
            last -= 1;
        }
        out.insert(last, format!("{pad}exercises:\n{pad}  - {id}"));
    }
    let mut joined = out.join("\n");
    if text.ends_with('\n') {
        joined.push('\n');
    }
    Ok(joined)
}

/// The workspace `Cargo.toml` with the exercise added to `members`, or `None`
/// when a glob (`exercises/*`) already takes it in.
pub fn add_member(text: &str, id: &str) -> Result<Option<String>, EditProblem> {
    let Some(at) = text.find("members") else {
        return Err(EditProblem::NoMembers);
    };
    let open = text[at..]
        .find('[')
        .map(|i| at + i)
        .ok_or(EditProblem::MembersNotAList)?;
    let close = text[open..]
        .find(']')
        .map(|i| open + i)
        .ok_or(EditProblem::MembersNotClosed)?;
    let list = &text[open + 1..close];
    if list.contains("\"exercises/*\"") {
        return Ok(None);
    }
    let entry = format!("\"exercises/{id}\"");
    if list.contains(&entry) {
        return Ok(None);
    }
    let trimmed = list.trim_end();
    let separator = if trimmed.is_empty() || trimmed.ends_with(',') {
        " "
    } else {
        ", "
    };
    Ok(Some(format!(
        "{}{trimmed}{separator}{entry}{}",
        &text[..=open],
        &text[close..]
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    const COURSE: &str = "\
format_version: 1
modules:
  - id: async-basics
    title:
      en: A
      ru: А
    lessons:
      - pool
    quiz: async-basics
  - id: relations
    title: {en: B, ru: Б}
    lessons: [tags]
    exercises:
      - founditem-schema
      - eager-tags
    quiz: relations
rubric:
  grades: {S: 90}
";

    #[test]
    fn an_exercise_joins_a_block_list() {
        let out = list_in_module(COURSE, "relations", "new-one").unwrap();
        assert!(
            out.contains("      - eager-tags\n      - new-one\n    quiz: relations"),
            "{out}"
        );
    }

    #[test]
    fn a_module_without_exercises_gets_the_key() {
        let out = list_in_module(COURSE, "async-basics", "pool-url").unwrap();
        assert!(
            out.contains(
                "    quiz: async-basics\n    exercises:\n      - pool-url\n  - id: relations"
            ),
            "{out}"
        );
    }

    #[test]
    fn a_flow_list_grows_in_place() {
        let text = "modules:\n  - id: m\n    exercises: [a]\n";
        assert_eq!(
            list_in_module(text, "m", "b").unwrap(),
            "modules:\n  - id: m\n    exercises: [a, b]\n"
        );
        assert!(list_in_module(text, "nope", "b").is_err());
    }

    #[test]
    fn workspace_members_take_the_crate_unless_a_glob_does() {
        assert_eq!(
            add_member("[workspace]\nmembers = [\".\", \"exercises/a\"]\n", "b").unwrap(),
            Some("[workspace]\nmembers = [\".\", \"exercises/a\", \"exercises/b\"]\n".to_owned())
        );
        assert_eq!(
            add_member("[workspace]\nmembers = [\".\", \"exercises/*\"]\n", "b").unwrap(),
            None
        );
    }

    #[test]
    fn ids_are_checked() {
        for good in ["pool-url", "a1", "tx"] {
            assert!(valid_id(good), "{good}");
        }
        for bad in ["Pool", "-a", "a-", "a--b", "a_b", "1a", ""] {
            assert!(!valid_id(bad), "{bad}");
        }
    }
}

//! The files of a new exercise. The template's task — return a number the
//! check stored, drawn from its seed — is a placeholder to replace, but it is
//! a working example of the parts every exercise has: a seeded check, a
//! teaching failure with a hint tier, a starter that compiles and fails, and a
//! mistake fixture. The files themselves are in `templates/` (plain text, so
//! that they read as the Rust they become).

use workbook_support::Backend;

use super::NewExercise;

/// `(path inside the exercise, content)` for every file.
pub fn files(spec: &NewExercise, practises: &str, support: &str) -> Vec<(String, String)> {
    let starter = if spec.http { HTTP_STARTER } else { STARTER };
    let checks = if spec.http { HTTP_CHECKS } else { CHECKS };
    let crate_name = spec.id.replace('-', "_");
    vec![
        ("Cargo.toml".into(), cargo_toml(spec, support)),
        ("exercise.yaml".into(), exercise_yaml(spec, practises)),
        ("src/lib.rs".into(), starter.to_owned()),
        ("starter/src/lib.rs".into(), starter.to_owned()),
        ("solution/src/lib.rs".into(), starter.to_owned()),
        (
            "tests/checks.rs".into(),
            checks.replace("EXERCISE_CRATE", &crate_name),
        ),
        (
            "mistakes/constant/src/lib.rs".into(),
            if spec.http {
                HTTP_MISTAKE.to_owned()
            } else {
                MISTAKE.to_owned()
            },
        ),
        (
            "mistakes/constant/mistake.yaml".into(),
            MISTAKE_YAML.to_owned(),
        ),
    ]
}

fn cargo_toml(spec: &NewExercise, support: &str) -> String {
    let http = if spec.http {
        "axum = { workspace = true }\nserde_json = { workspace = true }\n"
    } else {
        ""
    };
    format!(
        "[package]\n\
         name = \"{id}\"\n\
         version = \"0.1.0\"\n\
         description = \"Exercise: TODO say what the student builds\"\n\
         edition.workspace = true\n\
         rust-version.workspace = true\n\
         license.workspace = true\n\
         publish = false\n\
         \n\
         [dependencies]\n\
         sqlx = {{ workspace = true }}\n\
         {http}\
         \n\
         [dev-dependencies]\n\
         {support}\n\
         \n\
         # Student code may not use `unsafe` (a constructor before `main`, raw file\n\
         # descriptors): forbidden here, where an editable file cannot lower it.\n\
         [lints.rust]\n\
         unsafe_code = \"forbid\"\n\
         \n\
         [[test]]\n\
         name = \"checks\"\n\
         path = \"tests/checks.rs\"\n\
         harness = false\n",
        id = spec.id
    )
}

fn exercise_yaml(spec: &NewExercise, practises: &str) -> String {
    let backends: Vec<&str> = spec.backends.iter().map(|b: &Backend| b.name()).collect();
    format!(
        "format_version: 1\n\
         title:\n  en: \"TODO: what the student builds\"\n  ru: \"TODO: что строит студент\"\n\
         practises: {practises}\n\
         backends: [{}]\n\
         editable: [src/lib.rs]\n\
         time_limit_secs: 30\n\
         checks:\n\
         \x20 - id: returns-the-stored-number\n\
         \x20   points: 1\n\
         \x20   title:\n\
         \x20     en: The number stored in the database comes back\n\
         \x20     ru: Возвращается число, сохранённое в базе\n\
         hints:\n\
         \x20 - en: \"Read the number from the table `numbers` instead of computing it.\"\n\
         \x20   ru: \"Прочитайте число из таблицы `numbers`, а не вычисляйте его.\"\n\
         \x20 - en: \"One row holds it: `SELECT n FROM numbers`, fetched with `fetch_one`.\"\n\
         \x20   ru: \"Оно в единственной строке: `SELECT n FROM numbers`, получите её через `fetch_one`.\"\n\
         \x20 - en: \"`sqlx::query_scalar(\\\"SELECT n FROM numbers\\\").fetch_one(pool).await`\"\n\
         \x20   ru: \"`sqlx::query_scalar(\\\"SELECT n FROM numbers\\\").fetch_one(pool).await`\"\n",
        backends.join(", ")
    )
}

const STARTER: &str = include_str!("templates/starter.rs.txt");

const MISTAKE: &str = include_str!("templates/mistake.rs.txt");

const MISTAKE_YAML: &str = "about:\n  en: \"A constant instead of reading the table\"\n  ru: \"Константа вместо чтения таблицы\"\nfails:\n  returns-the-stored-number: \"expected\"\n";

const CHECKS: &str = include_str!("templates/checks.rs.txt");

const HTTP_STARTER: &str = include_str!("templates/http_starter.rs.txt");

const HTTP_MISTAKE: &str = include_str!("templates/http_mistake.rs.txt");

const HTTP_CHECKS: &str = include_str!("templates/http_checks.rs.txt");

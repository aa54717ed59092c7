//! Load time of course files against their size, to show it grows linearly.
//!
//! Grows a copy of the shipped course twice: once its largest lesson (by
//! repeating the theory steps under new ids) and once a quiz bank (by repeating
//! its questions), to about 100, 200, 400 and 800 KB, and times `Course::load`
//! on each (the best of five runs), and the YAML parse of the grown file alone.
//! Linear loading shows as a steady time per KB
//! of the whole course (the other files add about 60 KB).
//!
//! ```sh
//! cargo run --release --example yaml_load_bench
//! cargo run --example yaml_load_bench    # the debug build `cargo run --` uses
//! cargo run --release --example yaml_load_bench -- 500 1000 2000 4000   # other sizes, in KB
//! ```

use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

use workbook::course::Course;

/// The sizes grown to, in KB, unless others are given as arguments.
const SIZES_KB: [usize; 4] = [100, 200, 400, 800];
const LESSON: &str = "lessons/many-to-many-tags.yaml";
const BANK: &str = "quiz/async-basics.yaml";

fn main() {
    let mut sizes: Vec<usize> = std::env::args()
        .skip(1)
        .map(|a| a.parse().expect("sizes in KB"))
        .collect();
    if sizes.is_empty() {
        sizes = SIZES_KB.to_vec();
    }
    let source = Path::new(env!("CARGO_MANIFEST_DIR"));
    println!(
        "grown file                      file size   its parse  course size  course load  per KB of course"
    );
    for (file, marker, indent, end) in [
        (LESSON, "  theory:\n", "    - id: ", Some("  practice:\n")),
        (BANK, "questions:\n", "  - id: ", None),
    ] {
        for &kb in &sizes {
            let dir = tempfile::tempdir().expect("temp folder");
            copy_course(source, dir.path());
            let original = std::fs::read_to_string(source.join(file)).expect("course file");
            let grown = grow(&original, marker, indent, end, kb * 1024);
            std::fs::write(dir.path().join(file), &grown).expect("write the grown file");
            let best = (0..5)
                .map(|_| {
                    let start = Instant::now();
                    let course = Course::load(dir.path());
                    let took = start.elapsed();
                    if let Err(errors) = course {
                        panic!("the grown course does not load:\n{errors}");
                    }
                    took
                })
                .min()
                .unwrap_or(Duration::ZERO);
            let parse = (0..5)
                .map(|_| {
                    let start = Instant::now();
                    workbook::yaml::load(&dir.path().join(file)).expect("the grown file parses");
                    start.elapsed()
                })
                .min()
                .unwrap_or(Duration::ZERO);
            let kb_of = |bytes: u64| f64::from(u32::try_from(bytes).unwrap_or(u32::MAX)) / 1024.0;
            let (file_kb, course_kb) = (kb_of(grown.len() as u64), kb_of(course_bytes(dir.path())));
            println!(
                "{file:<32} {file_kb:>6.0} KB {:>8.1} ms {course_kb:>8.0} KB {:>9.1} ms {:>13.1} µs",
                parse.as_secs_f64() * 1e3,
                best.as_secs_f64() * 1e3,
                best.as_secs_f64() * 1e6 / course_kb
            );
        }
    }
}

/// The size of every file the loader reads.
fn course_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| {
            let path = entry.path();
            if path.is_dir() {
                course_bytes(&path)
            } else {
                std::fs::metadata(&path).map_or(0, |m| m.len())
            }
        })
        .sum()
}

/// The course files the loader reads: manifest, lessons, banks, exercise metadata.
fn copy_course(from: &Path, to: &Path) {
    std::fs::copy(from.join("course.yaml"), to.join("course.yaml")).expect("course.yaml");
    for folder in ["lessons", "quiz"] {
        std::fs::create_dir_all(to.join(folder)).expect("folder");
        for entry in std::fs::read_dir(from.join(folder))
            .expect("folder")
            .flatten()
        {
            std::fs::copy(entry.path(), to.join(folder).join(entry.file_name())).expect("copy");
        }
    }
    for entry in std::fs::read_dir(from.join("exercises"))
        .expect("exercises")
        .flatten()
    {
        let metadata = entry.path().join("exercise.yaml");
        if metadata.is_file() {
            let dir = to.join("exercises").join(entry.file_name());
            std::fs::create_dir_all(&dir).expect("folder");
            std::fs::copy(metadata, dir.join("exercise.yaml")).expect("copy");
        }
    }
}

/// `text` with the list after `marker` (up to `end`) repeated until the whole
/// is at least `size` bytes, each copy's items renamed (`id: x` → `id: x-c3`).
fn grow(text: &str, marker: &str, indent: &str, end: Option<&str>, size: usize) -> String {
    let start = text.find(marker).expect("marker") + marker.len();
    let stop = end.map_or(text.len(), |end| {
        start + text[start..].find(end).expect("end")
    });
    let (head, list, tail) = (&text[..stop], &text[start..stop], &text[stop..]);
    let list = if list.ends_with('\n') {
        list.to_owned()
    } else {
        format!("{list}\n")
    };
    let mut out = head.to_owned();
    if !out.ends_with('\n') {
        out.push('\n');
    }
    let mut copy = 0;
    while out.len() + tail.len() < size {
        copy += 1;
        for line in list.lines() {
            out.push_str(line);
            if line.starts_with(indent) {
                write!(out, "-c{copy}").expect("writing to a string");
            }
            out.push('\n');
        }
    }
    out.push_str(tail);
    out
}

//! Inline SVG charts: the histogram of totals, the letters as one stacked
//! bar, and a pass-rate bar per check. Each is an `<svg role="img">` with a
//! `<title>`, coloured by class (the stylesheet decides the colours), scaled
//! by its `viewBox` to the width of the screen.

use std::fmt::Write as _;

use crate::lang::Lang;

use super::super::stats::{BINS, Stats};
use super::super::words::{letter, number, percent};
use super::page::escape;

/// The histogram's drawing area, in `viewBox` units.
const WIDTH: f64 = 320.0;
const HEIGHT: f64 = 170.0;
const LEFT: f64 = 14.0;
const RIGHT: f64 = 14.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 28.0;

/// Graded students per band of ten points, with the count over each bar and
/// the points along the axis.
pub fn histogram(stats: &Stats, lang: Lang) -> String {
    let title = lang.pick(
        "Students by total, in bands of ten points",
        "Студенты по итоговым баллам, шагом в десять баллов",
    );
    let mut out = format!(
        "<svg class=\"chart\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" role=\"img\" aria-label=\"{0}\">\
         <title>{0}</title>",
        escape(title)
    );
    let plot_width = WIDTH - LEFT - RIGHT;
    let plot_height = HEIGHT - TOP - BOTTOM;
    let step = plot_width / to_f64(BINS);
    let highest = stats.histogram.iter().copied().max().unwrap_or(0).max(1);
    let baseline = TOP + plot_height;
    for (i, &count) in stats.histogram.iter().enumerate() {
        let height = plot_height * to_f64(count) / to_f64(highest);
        let x = LEFT + step * to_f64(i);
        let upper = if i == BINS - 1 { 100 } else { i * 10 + 9 };
        let band = format!("{}–{upper}", i * 10);
        let students = lang.pick("students", "студентов");
        let _ = write!(
            out,
            "<rect class=\"bar\" x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{height:.1}\">\
             <title>{band}: {students} {count}</title></rect>",
            x + 2.0,
            baseline - height,
            step - 4.0,
        );
        if count > 0 {
            let _ = write!(
                out,
                "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{count}</text>",
                x + step / 2.0,
                baseline - height - 3.0
            );
        }
    }
    let _ = write!(
        out,
        "<line class=\"axis\" x1=\"{LEFT}\" y1=\"{baseline}\" x2=\"{}\" y2=\"{baseline}\"/>",
        WIDTH - RIGHT
    );
    for tick in 0..=BINS {
        let _ = write!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            LEFT + step * to_f64(tick),
            baseline + 13.0,
            tick * 10
        );
    }
    out.push_str("</svg>");
    out
}

/// The letters as one bar, each letter's share of the class in its colour
/// (students without a grade in grey).
pub fn spread(stats: &Stats, lang: Lang) -> String {
    let mut parts: Vec<(String, &str, usize)> = stats
        .letters
        .iter()
        .map(|&(l, n)| (format!("seg-{}", letter(l)), letter(l), n))
        .collect();
    parts.push((
        "seg-none".to_owned(),
        lang.pick("no grade", "без оценки"),
        stats.ungraded,
    ));
    let title = lang.pick("Letters across the class", "Оценки по группе");
    let mut out = format!(
        "<svg class=\"spread\" viewBox=\"0 0 100 4\" preserveAspectRatio=\"none\" role=\"img\" \
         aria-label=\"{0}\"><title>{0}</title>",
        escape(title)
    );
    let mut x = 0.0;
    for (class, label, count) in parts {
        if count == 0 {
            continue;
        }
        let width = percent(count, stats.students);
        let _ = write!(
            out,
            "<rect class=\"{class}\" x=\"{x:.2}\" width=\"{width:.2}\" height=\"4\">\
             <title>{}: {count}</title></rect>",
            escape(label)
        );
        x += width;
    }
    out.push_str("</svg>");
    out
}

/// A pass rate as a bar: green from 80 %, amber from 50 %, red below.
pub fn rate(rate: f64, lang: Lang) -> String {
    let class = if rate >= 80.0 {
        "high"
    } else if rate >= 50.0 {
        "mid"
    } else {
        "low"
    };
    let label = format!("{}%", number(rate.round(), lang));
    format!(
        "<svg class=\"rate\" viewBox=\"0 0 100 10\" preserveAspectRatio=\"none\" role=\"img\" \
         aria-label=\"{label}\"><title>{label}</title><rect class=\"track\" width=\"100\" height=\"10\"/>\
         <rect class=\"{class}\" width=\"{rate:.2}\" height=\"10\"/></svg>"
    )
}

fn to_f64(n: usize) -> f64 {
    // Counts of students and bins: exact in f64.
    f64::from(u32::try_from(n).unwrap_or(u32::MAX))
}

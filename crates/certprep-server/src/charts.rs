//! SVG charts for the pages: drawn on the server, no script, attributes only (the CSP forbids
//! inline styles).

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Horizontal bars of percentages, one per labelled row.
pub fn bars(rows: &[(String, f64)]) -> String {
    let row_h = 26;
    let height = rows.len() * row_h + 10;
    let mut svg = format!(
        "<svg role=\"img\" aria-label=\"Percentage of points per skill area\" width=\"100%\" viewBox=\"0 0 640 {height}\" xmlns=\"http://www.w3.org/2000/svg\">"
    );
    for (i, (label, percent)) in rows.iter().enumerate() {
        let y = i * row_h + 5;
        let width = (percent.clamp(0.0, 100.0) * 2.6).round();
        let short: String = label.chars().take(44).collect();
        svg.push_str(&format!(
            "<text x=\"0\" y=\"{}\">{}</text><rect x=\"330\" y=\"{y}\" width=\"260\" height=\"16\" fill=\"#e6e6e6\"/><rect x=\"330\" y=\"{y}\" width=\"{width}\" height=\"16\" fill=\"#0b5cad\"/><text x=\"596\" y=\"{}\">{:.0}%</text>",
            y + 13,
            escape(&short),
            y + 13,
            percent
        ));
    }
    svg.push_str("</svg>");
    svg
}

/// One submitted session on the history chart.
pub struct HistoryPoint {
    pub date: chrono::NaiveDate,
    /// Share of the points, 0–100.
    pub percent: f64,
    /// A mock exam (or readiness check), as opposed to practice.
    pub mock: bool,
}

/// The score history: mock exams joined by a line, practice sessions as open squares, both as
/// the share of points (the one scale they share), against dated x and labelled y axes and the
/// passing standard.
pub fn history(points: &[HistoryPoint], standard_percent: f64) -> String {
    let (w, h, left, right, top, bottom) = (640.0, 240.0, 44.0, 12.0, 28.0, 34.0);
    let y = |p: f64| top + (100.0 - p.clamp(0.0, 100.0)) / 100.0 * (h - top - bottom);
    let n = points.len();
    let x = |i: usize| {
        if n <= 1 {
            left + (w - left - right) / 2.0
        } else {
            left + i as f64 * (w - left - right) / (n - 1) as f64
        }
    };
    let mut svg = format!(
        "<svg role=\"img\" aria-label=\"Share of points of each submitted session, oldest to newest: mock exams as a line of dots, practice as open squares; the dashed line is the passing standard\" width=\"100%\" viewBox=\"0 0 {w} {h}\" xmlns=\"http://www.w3.org/2000/svg\">"
    );
    // The y axis: 0, 25, 50, 75, 100% with light grid lines.
    for tick in [0.0, 25.0, 50.0, 75.0, 100.0] {
        svg.push_str(&format!(
            "<line x1=\"{left}\" x2=\"{:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#8a8a8a\" stroke-opacity=\".35\"/><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{tick:.0}%</text>",
            w - right,
            y(tick),
            y(tick),
            left - 4.0,
            y(tick) + 4.0
        ));
    }
    svg.push_str(&format!(
        "<line x1=\"{left}\" x2=\"{:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#a4161a\" stroke-dasharray=\"5 4\"/><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">pass {standard_percent:.0}% (700)</text>",
        w - right,
        y(standard_percent),
        y(standard_percent),
        w - right,
        y(standard_percent) - 4.0
    ));
    // Legend.
    svg.push_str(&format!(
        "<circle cx=\"{left}\" cy=\"12\" r=\"4\" fill=\"#0b5cad\"/><text x=\"{:.1}\" y=\"16\">mock exam</text><rect x=\"{:.1}\" y=\"8\" width=\"8\" height=\"8\" fill=\"none\" stroke=\"#1d6b2f\" stroke-width=\"2\"/><text x=\"{:.1}\" y=\"16\">practice</text>",
        left + 8.0,
        left + 100.0,
        left + 114.0
    ));
    if points.is_empty() {
        svg.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\">No submitted sessions yet.</text>",
            left + 16.0,
            h / 2.0
        ));
        svg.push_str("</svg>");
        return svg;
    }
    let mock: Vec<String> = points
        .iter()
        .enumerate()
        .filter(|(_, p)| p.mock)
        .map(|(i, p)| format!("{:.1},{:.1}", x(i), y(p.percent)))
        .collect();
    if !mock.is_empty() {
        svg.push_str(&format!(
            "<polyline points=\"{}\" fill=\"none\" stroke=\"#0b5cad\" stroke-width=\"2\"/>",
            mock.join(" ")
        ));
    }
    for (i, p) in points.iter().enumerate() {
        let (cx, cy) = (x(i), y(p.percent));
        if p.mock {
            svg.push_str(&format!(
                "<circle cx=\"{cx:.1}\" cy=\"{cy:.1}\" r=\"4\" fill=\"#0b5cad\"><title>{} mock exam: {:.0}% of points</title></circle>",
                p.date, p.percent
            ));
        } else {
            svg.push_str(&format!(
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"8\" height=\"8\" fill=\"none\" stroke=\"#1d6b2f\" stroke-width=\"2\"><title>{} practice: {:.0}% of points</title></rect>",
                cx - 4.0,
                cy - 4.0,
                p.date,
                p.percent
            ));
        }
    }
    // The x axis: the first and last dates, and the middle one when there are three or more.
    let mut labels = vec![0, n - 1];
    if n >= 3 {
        labels.insert(1, n / 2);
    }
    labels.dedup();
    for i in labels {
        let anchor = if i == 0 && n > 1 {
            "start"
        } else if i == n - 1 && n > 1 {
            "end"
        } else {
            "middle"
        };
        svg.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"{anchor}\">{}</text>",
            x(i),
            h - 10.0,
            points[i].date.format("%Y-%m-%d")
        ));
    }
    svg.push_str("</svg>");
    svg
}

/// A small bar of a probability with its interval: a grey track, a light band for the interval
/// and a dark tick at the estimate (all in [0, 1]).
pub fn interval_bar(p: f64, low: f64, high: f64) -> String {
    let (w, h) = (240.0, 18.0);
    let x = |v: f64| (v.clamp(0.0, 1.0) * w * 10.0).round() / 10.0;
    let (lo, hi) = (x(low.min(high)), x(high.max(low)));
    format!(
        "<svg class=\"interval\" role=\"img\" aria-label=\"Pass probability {:.0}%, from {:.0}% to {:.0}%\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" xmlns=\"http://www.w3.org/2000/svg\"><rect x=\"0\" y=\"5\" width=\"{w}\" height=\"8\" fill=\"#e6e6e6\"/><rect x=\"{lo}\" y=\"5\" width=\"{:.1}\" height=\"8\" fill=\"#9cc0e6\"/><rect x=\"{:.1}\" y=\"1\" width=\"3\" height=\"16\" fill=\"#0b5cad\"/></svg>",
        p * 100.0,
        low * 100.0,
        high * 100.0,
        (hi - lo).max(1.0),
        (x(p) - 1.5).clamp(0.0, w - 3.0),
    )
}

/// One point of the readiness trend: a label (the date), the probability and its interval.
pub struct ProbabilityPoint {
    pub label: String,
    pub p: f64,
    pub low: f64,
    pub high: f64,
}

/// The pass probability over time (oldest first) as a line inside its interval band, with the
/// 50% line.
pub fn probability_trend(points: &[ProbabilityPoint]) -> String {
    let (w, h, pad) = (640.0, 200.0, 30.0);
    let y = |p: f64| h - pad - p.clamp(0.0, 1.0) * (h - 2.0 * pad);
    let n = points.len().max(2) as f64;
    let x = |i: usize| pad + (i as f64) * (w - 2.0 * pad) / (n - 1.0);
    let mut svg = format!(
        "<svg role=\"img\" aria-label=\"Pass probability by day, oldest to newest, with its 95% interval\" width=\"100%\" viewBox=\"0 0 {w} {h}\" xmlns=\"http://www.w3.org/2000/svg\">"
    );
    for (label, p) in [("0%", 0.0), ("50%", 0.5), ("100%", 1.0)] {
        svg.push_str(&format!(
            "<line x1=\"{pad}\" x2=\"{}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#d0d0d0\"{}/><text x=\"0\" y=\"{:.1}\">{label}</text>",
            w - pad,
            y(p),
            y(p),
            if p == 0.5 { " stroke-dasharray=\"4 4\"" } else { "" },
            y(p) + 4.0
        ));
    }
    if points.is_empty() {
        svg.push_str("<text x=\"40\" y=\"100\">No answers yet.</text>");
        svg.push_str("</svg>");
        return svg;
    }
    // A single day is drawn as a short flat line so it shows.
    let xs: Vec<f64> = if points.len() == 1 {
        vec![pad, w - pad]
    } else {
        (0..points.len()).map(x).collect()
    };
    let series: Vec<&ProbabilityPoint> = if points.len() == 1 {
        vec![&points[0], &points[0]]
    } else {
        points.iter().collect()
    };
    let upper: Vec<String> = xs
        .iter()
        .zip(&series)
        .map(|(px, pt)| format!("{px:.1},{:.1}", y(pt.high)))
        .collect();
    let lower: Vec<String> = xs
        .iter()
        .zip(&series)
        .rev()
        .map(|(px, pt)| format!("{px:.1},{:.1}", y(pt.low)))
        .collect();
    svg.push_str(&format!(
        "<polygon points=\"{} {}\" fill=\"#9cc0e6\" fill-opacity=\"0.5\"/>",
        upper.join(" "),
        lower.join(" ")
    ));
    let line: Vec<String> = xs
        .iter()
        .zip(&series)
        .map(|(px, pt)| format!("{px:.1},{:.1}", y(pt.p)))
        .collect();
    svg.push_str(&format!(
        "<polyline points=\"{}\" fill=\"none\" stroke=\"#0b5cad\" stroke-width=\"2\"/>",
        line.join(" ")
    ));
    for (i, pt) in points.iter().enumerate() {
        let px = if points.len() == 1 { w - pad } else { x(i) };
        svg.push_str(&format!(
            "<circle cx=\"{px:.1}\" cy=\"{:.1}\" r=\"3\" fill=\"#0b5cad\"><title>{}: {:.0}% ({:.0}–{:.0}%)</title></circle>",
            y(pt.p),
            escape(&pt.label),
            pt.p * 100.0,
            pt.low * 100.0,
            pt.high * 100.0
        ));
    }
    if let (Some(first), Some(last)) = (points.first(), points.last()) {
        svg.push_str(&format!(
            "<text x=\"{pad}\" y=\"{}\">{}</text><text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            h - 8.0,
            escape(&first.label),
            w - pad,
            h - 8.0,
            escape(&last.label)
        ));
    }
    svg.push_str("</svg>");
    svg
}

/// Hours planned against hours logged per week of a study plan: two bars per week, with a
/// legend and labelled axis, so progress reads without colour alone (the logged bar is hatched
/// by its outline).
pub fn plan_progress(weeks: &[(String, f64, f64)]) -> String {
    if weeks.is_empty() {
        return String::new();
    }
    let top = weeks
        .iter()
        .map(|(_, p, l)| p.max(*l))
        .fold(1.0_f64, f64::max)
        .ceil();
    let (left, width, plot_h, base) = (40.0, 600.0, 140.0, 160.0);
    let slot = (width / weeks.len() as f64).min(60.0);
    let bar = (slot / 2.0 - 2.0).max(2.0);
    let mut svg = format!(
        "<svg role=\"img\" aria-label=\"Hours planned and logged per week\" width=\"100%\" viewBox=\"0 0 660 200\" xmlns=\"http://www.w3.org/2000/svg\"><line x1=\"{left}\" y1=\"{base}\" x2=\"{}\" y2=\"{base}\" stroke=\"#767676\"/><text x=\"0\" y=\"{}\">{top} h</text><text x=\"0\" y=\"{base}\">0 h</text>",
        left + width,
        base - plot_h + 10.0
    );
    for (i, (label, planned, logged)) in weeks.iter().enumerate() {
        let x = left + i as f64 * slot + 2.0;
        let hp = (planned / top * plot_h).max(0.0);
        let hl = (logged / top * plot_h).max(0.0);
        svg.push_str(&format!(
            "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{bar:.1}\" height=\"{hp:.1}\" fill=\"#9bb9d9\"><title>{} planned: {:.2} h</title></rect><rect x=\"{:.1}\" y=\"{:.1}\" width=\"{bar:.1}\" height=\"{hl:.1}\" fill=\"#0b5cad\" stroke=\"#1b1b1b\"><title>{} logged: {:.2} h</title></rect><text x=\"{x:.1}\" y=\"{}\">{}</text>",
            base - hp,
            escape(label),
            planned,
            x + bar + 1.0,
            base - hl,
            escape(label),
            logged,
            base + 16.0,
            escape(label)
        ));
    }
    svg.push_str("<rect x=\"420\" y=\"186\" width=\"12\" height=\"10\" fill=\"#9bb9d9\"/><text x=\"436\" y=\"195\">planned</text><rect x=\"520\" y=\"186\" width=\"12\" height=\"10\" fill=\"#0b5cad\" stroke=\"#1b1b1b\"/><text x=\"536\" y=\"195\">logged</text></svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_are_svg_without_inline_style() {
        let bar = interval_bar(0.6, 0.3, 0.9);
        assert!(bar.starts_with("<svg") && bar.ends_with("</svg>"));
        let pts = vec![
            ProbabilityPoint {
                label: "2026-11-01".into(),
                p: 0.4,
                low: 0.1,
                high: 0.8,
            },
            ProbabilityPoint {
                label: "2026-11-02".into(),
                p: 0.5,
                low: 0.2,
                high: 0.85,
            },
        ];
        for svg in [
            bar,
            probability_trend(&pts),
            probability_trend(&pts[..1]),
            probability_trend(&[]),
        ] {
            assert!(!svg.contains("style="), "{svg}");
            assert!(!svg.contains("NaN"), "{svg}");
        }
        assert!(probability_trend(&pts).contains("polyline"));
    }
}

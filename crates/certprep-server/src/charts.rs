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

/// A line of scaled scores (oldest first) with the 700 pass line.
pub fn trend(scores: &[u32]) -> String {
    let (w, h, pad) = (640.0, 200.0, 30.0);
    let y = |s: f64| h - pad - (s / 1000.0) * (h - 2.0 * pad);
    let n = scores.len().max(2) as f64;
    let x = |i: usize| pad + (i as f64) * (w - 2.0 * pad) / (n - 1.0);
    let points: Vec<String> = scores
        .iter()
        .enumerate()
        .map(|(i, s)| format!("{:.1},{:.1}", x(i), y(f64::from(*s))))
        .collect();
    let mut svg = format!(
        "<svg role=\"img\" aria-label=\"Scaled scores of submitted sessions, oldest to newest\" width=\"100%\" viewBox=\"0 0 {w} {h}\" xmlns=\"http://www.w3.org/2000/svg\">"
    );
    svg.push_str(&format!(
        "<line x1=\"{pad}\" x2=\"{}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#a4161a\" stroke-dasharray=\"4 4\"/><text x=\"0\" y=\"{:.1}\">700</text>",
        w - pad,
        y(700.0),
        y(700.0),
        y(700.0) + 4.0
    ));
    if scores.is_empty() {
        svg.push_str("<text x=\"40\" y=\"100\">No submitted sessions yet.</text>");
    } else {
        svg.push_str(&format!(
            "<polyline points=\"{}\" fill=\"none\" stroke=\"#0b5cad\" stroke-width=\"2\"/>",
            points.join(" ")
        ));
        for p in &points {
            let (px, py) = p.split_once(',').unwrap_or(("0", "0"));
            svg.push_str(&format!(
                "<circle cx=\"{px}\" cy=\"{py}\" r=\"3\" fill=\"#0b5cad\"/>"
            ));
        }
    }
    svg.push_str("</svg>");
    svg
}

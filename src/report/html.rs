//! The report as one self-contained, printable HTML page: inline CSS, one
//! inline SVG chart per step, no script and nothing loaded from anywhere
//! (a Content-Security-Policy forbids it), A4 print styles.
//!
//! Every figure's cell has an `id` (`step-2-passes`, `role-jfu-on-time`,
//! `cases-opened`, ...) and times carry their working minutes in
//! `data-minutes`, so the page can be checked by a program as well as read.

use std::fmt::Write as _;

use rust_i18n::t;

use super::{Report, StepFigures};
use crate::calendar::Calendar;
use crate::render::work;

/// The page for `report`; `calendar` gives the length of a working day for
/// times written as `1 hari 2 jam`.
pub fn page(report: &Report, calendar: &Calendar) -> String {
    let mut h = String::with_capacity(32 * 1024);
    // Writing to a String cannot fail.
    let _ = write_page(&mut h, report, calendar);
    h
}

fn write_page(h: &mut String, r: &Report, calendar: &Calendar) -> std::fmt::Result {
    let sop = &r.sop;
    let period = format!("{} – {}", r.period.from, r.period.to);
    let time = |minutes: Option<i64>| match minutes {
        Some(m) => format!(
            r#" data-minutes="{m}">{}"#,
            units_together(&esc(&work(m.saturating_mul(60), calendar)))
        ),
        None => ">–".to_string(),
    };

    writeln!(h, "<!DOCTYPE html>")?;
    writeln!(h, r#"<html lang="{}">"#, esc(&rust_i18n::locale()))?;
    writeln!(h, "<head>")?;
    writeln!(h, r#"<meta charset="utf-8">"#)?;
    writeln!(
        h,
        r#"<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">"#
    )?;
    writeln!(
        h,
        r#"<meta name="viewport" content="width=device-width, initial-scale=1">"#
    )?;
    writeln!(
        h,
        "<title>{}</title>",
        esc(&t!("html.title", nomor = sop.nomor, period = period))
    )?;
    writeln!(h, "<style>{STYLE}</style>")?;
    writeln!(h, "</head>")?;
    writeln!(h, "<body>")?;

    writeln!(h, "<header>")?;
    writeln!(
        h,
        r#"<p class="org">{}<br>{}<br>{}</p>"#,
        esc(&sop.pemerintah.to_uppercase()),
        esc(&sop.instansi.to_uppercase()),
        esc(&sop.bidang)
    )?;
    writeln!(h, "<h1>{}</h1>", esc(&t!("html.heading")))?;
    writeln!(h, r#"<table class="identity">"#)?;
    let row = |h: &mut String, th: &str, id: &str, td: &str| {
        writeln!(h, r#"<tr><th>{}</th><td id="{id}">{td}</td></tr>"#, esc(th))
    };
    row(h, &t!("html.nama_sop"), "sop-nama", &esc(&sop.nama))?;
    row(h, &t!("html.nomor_sop"), "sop-nomor", &esc(&sop.nomor))?;
    row(h, &t!("html.versi"), "sop-versi", &esc(&sop.versi))?;
    row(h, &t!("html.instansi"), "sop-instansi", &esc(&sop.instansi))?;
    let p = &sop.disahkan_oleh;
    let nip = if p.nip.is_empty() {
        String::new()
    } else {
        format!("<br>NIP {}", esc(&p.nip))
    };
    row(
        h,
        &t!("html.disahkan_oleh"),
        "sop-disahkan-oleh",
        &format!("{}<br>{}{nip}", esc(&p.jabatan), esc(&p.nama)),
    )?;
    row(h, &t!("html.period"), "period", &esc(&period))?;
    row(
        h,
        &t!("html.as_of"),
        "as-of",
        &esc(&r.now.format("%Y-%m-%d %H:%M %:z").to_string()),
    )?;
    row(h, &t!("html.calendar"), "calendar", &esc(&r.calendar))?;
    writeln!(h, "</table>")?;
    writeln!(h, "</header>")?;

    writeln!(h, "<section>")?;
    writeln!(h, "<h2>{}</h2>", esc(&t!("html.summary")))?;
    writeln!(h, r#"<table class="summary">"#)?;
    let figure = |h: &mut String, th: &str, id: &str, value: String| {
        writeln!(
            h,
            r#"<tr><th>{}</th><td id="{id}">{value}</td></tr>"#,
            esc(th)
        )
    };
    figure(
        h,
        &t!("html.cases_opened"),
        "cases-opened",
        r.cases.opened.to_string(),
    )?;
    figure(
        h,
        &t!("html.cases_finished"),
        "cases-finished",
        r.cases.finished.to_string(),
    )?;
    figure(
        h,
        &t!("html.cases_active"),
        "cases-active-now",
        r.cases.active_now.to_string(),
    )?;
    figure(
        h,
        &t!("html.cases_overdue"),
        "cases-overdue-now",
        r.cases.overdue_now.to_string(),
    )?;
    figure(h, &t!("html.passes"), "passes", r.passes.to_string())?;
    figure(
        h,
        &t!("html.on_time"),
        "on-time",
        share_text(r.on_time, r.on_time_share),
    )?;
    figure(
        h,
        &t!("html.tidak_returns"),
        "tidak-returns",
        r.tidak_returns.to_string(),
    )?;
    writeln!(h, "</table>")?;
    writeln!(h, "</section>")?;

    writeln!(h, "<section>")?;
    writeln!(h, "<h2>{}</h2>", esc(&t!("html.steps")))?;
    writeln!(h, r#"<table class="steps">"#)?;
    writeln!(
        h,
        "<thead><tr>{}</tr></thead>",
        heads(&[
            t!("html.head.no"),
            t!("html.head.uraian"),
            t!("html.head.pelaksana"),
            t!("html.head.waktu"),
            t!("html.head.completed"),
            t!("html.head.median"),
            t!("html.head.p90"),
            t!("html.head.on_time"),
            t!("html.head.tidak"),
        ])
    )?;
    writeln!(h, "<tbody>")?;
    for s in &r.steps {
        let n = s.step;
        writeln!(
            h,
            "<tr><td>{n}</td><td>{}</td><td>{}</td><td id=\"step-{n}-standard\"{}</td>\
             <td id=\"step-{n}-passes\">{}</td><td id=\"step-{n}-median\"{}</td>\
             <td id=\"step-{n}-p90\"{}</td><td id=\"step-{n}-on-time\">{}</td>\
             <td id=\"step-{n}-tidak\">{}</td></tr>",
            esc(&s.uraian),
            esc(&s.roles.join(", ")),
            time(s.standard_minutes),
            s.passes,
            time(s.median_minutes),
            time(s.p90_minutes),
            share_text(s.on_time, s.on_time_share),
            s.tidak_returns.map_or("–".into(), |t| t.to_string()),
        )?;
    }
    writeln!(h, "</tbody>")?;
    writeln!(h, "</table>")?;
    writeln!(h, "</section>")?;

    writeln!(h, r#"<section class="charts">"#)?;
    writeln!(h, "<h2>{}</h2>", esc(&t!("html.charts")))?;
    writeln!(
        h,
        r#"<p class="legend"><span class="key ok"></span> {} <span class="key late"></span> {} <span class="key std"></span> {}</p>"#,
        esc(&t!("html.legend.ok")),
        esc(&t!("html.legend.late")),
        esc(&t!("html.legend.std"))
    )?;
    writeln!(h, r#"<div class="grid">"#)?;
    for s in &r.steps {
        chart(h, s, calendar)?;
    }
    writeln!(h, "</div>")?;
    writeln!(h, "</section>")?;

    writeln!(h, "<section>")?;
    writeln!(h, "<h2>{}</h2>", esc(&t!("html.roles")))?;
    writeln!(h, r#"<table class="roles">"#)?;
    writeln!(
        h,
        "<thead><tr>{}</tr></thead>",
        heads(&[
            t!("html.head.pelaksana"),
            t!("html.head.completed"),
            t!("html.head.on_time"),
        ])
    )?;
    writeln!(h, "<tbody>")?;
    for role in &r.roles {
        let id = esc(&role.role);
        writeln!(
            h,
            "<tr><td>{}</td><td id=\"role-{id}-passes\">{}</td><td id=\"role-{id}-on-time\">{}</td></tr>",
            esc(&role.nama),
            role.passes,
            share_text(role.on_time, role.on_time_share),
        )?;
    }
    writeln!(h, "</tbody>")?;
    writeln!(h, "</table>")?;
    writeln!(h, "</section>")?;

    writeln!(h, "<footer>")?;
    writeln!(
        h,
        "<p>{}</p>",
        esc(&t!("html.footer", minutes = calendar.day_minutes()))
    )?;
    writeln!(h, "</footer>")?;
    writeln!(h, "</body>")?;
    writeln!(h, "</html>")
}

/// The cells of a table's head row.
fn heads(names: &[std::borrow::Cow<'_, str>]) -> String {
    names
        .iter()
        .map(|name| format!("<th>{}</th>", esc(name)))
        .collect()
}

/// `3 (75.0%)`: the count on time and its share; `–` with nothing to count.
fn share_text(on_time: usize, share: Option<f64>) -> String {
    match share {
        Some(share) => format!("{on_time}&nbsp;({:.1}%)", share * 100.0),
        None => "–".into(),
    }
}

const CHART_W: f64 = 400.0;
const LABEL_W: f64 = 56.0;
const BAR_W: f64 = 200.0;
const ROW_H: f64 = 26.0;

/// One step's bars: median and P90 taken against the standard, on one scale.
fn chart(h: &mut String, s: &StepFigures, calendar: &Calendar) -> std::fmt::Result {
    let n = s.step;
    let standard = s.standard_minutes.unwrap_or(0);
    let bars: Vec<(std::borrow::Cow<'_, str>, Option<i64>, &str)> = vec![
        (
            t!("html.chart.median"),
            s.median_minutes,
            bar_class(s.median_minutes, s.standard_minutes),
        ),
        (
            t!("html.chart.p90"),
            s.p90_minutes,
            bar_class(s.p90_minutes, s.standard_minutes),
        ),
        (t!("html.chart.waktu"), s.standard_minutes, "std"),
    ];
    let max = bars.iter().filter_map(|b| b.1).max().unwrap_or(0).max(1) as f64;
    let x = |minutes: i64| LABEL_W + BAR_W * minutes as f64 / max;
    let height = ROW_H * bars.len() as f64 + 6.0;
    let summary = match (s.median_minutes, s.p90_minutes) {
        (Some(m), Some(p)) => t!(
            "html.chart.summary",
            n = n,
            median = work(m * 60, calendar),
            p90 = work(p * 60, calendar),
            standard = work(standard * 60, calendar)
        ),
        _ => t!("html.chart.summary_none", n = n),
    };

    writeln!(h, r#"<figure class="chart" id="chart-step-{n}">"#)?;
    writeln!(
        h,
        r#"<figcaption><b>{}</b> · {} · {}<span class="uraian">{}</span></figcaption>"#,
        esc(&t!("html.chart.step", n = n)),
        esc(&t!(
            "html.chart.waktu_is",
            waktu = s.waktu.as_deref().unwrap_or("–")
        )),
        esc(&t!("html.chart.completed", count = s.passes)),
        esc(&s.uraian)
    )?;
    writeln!(
        h,
        r#"<svg viewBox="0 0 {CHART_W} {height}" role="img" aria-label="{}">"#,
        esc(&summary)
    )?;
    writeln!(h, "<title>{}</title>", esc(&summary))?;
    // The standard's mark first, so the figures are written over it.
    if s.standard_minutes.is_some() {
        writeln!(
            h,
            r#"<line x1="{0:.1}" x2="{0:.1}" y1="0" y2="{height}" class="mark"/>"#,
            x(standard)
        )?;
    }
    for (i, (label, minutes, class)) in bars.iter().enumerate() {
        let y = 4.0 + ROW_H * i as f64;
        writeln!(
            h,
            r#"<text x="0" y="{:.1}" class="label">{}</text>"#,
            y + 14.0,
            esc(label)
        )?;
        match minutes {
            Some(m) => {
                let w = (x(*m) - LABEL_W).max(1.0);
                writeln!(
                    h,
                    r#"<rect x="{LABEL_W}" y="{y:.1}" width="{w:.1}" height="18" class="{class}"/>"#
                )?;
                writeln!(
                    h,
                    r#"<text x="{:.1}" y="{:.1}" class="value">{}</text>"#,
                    LABEL_W + w + 4.0,
                    y + 14.0,
                    esc(&work(m * 60, calendar))
                )?;
            }
            None => writeln!(
                h,
                r#"<text x="{LABEL_W}" y="{:.1}" class="value none">{}</text>"#,
                y + 14.0,
                esc(&t!("html.chart.none"))
            )?,
        }
    }
    writeln!(h, "</svg>")?;
    writeln!(h, "</figure>")
}

fn bar_class(taken: Option<i64>, standard: Option<i64>) -> &'static str {
    match (taken, standard) {
        (Some(t), Some(s)) if t > s => "late",
        _ => "ok",
    }
}

/// `1 hari 2 jam` with each number bound to its unit, so a narrow cell
/// breaks the line between `hari` and `2`, never between `2` and `jam`.
fn units_together(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut after_number = false;
    for (i, word) in text.split(' ').enumerate() {
        if i > 0 {
            out.push_str(if after_number { "&nbsp;" } else { " " });
        }
        out.push_str(word);
        after_number = word.bytes().all(|b| b.is_ascii_digit());
    }
    out
}

/// Text made safe for HTML content and attribute values.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = r#"
:root { --ok: #2e7d32; --late: #c62828; --std: #9e9e9e; --rule: #bbb; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font: 10.5pt/1.35 "DejaVu Sans", Arial, Helvetica, sans-serif; color: #111;
       max-width: 190mm; margin: 10mm auto; padding: 0 4mm; }
.org { text-align: center; font-weight: bold; margin: 0 0 4mm; }
h1 { font-size: 15pt; text-align: center; margin: 0 0 4mm; }
h2 { font-size: 12pt; margin: 6mm 0 2mm; border-bottom: 1px solid var(--rule); }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid var(--rule); padding: 1mm 1.5mm; vertical-align: top; text-align: left; }
thead th { background: #eee; }
table.identity th, table.summary th { width: 45mm; background: #f6f6f6; font-weight: normal; }
table.summary { width: auto; }
table.summary th { width: auto; white-space: nowrap; }
table.summary td, table.roles td:nth-child(n+2) { text-align: right; white-space: nowrap; }
table.steps { font-size: 9pt; }
table.steps td:nth-child(2) { width: 40%; font-size: 8pt; }
table.steps td:nth-child(3) { font-size: 8pt; }
table.steps td:nth-child(n+4) { text-align: right; }
table.roles { font-size: 9.5pt; }
.grid { display: grid; grid-template-columns: 1fr 1fr; gap: 3mm 5mm; }
figure.chart { margin: 0; break-inside: avoid; page-break-inside: avoid; }
figcaption { font-size: 9pt; }
figcaption .uraian { display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical;
                     overflow: hidden; color: #555; font-size: 8pt; }
svg { width: 100%; height: auto; display: block; }
svg text { font: 12px "DejaVu Sans", Arial, sans-serif; fill: #111; }
svg text.value { paint-order: stroke; stroke: #fff; stroke-width: 3px; stroke-linejoin: round; }
svg text.none { fill: #777; font-style: italic; }
rect.ok { fill: var(--ok); } rect.late { fill: var(--late); } rect.std { fill: var(--std); }
line.mark { stroke: #333; stroke-dasharray: 3 2; stroke-width: 1; }
.legend { font-size: 9pt; }
.key { display: inline-block; width: 3mm; height: 3mm; margin: 0 1mm 0 3mm; vertical-align: middle; }
.key.ok { background: var(--ok); } .key.late { background: var(--late); } .key.std { background: var(--std); }
footer { margin-top: 6mm; font-size: 8.5pt; color: #444; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 9.5pt; }
  h2 { break-after: avoid; page-break-after: avoid; }
  tr { break-inside: avoid; page-break-inside: avoid; }
}
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_stay_with_their_units() {
        assert_eq!(units_together("1 hari 2 jam"), "1&nbsp;hari 2&nbsp;jam");
        assert_eq!(units_together("&lt; 1 menit"), "&lt; 1&nbsp;menit");
    }

    #[test]
    fn text_is_escaped_for_content_and_attributes() {
        assert_eq!(
            esc(r#"<b>"A & B's"</b>"#),
            "&lt;b&gt;&quot;A &amp; B&#39;s&quot;&lt;/b&gt;"
        );
    }
}

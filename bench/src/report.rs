//! What no library does for us: gungraun's JSON summaries and divan's table
//! turned into instructions and nanoseconds per item, the CI gate against
//! `bench/baseline.tsv`, and the markdown of `BENCHMARKS.md`. Every number
//! in it comes from a run.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::Value;

/// One cell of either benchmark crate.
pub struct Cell {
    /// `workload/imp`.
    pub name: String,
    /// The gungraun group its benchmark is in.
    pub group: &'static str,
    /// Items per run.
    pub n: u64,
    /// Generators a run creates (allocation counts are per generator).
    pub generators: u64,
    /// Its reference: the hand-written cell its ratio is to.
    pub hand: String,
    /// A pygen cell: gated by the baseline.
    pub gated: bool,
}

impl Cell {
    /// gungraun's id for it (an identifier).
    pub fn id(&self) -> String {
        self.name.to_lowercase().replace(['/', '-'], "_")
    }
}

/// Instructions per item by profile, then by cell name.
pub type Counts = BTreeMap<String, BTreeMap<String, f64>>;

/// Reads gungraun's `--output-format=json` lines (one summary per line,
/// other lines ignored) of one profile into `counts`.
pub fn read_gungraun(text: &str, profile: &str, cells: &[Cell], counts: &mut Counts) {
    for line in text.lines().filter(|l| l.starts_with('{')) {
        let Ok(summary) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        let group = summary["group"].as_str().unwrap_or_default();
        let id = summary["id"].as_str().unwrap_or_default();
        let Some(cell) = cells.iter().find(|c| c.group == group && c.id() == id) else {
            continue;
        };
        if let Some(ir) = instructions(&summary["profiles"]) {
            counts
                .entry(profile.to_string())
                .or_default()
                .insert(cell.name.clone(), ir as f64 / cell.n as f64);
        }
    }
}

/// The callgrind `Ir` total in a summary's profiles (`Ir.values.new`; a
/// comparison with an older run adds `old` beside it).
fn instructions(value: &Value) -> Option<u64> {
    match value {
        Value::Object(map) => match map.get("Ir") {
            Some(ir) => ir["values"]["new"].as_u64(),
            None => map.values().find_map(instructions),
        },
        Value::Array(items) => items.iter().find_map(instructions),
        _ => None,
    }
}

/// Nanoseconds per item from divan's table: each row `├─ NAME  fastest │
/// slowest │ median │ …`; `NAME` is a cell name (the benchmark's `args`).
pub fn read_divan(text: &str, cells: &[Cell], times: &mut BTreeMap<String, f64>) {
    for line in text.lines() {
        let Some((head, rest)) = line.split_once('│') else {
            continue;
        };
        let Some(name) = head.split(['─', ' ']).find(|w| w.contains('/')) else {
            continue;
        };
        let (Some(cell), Some(median)) = (
            cells.iter().find(|c| c.name == name),
            rest.split('│').nth(1).and_then(nanoseconds),
        ) else {
            continue;
        };
        times.insert(name.to_string(), median / cell.n as f64);
    }
}

/// `1.234 ms` and the like, in nanoseconds.
fn nanoseconds(text: &str) -> Option<f64> {
    let mut words = text.split_whitespace();
    let value: f64 = words.next()?.parse().ok()?;
    let scale = match words.next()? {
        "ps" => 1e-3,
        "ns" => 1.0,
        "µs" | "us" => 1e3,
        "ms" => 1e6,
        "s" => 1e9,
        _ => return None,
    };
    Some(value * scale)
}

/// `profile\tcell\tinstructions per item`, the baseline's format.
pub fn baseline_tsv(counts: &Counts, cells: &[Cell]) -> String {
    let mut out = String::from(
        "# profile\tcell\tinstructions per item (pygen-bench baseline; see bench/README.md)\n",
    );
    for (profile, values) in counts {
        for cell in cells.iter().filter(|c| c.gated) {
            if let Some(v) = values.get(&cell.name) {
                let _ = writeln!(out, "{profile}\t{}\t{v:.3}", cell.name);
            }
        }
    }
    out
}

pub fn read_baseline(text: &str) -> Counts {
    let mut counts = Counts::new();
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let mut fields = line.split('\t');
        if let (Some(p), Some(c), Some(Ok(v))) =
            (fields.next(), fields.next(), fields.next().map(str::parse))
        {
            counts.entry(p.into()).or_default().insert(c.into(), v);
        }
    }
    counts
}

/// The gate: every gated cell of every profile in the baseline, against
/// `now`. A cell fails when it grew by more than 3 % or 2 instructions per
/// item, whichever is larger, or has no count. Returns the table and
/// whether every cell passed.
pub fn gate(baseline: &Counts, now: &Counts) -> (String, bool) {
    let mut table = String::from(
        "| profile | cell | baseline | now | change | |\n|---|---|---:|---:|---:|---|\n",
    );
    let mut pass = true;
    for (profile, cells) in baseline {
        for (cell, &base) in cells {
            let got = now.get(profile).and_then(|p| p.get(cell)).copied();
            let allowed = base + (base * 0.03).max(2.0);
            let verdict = match got {
                None => "MISSING",
                Some(v) if v > allowed => "SLOWER",
                Some(v) if v < base - (base * 0.03).max(2.0) => "faster: update the baseline",
                Some(_) => "ok",
            };
            pass &= matches!(verdict, "ok" | "faster: update the baseline");
            let (now_text, change) = match got {
                Some(v) => (
                    format!("{v:.2}"),
                    format!("{:+.1} %", (v / base - 1.0) * 100.0),
                ),
                None => ("-".into(), "-".into()),
            };
            let _ = writeln!(
                table,
                "| {profile} | {cell} | {base:.2} | {now_text} | {change} | {verdict} |"
            );
        }
    }
    (table, pass)
}

/// What `BENCHMARKS.md` and the README show of one cell.
pub struct Row<'a> {
    pub cell: &'a Cell,
    /// (allocations, bytes) per generator, from a run of their own.
    pub allocs: Option<(f64, f64)>,
}

/// The table of a set of cells: instructions per item in each profile with
/// the ratio to the hand-written cell, nanoseconds per item, allocations.
pub fn table(
    rows: &[Row],
    profiles: &[&str],
    counts: &Counts,
    times: &BTreeMap<String, f64>,
) -> String {
    let mut out = String::from("| workload | implementation |");
    for p in profiles {
        let label = match *p {
            "bench" => "default release",
            "release-lto" => "codegen-units = 1, fat LTO",
            other => other,
        };
        let _ = write!(out, " Ir/item, {label} | × hand |");
    }
    out.push_str(" ns/item | × hand | allocs | bytes |\n|---|---|");
    out.push_str(&"---:|---:|".repeat(profiles.len()));
    out.push_str("---:|---:|---:|---:|\n");
    for row in rows {
        let (workload, imp) = row
            .cell
            .name
            .split_once('/')
            .unwrap_or((&row.cell.name, ""));
        let _ = write!(out, "| {workload} | {imp} |");
        for p in profiles {
            let values = counts.get(*p);
            let v = values.and_then(|m| m.get(&row.cell.name)).copied();
            let hand = values.and_then(|m| m.get(&row.cell.hand)).copied();
            let _ = write!(out, " {} | {} |", num(v), ratio(v, hand));
        }
        let t = times.get(&row.cell.name).copied();
        let (allocs, bytes) = row.allocs.unzip();
        let _ = writeln!(
            out,
            " {} | {} | {} | {} |",
            num(t),
            ratio(t, times.get(&row.cell.hand).copied()),
            num(allocs),
            num(bytes)
        );
    }
    out
}

fn num(v: Option<f64>) -> String {
    match v {
        Some(v) if v >= 100.0 || v.fract() == 0.0 => format!("{v:.0}"),
        Some(v) => format!("{v:.2}"),
        None => "-".into(),
    }
}

fn ratio(v: Option<f64>, hand: Option<f64>) -> String {
    match (v, hand) {
        (Some(v), Some(h)) if h > 0.0 => format!("{:.2}×", v / h),
        _ => "-".into(),
    }
}

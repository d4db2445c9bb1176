//! `pygen-bench`: the benchmarks' report, gate and allocation counts.
//!
//! ```text
//! pygen-bench gate BASELINE PROFILE=JSON...   exit 1 when a pygen cell got slower
//! pygen-bench baseline PROFILE=JSON...        a new baseline, on stdout
//! pygen-bench allocs                          allocations per generator, on stdout
//! pygen-bench markdown [--time DIVAN]... [--allocs TSV] [--build-cost MD] [--machine TEXT]...
//!                      PROFILE=JSON...        writes BENCHMARKS.md
//!                                             (profile `nightly`: rustc's coroutines)
//! ```
//!
//! `JSON` is what `cargo bench --bench instructions -- --output-format=json`
//! printed (gungraun), `DIVAN` what `cargo bench --bench time` printed;
//! `scripts/bench.sh` runs them all, `scripts/bench_gate.sh` is CI's gate.

mod counting;
mod report;

use std::collections::BTreeMap;
use std::process::ExitCode;

use report::{Cell, Counts, Row};

/// Allocation counts only: no cell whose speed is reported runs with it
/// (a counting allocator changes what LLVM makes of the loops it measures).
#[global_allocator]
static ALLOCATOR: counting::Counting = counting::Counting;

/// The profiles, as `cargo bench --profile` names them.
const PROFILES: [&str; 2] = ["bench", "release-lto"];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.split_first() {
        Some((cmd, rest)) if cmd == "gate" => gate(rest),
        Some((cmd, rest)) if cmd == "baseline" => {
            counts(rest).map(|c| print!("{}", report::baseline_tsv(&c, &cells())))
        }
        Some((cmd, _)) if cmd == "allocs" => {
            allocs();
            Ok(())
        }
        Some((cmd, rest)) if cmd == "markdown" => markdown(rest),
        _ => Err("usage: see the top of bench/src/main.rs".into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("pygen-bench: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Both crates' cells: the side-by-side workloads, then the user-style ones.
fn cells() -> Vec<Cell> {
    use pygen_bench::{COROUTINE_WORKLOADS, Impl, Workload};
    let side = Workload::ALL.into_iter().flat_map(|w| {
        let built = move |i: Impl| i.cell(w).is_some();
        let nightly = move |i: Impl| i == Impl::Coroutine && COROUTINE_WORKLOADS.contains(&w);
        Impl::ALL
            .into_iter()
            .filter(move |&i| built(i) || nightly(i))
            .map(move |i| Cell {
                name: format!("{}/{}", w.key(), i.key()),
                group: "side_by_side",
                n: w.n(),
                generators: w.generators(w.n()),
                hand: format!("{}/hand", w.key()),
                gated: matches!(i, Impl::Pinned | Impl::Movable),
            })
    });
    let user = pygen_user_bench::cells::CELLS.iter().map(|c| {
        let hand = match c.workload {
            w if w.starts_with("tree") => format!("{w}/hand"),
            w if w.starts_with("async") => "async/hand".into(),
            _ => "depth0/hand".into(),
        };
        let tree = c.workload.starts_with("tree");
        Cell {
            name: c.name(),
            group: "user",
            n: c.n,
            generators: if tree { c.n } else { 1 },
            hand,
            gated: c.imp == "pygen",
        }
    });
    side.chain(user).collect()
}

/// `PROFILE=FILE` arguments read into counts; every cell must have one.
fn counts(args: &[String]) -> Result<Counts, String> {
    let cells = cells();
    let mut counts = Counts::new();
    for arg in args {
        let (profile, path) = arg
            .split_once('=')
            .ok_or(format!("not PROFILE=FILE: {arg}"))?;
        let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
        report::read_gungraun(&text, profile, &cells, &mut counts);
        let got = counts.get(profile).map_or(0, BTreeMap::len);
        let stable = cells
            .iter()
            .filter(|c| !c.name.ends_with("/coroutine"))
            .count();
        if PROFILES.contains(&profile) && got < stable {
            return Err(format!("{path}: {got} of {stable} cells have a count"));
        }
    }
    Ok(counts)
}

fn gate(args: &[String]) -> Result<(), String> {
    let (baseline, rest) = args.split_first().ok_or("gate BASELINE PROFILE=FILE...")?;
    let text = std::fs::read_to_string(baseline).map_err(|e| format!("{baseline}: {e}"))?;
    let (table, pass) = report::gate(&report::read_baseline(&text), &counts(rest)?);
    println!("{table}");
    if pass {
        println!("benchmark gate: no pygen cell got slower than {baseline} allows");
        return Ok(());
    }
    Err(format!(
        "a pygen cell is slower than {baseline} allows (3 % or 2 instructions per item): \
         make it fast again, or update the baseline in the same commit and say why \
         (scripts/bench_gate.sh --update)"
    ))
}

/// Allocations and bytes per generator of every cell, each from a run of
/// its own under the counting allocator.
fn allocs() {
    for cell in cells() {
        let (a0, b0, a1, b1);
        if let Some(c) = pygen_user_bench::cells::Cell::find(&cell.name) {
            let input = c.prepared();
            (a0, b0) = counting::snapshot();
            std::hint::black_box(c.run(&input));
            (a1, b1) = counting::snapshot();
        } else if pygen_bench::find(&cell.name).is_some() {
            let prepared = pygen_bench::Prepared::new(&cell.name);
            (a0, b0) = counting::snapshot();
            std::hint::black_box(prepared.run());
            (a1, b1) = counting::snapshot();
        } else {
            // rustc's coroutines: built by a nightly toolchain only.
            continue;
        }
        let per = cell.generators.max(1) as f64;
        println!(
            "{}\t{}\t{}",
            cell.name,
            (a1 - a0) as f64 / per,
            (b1 - b0) as f64 / per
        );
    }
}

fn markdown(args: &[String]) -> Result<(), String> {
    let cells = cells();
    let (mut times, mut allocs, mut machine, mut json) =
        (BTreeMap::new(), BTreeMap::new(), vec![], vec![]);
    let mut build_cost = String::from("(not measured in this run)\n");
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = || args.next().cloned().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--time" => report::read_divan(&read(&value()?)?, &cells, &mut times),
            "--allocs" => {
                for line in read(&value()?)?.lines() {
                    let f: Vec<&str> = line.split('\t').collect();
                    if let [name, a, b] = f[..] {
                        allocs.insert(
                            name.to_string(),
                            (a.parse().unwrap_or(0.0), b.parse().unwrap_or(0.0)),
                        );
                    }
                }
            }
            "--machine" => machine.push(value()?),
            "--build-cost" => build_cost = read(&value()?)?,
            _ => json.push(arg.clone()),
        }
    }
    let mut counts = counts(&json)?;
    // rustc's coroutines, from a nightly build of the default profile: only
    // their own cells (the nightly build's pygen cells are not the stable
    // ones the tables report).
    if let Some(nightly) = counts.remove("nightly") {
        let coroutines = nightly
            .into_iter()
            .filter(|(name, _)| name.ends_with("/coroutine"));
        counts
            .entry(PROFILES[0].into())
            .or_default()
            .extend(coroutines);
    }
    let rows = |group: &str| -> Vec<Row> {
        let of = cells.iter().filter(|c| c.group == group);
        of.map(|cell| Row {
            cell,
            allocs: allocs.get(&cell.name).copied(),
        })
        .collect()
    };
    let user = report::table(&rows("user"), &PROFILES, &counts, &times);
    let side = report::table(&rows("side_by_side"), &PROFILES, &counts, &times);
    let template = read("bench/BENCHMARKS.template.md")?;
    let page = template
        .replace(
            "{machine}",
            &machine
                .iter()
                .map(|m| format!("- {m}\n"))
                .collect::<String>(),
        )
        .replace("{user}", &user)
        .replace("{side_by_side}", &side)
        .replace("{build_cost}", &build_cost);
    std::fs::write("BENCHMARKS.md", page).map_err(|e| format!("BENCHMARKS.md: {e}"))
}

fn read(path: &str) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))
}

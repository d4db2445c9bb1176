//! `pygen-bench run`: the timed rounds, the allocation and size columns,
//! and the outputs (a TSV for merging runs, `BENCHMARKS.md`, the SVG chart).

use std::collections::HashMap;
use std::fmt::Write as _;
use std::hint::black_box;
use std::time::Instant;

use crate::{Impl, Workload, counting, data, measured};

struct Options {
    rounds: usize,
    sample_ms: f64,
    tsv: Option<String>,
    merge: Vec<String>,
    callgrind: Vec<String>,
    markdown: Option<String>,
    svg: Option<String>,
    build: String,
    toolchain: String,
    command: String,
    /// What pygen source was measured (`scripts/bench.sh` asks git).
    revision: Option<String>,
    /// Unix time at which the whole reproduction started (`scripts/bench.sh`).
    started: Option<u64>,
}

fn options(args: &[String]) -> Result<Options, String> {
    let mut o = Options {
        rounds: 31,
        sample_ms: 5.0,
        tsv: None,
        merge: Vec::new(),
        callgrind: Vec::new(),
        markdown: None,
        svg: None,
        build: if cfg!(feature = "nightly") {
            "nightly".into()
        } else {
            "stable".into()
        },
        toolchain: "unknown rustc".into(),
        command: "scripts/bench.sh".into(),
        revision: None,
        started: None,
    };
    let mut args = args.iter();
    while let Some(flag) = args.next() {
        let mut value = || {
            args.next()
                .cloned()
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        match flag.as_str() {
            "--rounds" => o.rounds = value()?.parse().map_err(|_| "bad --rounds")?,
            "--sample-ms" => o.sample_ms = value()?.parse().map_err(|_| "bad --sample-ms")?,
            "--tsv" => o.tsv = Some(value()?),
            "--merge" => o.merge.push(value()?),
            "--callgrind" => o.callgrind.push(value()?),
            "--markdown" => o.markdown = Some(value()?),
            "--svg" => o.svg = Some(value()?),
            "--build" => o.build = value()?,
            "--toolchain" => o.toolchain = value()?,
            "--command" => o.command = value()?,
            "--revision" => o.revision = Some(value()?),
            "--started" => o.started = Some(value()?.parse().map_err(|_| "bad --started")?),
            other => return Err(format!("unknown option {other}")),
        }
    }
    if o.rounds < 3 {
        return Err("--rounds must be at least 3".into());
    }
    Ok(o)
}

/// The results of one cell.
#[derive(Clone)]
struct Row {
    build: String,
    workload: Workload,
    imp: Impl,
    /// Median ns per item over the rounds.
    ns: f64,
    /// Median over rounds of (this ns / hand-written ns in the same round).
    ratio: f64,
    allocs: f64,
    bytes: f64,
    size: usize,
    body: Option<usize>,
    /// ns per item of every round, in round order (this process only).
    per_round: Vec<f64>,
}

pub fn run(args: &[String]) -> Result<(), String> {
    let o = options(args)?;
    let mut rows = measure(&o)?;
    let mut toolchains = vec![(o.build.clone(), o.toolchain.clone())];
    for file in &o.merge {
        let (toolchain, merged) = read_tsv(file)?;
        if let Some(t) = toolchain {
            toolchains.push((merged.first().map_or("?".into(), |r| r.build.clone()), t));
        }
        rows.extend(merged);
    }
    let mut instructions = HashMap::new();
    for file in &o.callgrind {
        read_callgrind(file, &mut instructions)?;
    }
    print_summary(&rows, &o.build, &instructions);
    if let Some(path) = &o.tsv {
        write(path, &tsv(&rows, &o))?;
    }
    if let Some(path) = &o.svg {
        write(path, &svg(&rows, &o.build))?;
    }
    if let Some(path) = &o.markdown {
        let svg_link = o.svg.as_deref().unwrap_or("bench/ratios.svg");
        write(
            path,
            &markdown(&rows, &instructions, &o, &toolchains, svg_link),
        )?;
    }
    Ok(())
}

fn write(path: &str, text: &str) -> Result<(), String> {
    if let Some(dir) = std::path::Path::new(path).parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("{path}: {e}"))?;
    eprintln!("wrote {path}");
    Ok(())
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n == 0 {
        f64::NAN
    } else if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

/// Checks, counts and times every cell of this binary.
fn measure(o: &Options) -> Result<Vec<Row>, String> {
    struct Live {
        workload: Workload,
        imp: Impl,
        run: crate::Run,
        reps: u32,
        row: Row,
    }
    let mut cells = Vec::new();
    let datas: HashMap<&str, Vec<u64>> = Workload::ALL
        .iter()
        .map(|w| (w.key(), data(w.n())))
        .collect();
    for workload in Workload::ALL {
        let n = workload.n();
        let data = &datas[workload.key()];
        for imp in Impl::ALL {
            let Some(cell) = imp.cell(workload) else {
                continue;
            };
            // Correct first; warm up (lazy thread-locals, allocator arenas).
            let got = (cell.run)(n, data);
            let expected = workload.expected(n, data);
            if got != expected {
                return Err(format!(
                    "{} {}: checksum {got}, expected {expected}",
                    workload.key(),
                    imp.key()
                ));
            }
            let (a0, b0) = counting::snapshot();
            black_box((cell.run)(n, data));
            let (a1, b1) = counting::snapshot();
            let generators = workload.generators(n) as f64;
            // Calibrate: one sample lasts about `sample_ms`.
            let start = Instant::now();
            black_box(measured(cell.run, n, data, 1));
            let once = start.elapsed().as_secs_f64() * 1e3;
            let reps = (o.sample_ms / once.max(1e-6)).ceil().clamp(1.0, 1e6) as u32;
            cells.push(Live {
                workload,
                imp,
                run: cell.run,
                reps,
                row: Row {
                    build: o.build.clone(),
                    workload,
                    imp,
                    ns: f64::NAN,
                    ratio: f64::NAN,
                    allocs: (a1 - a0) as f64 / generators,
                    bytes: (b1 - b0) as f64 / generators,
                    size: (cell.size)(),
                    body: cell.body.map(|f| f()),
                    per_round: Vec::with_capacity(o.rounds),
                },
            });
        }
    }
    eprintln!(
        "{} cells, {} rounds of ~{} ms each per cell",
        cells.len(),
        o.rounds,
        o.sample_ms
    );
    // Interleaved rounds: every round times every cell once, and the order
    // of the implementations rotates from round to round.
    for round in 0..o.rounds {
        for workload in Workload::ALL {
            let n = workload.n();
            let data = &datas[workload.key()];
            let mine: Vec<usize> = (0..cells.len())
                .filter(|&i| cells[i].workload == workload)
                .collect();
            for k in 0..mine.len() {
                let live = &mut cells[mine[(k + round) % mine.len()]];
                let start = Instant::now();
                black_box(measured(live.run, n, data, live.reps));
                let ns = start.elapsed().as_secs_f64() * 1e9;
                live.row.per_round.push(ns / (live.reps as f64 * n as f64));
            }
        }
        eprint!("\rround {}/{}", round + 1, o.rounds);
    }
    eprintln!();
    let hand: HashMap<&str, Vec<f64>> = cells
        .iter()
        .filter(|c| c.imp == Impl::Hand)
        .map(|c| (c.workload.key(), c.row.per_round.clone()))
        .collect();
    Ok(cells
        .into_iter()
        .map(|mut c| {
            let base = &hand[c.workload.key()];
            let mut ratios: Vec<f64> = c
                .row
                .per_round
                .iter()
                .zip(base)
                .map(|(t, h)| t / h)
                .collect();
            c.row.ratio = median(&mut ratios);
            c.row.ns = median(&mut c.row.per_round.clone());
            c.row
        })
        .collect())
}

/// Median over rounds of `a`'s time over `b`'s, both from one process.
fn relative(rows: &[Row], build: &str, w: Workload, a: Impl, b: Impl) -> Option<f64> {
    let find = |i: Impl| {
        rows.iter()
            .find(|r| r.build == build && r.workload == w && r.imp == i && !r.per_round.is_empty())
    };
    let (a, b) = (find(a)?, find(b)?);
    let mut ratios: Vec<f64> = a
        .per_round
        .iter()
        .zip(&b.per_round)
        .map(|(x, y)| x / y)
        .collect();
    Some(median(&mut ratios))
}

fn print_summary(rows: &[Row], build: &str, instructions: &HashMap<(String, String, String), f64>) {
    println!(
        "{:<8} {:<2} {:<18} {:>9} {:>8} {:>9} {:>7} {:>7}",
        "build", "w", "implementation", "ns/item", "x hand", "Ir/item", "allocs", "size"
    );
    for r in rows.iter().filter(|r| r.build == build) {
        let ir = instructions
            .get(&(r.build.clone(), r.workload.key().into(), r.imp.key().into()))
            .map_or("-".into(), |v| format!("{v:.2}"));
        println!(
            "{:<8} {:<2} {:<18} {:>9.3} {:>8.2} {:>9} {:>7.2} {:>7}",
            r.build,
            r.workload.key(),
            r.imp.key(),
            r.ns,
            r.ratio,
            ir,
            r.allocs,
            r.size
        );
    }
}

fn tsv(rows: &[Row], o: &Options) -> String {
    let mut out = format!("#toolchain\t{}\n", o.toolchain);
    for r in rows.iter().filter(|r| r.build == o.build) {
        let rounds: Vec<String> = r.per_round.iter().map(|x| format!("{x:.6}")).collect();
        writeln!(
            out,
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
            r.build,
            r.workload.key(),
            r.imp.key(),
            r.ns,
            r.ratio,
            r.allocs,
            r.bytes,
            r.size,
            r.body.map_or("-".into(), |b| b.to_string()),
            rounds.join(",")
        )
        .unwrap();
    }
    out
}

fn read_tsv(path: &str) -> Result<(Option<String>, Vec<Row>), String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let mut toolchain = None;
    let mut rows = Vec::new();
    for line in text.lines() {
        if let Some(t) = line.strip_prefix("#toolchain\t") {
            toolchain = Some(t.to_string());
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        let bad = || format!("{path}: bad line {line:?}");
        if f.len() != 10 {
            return Err(bad());
        }
        let num = |s: &str| s.parse::<f64>().map_err(|_| bad());
        rows.push(Row {
            build: f[0].into(),
            workload: Workload::parse(f[1]).ok_or_else(bad)?,
            imp: Impl::parse(f[2]).ok_or_else(bad)?,
            ns: num(f[3])?,
            ratio: num(f[4])?,
            allocs: num(f[5])?,
            bytes: num(f[6])?,
            size: f[7].parse().map_err(|_| bad())?,
            body: f[8].parse().ok(),
            per_round: f[9]
                .split(',')
                .filter(|s| !s.is_empty())
                .map(num)
                .collect::<Result<_, _>>()?,
        });
    }
    Ok((toolchain, rows))
}

/// `BUILD WORKLOAD IMPL IR_PER_ITEM` lines from `scripts/callgrind.sh`.
fn read_callgrind(
    path: &str,
    into: &mut HashMap<(String, String, String), f64>,
) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let f: Vec<&str> = line.split_whitespace().collect();
        let [build, w, i, ir] = f[..] else {
            return Err(format!("{path}: bad line {line:?}"));
        };
        let ir = ir
            .parse()
            .map_err(|_| format!("{path}: bad line {line:?}"))?;
        into.insert((build.into(), w.into(), i.into()), ir);
    }
    Ok(())
}

/// The rows of the main table: this build's, plus the coroutine rows of
/// other builds (rustc's coroutines exist only in a nightly build).
fn main_rows<'a>(rows: &'a [Row], build: &str) -> Vec<&'a Row> {
    let mut out = Vec::new();
    for w in Workload::ALL {
        for i in Impl::ALL {
            let mine = rows
                .iter()
                .find(|r| r.build == build && r.workload == w && r.imp == i);
            let other = || rows.iter().find(|r| r.workload == w && r.imp == i);
            if let Some(r) = mine.or_else(|| (i == Impl::Coroutine).then(other).flatten()) {
                out.push(r);
            }
        }
    }
    out
}

fn machine(toolchains: &[(String, String)]) -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let field = |name: &str| {
        cpuinfo
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split(':').nth(1))
            .map_or("unknown".to_string(), |v| v.trim().to_string())
    };
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease")
        .map_or("unknown".into(), |s| s.trim().to_string());
    let os = std::fs::read_to_string("/etc/os-release")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("PRETTY_NAME="))
                .map(|v| v.trim_matches('"').to_string())
        })
        .unwrap_or_else(|| "unknown".into());
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("MemTotal:"))
                .and_then(|v| v.split_whitespace().next()?.parse::<f64>().ok())
        })
        .map_or("unknown".into(), |kb| format!("{:.1} GiB", kb / 1048576.0));
    let mut out = String::new();
    writeln!(
        out,
        "- CPU: {} ({} logical CPUs available to the process, {} MHz reported, cache {})",
        field("model name"),
        cpus,
        field("cpu MHz"),
        field("cache size")
    )
    .unwrap();
    writeln!(out, "- Memory: {mem}; OS: {os}, Linux {kernel}").unwrap();
    for (build, toolchain) in toolchains {
        if toolchain.contains("release profile") {
            writeln!(
                out,
                "- `{build}` build: {toolchain} (`opt-level = 3`, no LTO)"
            )
            .unwrap();
        } else {
            writeln!(
                out,
                "- `{build}` build: {toolchain}, release profile (`opt-level = 3`, no LTO)"
            )
            .unwrap();
        }
    }
    out.push_str(
        "- A shared virtual machine: timings move by several percent from run to run; the \
         instruction counts do not.\n",
    );
    out
}

fn fmt_ratio(x: f64) -> String {
    if x.is_nan() {
        "-".into()
    } else if x >= 10.0 {
        format!("{x:.1}×")
    } else {
        format!("{x:.2}×")
    }
}

fn markdown(
    rows: &[Row],
    instructions: &HashMap<(String, String, String), f64>,
    o: &Options,
    toolchains: &[(String, String)],
    svg: &str,
) -> String {
    let ir = |r: &Row| {
        instructions
            .get(&(r.build.clone(), r.workload.key().into(), r.imp.key().into()))
            .copied()
    };
    let hand_ir = |r: &Row| {
        instructions
            .get(&(r.build.clone(), r.workload.key().into(), "hand".into()))
            .copied()
    };
    let mut md = String::new();
    md.push_str("# Benchmarks\n\n");
    md.push_str(
        "pygen side by side with a hand-written iterator (the physical limit), \
         [genawaiter] 0.99, [async-stream] 0.3 and rustc's own nightly coroutines, on the \
         same workloads, in one process. Written by `pygen-bench` (the `bench/` crate); \
         do not edit by hand.\n\n\
         [genawaiter]: https://crates.io/crates/genawaiter\n\
         [async-stream]: https://crates.io/crates/async-stream\n\n",
    );
    md.push_str("## Reproduce\n\n```sh\n");
    writeln!(md, "{}", o.command).unwrap();
    md.push_str("```\n\n");
    if let Some(started) = o.started {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let secs = now.saturating_sub(started);
        writeln!(
            md,
            "The run that wrote this file took {} min {:02} s on the machine below, builds \
             included.\n",
            secs / 60,
            secs % 60
        )
        .unwrap();
    }
    md.push_str(
        "It builds `pygen-bench` in release mode with the stable toolchain, once more with \
         `codegen-units = 1` (`target/cgu1`) and, when `cargo +nightly` is installed, once \
         more with `--features nightly` (the coroutine row); runs every cell of each once under \
         `valgrind --tool=callgrind` (`scripts/callgrind.sh`, which collects only inside \
         `pygen_bench::measured`, i.e. one call of N items after a warm-up); then times each \
         binary in its own process and writes this file and the chart. Single steps:\n\n\
         ```sh\n\
         cargo build --release -p pygen-bench\n\
         target/release/pygen-bench run                        # timings only, printed\n\
         target/release/pygen-bench one C pinned 100000        # one cell, as callgrind runs it\n\
         scripts/callgrind.sh target/release/pygen-bench stable C pinned\n\
         CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1 cargo build --release -p pygen-bench --target-dir target/cgu1\n\
         cargo +nightly build --release -p pygen-bench --features nightly --target-dir target/nightly\n\
         ```\n\n",
    );
    md.push_str("## Machine\n\n");
    if let Some(revision) = &o.revision {
        writeln!(md, "- pygen measured: {revision}").unwrap();
    }
    md.push_str(&machine(toolchains));
    md.push('\n');
    md.push_str("## Results\n\n");
    writeln!(
        md,
        "Median over {} interleaved rounds (each round times every cell once, for about \
         {} ms, rotating the order of the implementations). **× hand** is the median of the \
         per-round ratios to the hand-written cell of the same round and process. \
         **Ir/item** is instructions per item counted by callgrind in the same binary; \
         **× hand (Ir)** its ratio. **allocs** and **bytes** are heap allocations and bytes \
         per generator (per outermost generator; D creates one per item), counted by the \
         global allocator. **size** is `size_of` of what the consumer holds (for genawaiter \
         stack, the `Shelf` plus the `Gen`; for handles that box their state, only the \
         handle); for pygen, **body** is `size_of` of the body future alone. Rows marked † \
         come from the nightly build's process, and their ratios are to the hand-written \
         cell in that process.\n",
        o.rounds, o.sample_ms
    )
    .unwrap();
    for w in Workload::ALL {
        writeln!(md, "### {} (N = {} per call)\n", w.title(), w.n()).unwrap();
        md.push_str("| implementation | ns/item | × hand | Ir/item | × hand (Ir) | allocs | bytes | size | body |\n");
        md.push_str("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for r in main_rows(rows, &o.build)
            .into_iter()
            .filter(|r| r.workload == w)
        {
            let mark = if r.build != o.build { " †" } else { "" };
            let (irv, irr) = match (ir(r), hand_ir(r)) {
                (Some(v), Some(h)) => (format!("{v:.2}"), fmt_ratio(v / h)),
                (Some(v), None) => (format!("{v:.2}"), "-".into()),
                _ => ("-".into(), "-".into()),
            };
            writeln!(
                md,
                "| {}{} | {:.3} | {} | {} | {} | {} | {} | {} | {} |",
                r.imp.title(),
                mark,
                r.ns,
                fmt_ratio(r.ratio),
                irv,
                irr,
                trim(r.allocs),
                trim(r.bytes),
                r.size,
                r.body.map_or("-".into(), |b| b.to_string())
            )
            .unwrap();
        }
        md.push('\n');
    }
    writeln!(
        md,
        "![time per item relative to hand-written, log scale]({svg})\n"
    )
    .unwrap();
    md.push_str(&targets(rows, instructions, &o.build));
    md.push_str(&bounds());
    md.push_str(&missing_cells());
    let others: Vec<&String> = {
        let mut b: Vec<&String> = rows
            .iter()
            .map(|r| &r.build)
            .filter(|b| **b != o.build)
            .collect();
        b.dedup();
        b
    };
    for other in others {
        md.push_str(&other_build_heading(other));
        md.push_str("| workload | implementation | ns/item | × hand | Ir/item | × hand (Ir) |\n|---|---|---:|---:|---:|---:|\n");
        for r in rows.iter().filter(|r| &r.build == other) {
            let (irv, irr) = match (ir(r), hand_ir(r)) {
                (Some(v), Some(h)) => (format!("{v:.2}"), fmt_ratio(v / h)),
                _ => ("-".into(), "-".into()),
            };
            writeln!(
                md,
                "| {} | {} | {:.3} | {} | {} | {} |",
                r.workload.key(),
                r.imp.title(),
                r.ns,
                fmt_ratio(r.ratio),
                irv,
                irr
            )
            .unwrap();
        }
        md.push('\n');
    }
    md
}

/// The heading and introduction of the section for a build other than the
/// main one.
fn other_build_heading(build: &str) -> String {
    if build == "cgu1" {
        return "## The same workloads with `codegen-units = 1`\n\n\
                Every row of the `cgu1` binary (the stable toolchain, the crate compiled as one \
                codegen unit, as release profiles tuned for speed often are), timed in its own \
                process (ratios are to its own hand-written cells). With the default 16 units, \
                each consumer's unit gets its own copy of a generator's body, called from that \
                consumer only, and LLVM inlines the last caller of a local function whatever \
                its size. In one unit every body is shared by all its consumers and is inlined \
                only if it is small enough. `range`, `doubler` and `borrowing` are: the pinned \
                form stays at hand-written speed on A, B, D and E. The three delegation levels \
                of C together are not (each level is a call, as in the other crates); `Gen` \
                calls the body in B (its `start` and `send` make two callers) and in A and E \
                inlines it but keeps the body's state in memory. The other crates move too: \
                async-stream's A, D and E bodies are inlined here and not in the default \
                build.\n\n"
            .into();
    }
    format!(
        "## The same workloads built by the `{build}` toolchain\n\n\
         Every row of the `{build}` binary, timed in its own process (ratios are to its own \
         hand-written cells): pygen next to rustc's coroutines under one compiler.\n\n"
    )
}

fn trim(x: f64) -> String {
    if x == x.round() {
        format!("{x:.0}")
    } else {
        format!("{x:.2}")
    }
}

/// What keeps the targets that do not hold from holding, and how to see it.
fn bounds() -> String {
    "## What bounds the rest\n\n\
     Read the hot loops with `objdump -d -C target/release/pygen-bench` (the consumers are \
     `pygen_bench::pygen_impl::{pinned,movable}::{a_sum,b_send,c_delegate,d_create,e_borrow}`) \
     and see where the instructions go with `callgrind_annotate` on a \
     `valgrind --tool=callgrind --toggle-collect='*pygen_bench::measured*'` run of \
     `pygen-bench one W IMPL`.\n\n\
     - **C, both forms**: delegation is direct (see `generator-core/src/direct.rs`): the \
     outermost body keeps a stack of the active flat delegations, and a `next()` calls the \
     innermost level through a function pointer (`Flat::next_frame`, which takes the input \
     and returns the output by value) before anything else, so the levels are never inlined \
     into the consumer's loop. That costs 50 to 62 instructions per item whatever the depth \
     and whatever the build (`scripts/user_bench.sh` measures depths 1 to 16 in a crate \
     written as a user writes one, in both profiles). Where they go, read off callgrind at \
     depth 1 in that crate: about 35 on the driver's side (the handle's, the driver's and \
     the stack's state checked, the call, the check that the output is a yield) and about \
     27 in the frame's `next` (the delegate's `async` block resumed behind the pointer: its \
     state dispatched, its yield's own state, the input dispatched). The same stack by hand, \
     boxed `dyn Iterator` levels of which the top one is resumed through its vtable \
     (`hand-dyn` in that crate), costs 20 to 21; rustc's nightly coroutines pay about 21 per \
     re-yielding level (C: 63 for three levels). A boxed recursion costs about 600 per level \
     entered and left: the allocation and its free (about 135), moving the unstarted body \
     into its box (about 60), the frame's `next` and the delegating body's poll through the \
     box's vtable, the level's own body.\n\
     - **`Gen` on A and E**: the body's poll is inlined into the loop, but its state stays \
     in the generator's box, loaded and stored on every item (22 and 23 instructions; 25 \
     and 26 with `codegen-units = 1`). An earlier default build read 5 and 6: LLVM had kept that state in \
     registers, in the codegen-unit split rustc happened to make then; unrelated changes to \
     the engine undid it, and the `codegen-units = 1` build never had it.\n\
     - **`Gen` on D, time**: the loop runs 9 instructions per generator: LLVM removes the \
     allocation and its free (and with them the counting allocator's bookkeeping, so the \
     allocs column reads 0), but not the call to `__rust_no_alloc_shim_is_unstable_v2` that \
     rustc puts before every allocation, an empty function in another object that LLVM \
     cannot see into. That call sets the time.\n\
     - **F**: the stream is polled through `Stream::poll_next` from the consumer's `async` \
     block, which `block_on` polls; the generator's body and the consumer's state both live \
     in memory across each item, and `poll_next` (the body's poll inlined in it) stays a \
     call from the consumer: forcing it inline made LLVM keep more state in memory, not less.\n\n"
        .into()
}

fn missing_cells() -> String {
    "## Cells left empty, and how C is written\n\n\
     - **async-stream on B**: a `Stream` cannot receive a value at its yield.\n\
     - **nightly coroutines on F**: `async gen` blocks are a separate unstable feature; \
     the coroutine row is for the synchronous workloads.\n\
     - **C without `yield from`** (genawaiter, async-stream, coroutines): each level is a \
     loop that re-yields what the next level yields, which is what a user of those crates \
     writes. pygen's `yield_from!` of a fresh pygen generator runs flat and direct.\n\
     - **F** awaits nothing but its yields in every implementation; pygen's row is an \
     `async fn` generator (`AsyncGen`, and `PinnedAsyncGen` for the pinned row) consumed as a \
     `Stream`.\n\n"
        .into()
}

/// The performance targets, checked against the main table's numbers.
fn targets(
    rows: &[Row],
    instructions: &HashMap<(String, String, String), f64>,
    build: &str,
) -> String {
    let get = |w: Workload, i: Impl| {
        main_rows(rows, build)
            .into_iter()
            .find(|r| r.workload == w && r.imp == i)
    };
    let ir = |w: Workload, i: Impl| {
        let r = get(w, i)?;
        instructions
            .get(&(r.build.clone(), w.key().into(), i.key().into()))
            .copied()
    };
    let ir_ratio = |w: Workload, a: Impl, b: Impl| Some(ir(w, a)? / ir(w, b)?);
    let verdict = |time: Option<f64>, irr: Option<f64>, limit: f64| -> &'static str {
        match (time, irr) {
            (Some(t), Some(i)) if t <= limit && i <= limit => "yes",
            (Some(t), None) if t <= limit => "yes (time)",
            (Some(t), Some(i)) if t <= limit || i <= limit => "partly",
            (None, _) => "n/a",
            _ => "no",
        }
    };
    let mut out = String::from(
        "## Targets\n\n\
         Checked in both units: time (median of per-round ratios) and instructions. \
         \"partly\" means one of the two holds.\n\n\
         | target | workload | time | instructions | holds |\n|---|---|---:|---:|---|\n",
    );
    let mut line = |target: String, w: &str, t: Option<f64>, i: Option<f64>, limit: f64| {
        writeln!(
            out,
            "| {target} | {w} | {} | {} | {} |",
            t.map_or("-".into(), fmt_ratio),
            i.map_or("-".into(), fmt_ratio),
            verdict(t, i, limit)
        )
        .unwrap();
    };
    for (w, limit) in [
        (Workload::A, 1.2),
        (Workload::B, 1.2),
        (Workload::D, 1.2),
        (Workload::E, 2.5),
        (Workload::C, 4.0),
    ] {
        let t = get(w, Impl::Pinned).map(|r| r.ratio);
        let i = ir_ratio(w, Impl::Pinned, Impl::Hand);
        line(
            format!("pinned ≤ {limit}× hand-written"),
            w.key(),
            t,
            i,
            limit,
        );
    }
    for w in [
        Workload::A,
        Workload::B,
        Workload::C,
        Workload::D,
        Workload::E,
    ] {
        // Across processes only the ratios to hand-written compare.
        let t = match (get(w, Impl::Pinned), get(w, Impl::Coroutine)) {
            (Some(p), Some(c)) => Some(p.ratio / c.ratio),
            _ => None,
        };
        let i = ir_ratio(w, Impl::Pinned, Impl::Hand)
            .zip(ir_ratio(w, Impl::Coroutine, Impl::Hand))
            .map(|(p, c)| p / c);
        // "At least as good", within the 3% that separates two equal loops.
        line(
            "pinned ≤ nightly coroutine (ratio of ratios, 3% slack)".into(),
            w.key(),
            t,
            i,
            1.03,
        );
    }
    for w in [
        Workload::A,
        Workload::B,
        Workload::C,
        Workload::E,
        Workload::D,
    ] {
        let t = relative(rows, build, w, Impl::Movable, Impl::Pinned);
        let i = ir_ratio(w, Impl::Movable, Impl::Pinned);
        let note = if w == Workload::D {
            " (D: per generator, includes its one allocation)"
        } else {
            ""
        };
        line(format!("`Gen` ≤ 1.15× pinned{note}"), w.key(), t, i, 1.15);
    }
    for imp in [Impl::Pinned, Impl::Movable] {
        for w in Workload::ALL {
            let mut best_t: Option<f64> = None;
            let mut best_i: Option<f64> = None;
            for other in [Impl::GenawaiterStack, Impl::GenawaiterRc, Impl::AsyncStream] {
                if let Some(r) = relative(rows, build, w, other, imp) {
                    best_t = Some(best_t.map_or(r, |b: f64| b.min(r)));
                }
                if let Some(r) = ir_ratio(w, other, imp) {
                    best_i = Some(best_i.map_or(r, |b: f64| b.min(r)));
                }
            }
            let limit = if w == Workload::F { 3.0 } else { 4.0 };
            // Here the ratio is "how many times faster", so invert for the verdict.
            writeln!(
                out,
                "| {} ≥ {limit}× faster than the best of genawaiter/async-stream | {} | {} | {} | {} |",
                imp.title(),
                w.key(),
                best_t.map_or("-".into(), |x| format!("{x:.1}× faster")),
                best_i.map_or("-".into(), |x| format!("{x:.1}× fewer")),
                match (best_t, best_i) {
                    (None, _) => "n/a",
                    (Some(t), Some(i)) if t >= limit && i >= limit => "yes",
                    (Some(t), None) if t >= limit => "yes (time)",
                    (Some(t), Some(i)) if t >= limit || i >= limit => "partly",
                    _ => "no",
                }
            )
            .unwrap();
        }
    }
    for w in [
        Workload::A,
        Workload::B,
        Workload::C,
        Workload::D,
        Workload::E,
    ] {
        if let Some(r) = get(w, Impl::Movable) {
            writeln!(
                out,
                "| `Gen`: one allocation per started generator (none when LLVM removes it) | {} | {} allocs | | {} |",
                w.key(),
                trim(r.allocs),
                if r.allocs <= 1.0 { "yes" } else { "no" }
            )
            .unwrap();
        }
    }
    let unstarted = crate::pygen_impl::unstarted_allocations();
    writeln!(
        out,
        "| `Gen`: no allocation for an unstarted generator | - | {unstarted} allocs | | {} |",
        if unstarted == 0 { "yes" } else { "no" }
    )
    .unwrap();
    for w in [Workload::A, Workload::B, Workload::C, Workload::E] {
        if let Some(r) = get(w, Impl::Pinned) {
            let body = r.body.unwrap_or(0);
            writeln!(
                out,
                "| pinned `size_of` ≤ body + 2 words | {} | {} = body {} + {} | | {} |",
                w.key(),
                r.size,
                body,
                r.size as i64 - body as i64,
                if r.size <= body + 2 * size_of::<usize>() {
                    "yes"
                } else {
                    "no"
                }
            )
            .unwrap();
        }
    }
    out.push('\n');
    out
}

/// A grouped bar chart of the ratios to hand-written, log scale.
fn svg(rows: &[Row], build: &str) -> String {
    let shown: Vec<Impl> = Impl::ALL
        .into_iter()
        .filter(|&i| i != Impl::Hand)
        .filter(|&i| main_rows(rows, build).iter().any(|r| r.imp == i))
        .collect();
    let colors = |i: Impl| match i {
        Impl::Pinned => "#1b7837",
        Impl::Movable => "#7fbf7b",
        Impl::GenawaiterStack => "#c2a5cf",
        Impl::GenawaiterRc => "#762a83",
        Impl::AsyncStream => "#e08214",
        Impl::Coroutine => "#4393c3",
        Impl::Hand => "#000000",
    };
    let max = main_rows(rows, build)
        .iter()
        .map(|r| r.ratio)
        .filter(|x| x.is_finite())
        .fold(2.0f64, f64::max);
    let top = max.log2().ceil().max(1.0) as i32; // 2^top at the top
    let bottom = -1; // 0.5×
    let (w, h) = (960.0, 440.0);
    let (left, right, up, down) = (60.0, 20.0, 50.0, 70.0);
    let plot_h = h - up - down;
    let y = |ratio: f64| {
        let l = ratio.max(0.5).log2();
        up + plot_h * (1.0 - (l - bottom as f64) / (top - bottom) as f64)
    };
    let group_w = (w - left - right) / Workload::ALL.len() as f64;
    let bar_w = (group_w * 0.8) / shown.len() as f64;
    let mut s = String::new();
    writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="sans-serif" font-size="12">"#
    )
    .unwrap();
    writeln!(s, r#"<rect width="{w}" height="{h}" fill="white"/>"#).unwrap();
    writeln!(
        s,
        r#"<text x="{}" y="22" text-anchor="middle" font-size="15">Time per item relative to a hand-written iterator (median of per-round ratios; log scale; lower is better)</text>"#,
        w / 2.0
    )
    .unwrap();
    for e in bottom..=top {
        let ratio = 2f64.powi(e);
        let yy = y(ratio);
        let (stroke, width) = if e == 0 { ("#000", 1.5) } else { ("#ddd", 1.0) };
        writeln!(
            s,
            r#"<line x1="{left}" x2="{}" y1="{yy:.1}" y2="{yy:.1}" stroke="{stroke}" stroke-width="{width}"/><text x="{}" y="{:.1}" text-anchor="end">{}×</text>"#,
            w - right,
            left - 6.0,
            yy + 4.0,
            if ratio < 1.0 { "0.5".into() } else { format!("{ratio}") }
        )
        .unwrap();
    }
    for (g, wl) in Workload::ALL.into_iter().enumerate() {
        let x0 = left + g as f64 * group_w + group_w * 0.1;
        for (k, &imp) in shown.iter().enumerate() {
            let Some(r) = main_rows(rows, build)
                .into_iter()
                .find(|r| r.workload == wl && r.imp == imp)
            else {
                continue;
            };
            let x = x0 + k as f64 * bar_w;
            let (y1, y0) = (y(r.ratio), y(1.0));
            let (ya, hh) = if y1 < y0 {
                (y1, y0 - y1)
            } else {
                (y0, y1 - y0)
            };
            writeln!(
                s,
                r#"<rect x="{x:.1}" y="{ya:.1}" width="{:.1}" height="{:.1}" fill="{}"><title>{} {}: {:.2}×</title></rect>"#,
                bar_w - 1.0,
                hh.max(1.0),
                colors(imp),
                wl.key(),
                imp.title(),
                r.ratio
            )
            .unwrap();
            writeln!(
                s,
                r#"<text x="{:.1}" y="{:.1}" text-anchor="middle" font-size="9">{}</text>"#,
                x + bar_w / 2.0,
                ya - 3.0,
                if r.ratio >= 10.0 {
                    format!("{:.0}", r.ratio)
                } else {
                    format!("{:.1}", r.ratio)
                }
            )
            .unwrap();
        }
        writeln!(
            s,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="middle" font-size="14">{}</text>"#,
            left + (g as f64 + 0.5) * group_w,
            h - down + 18.0,
            wl.key()
        )
        .unwrap();
    }
    let mut lx = left;
    for &imp in &shown {
        let ly = h - 22.0;
        writeln!(
            s,
            r#"<rect x="{lx:.1}" y="{:.1}" width="12" height="12" fill="{}"/><text x="{:.1}" y="{ly:.1}">{}</text>"#,
            ly - 10.0,
            colors(imp),
            lx + 16.0,
            imp.title().replace('`', "")
        )
        .unwrap();
        lx += 20.0 + 7.5 * imp.title().len() as f64;
    }
    s.push_str("</svg>\n");
    s
}

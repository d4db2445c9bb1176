#!/usr/bin/env python3
"""What generators cost to build: code size and rebuild time, pygen against
async-stream, for the crate shape of the build-cost issue.

Writes two crates under target/build-cost/ (one with N generators written
with `#[generator]`, one with the same bodies in async-stream's `stream!`),
each with one consumer function per generator and a `main` that calls them
all, and a copy of each with no generator at all (the baseline). Each
generator is a loop with two yields, a `match` and a local borrowed across
the yields; one in ten also delegates to the one before it. For each crate
and each profile (debug, release) it reports:

  text/gen   the `.text` of the binary (`size -A`), minus the baseline's,
             per generator: deterministic for a given toolchain;
  rebuild s  the seconds of `cargo build` after the generators' file is
             touched (dependencies already built), the fastest of three:
             incremental (cargo's default), and with CARGO_INCREMENTAL=0,
             which compiles the whole crate again.

Usage: scripts/build_cost.py [--n 100] [--markdown]
       scripts/build_cost.py --gate     (as CI runs it: `.text` only, n = 100)
       scripts/build_cost.py --update   (write the baseline; commit it, saying why)

The gate compares pygen's `.text` per generator, in each profile, with
bench/build_cost_baseline.tsv and fails when it grew by more than 3 %: the
code a generator costs is guarded like its instructions per item
(scripts/bench_gate.sh). async-stream's figures are printed beside it, not
gated (its version is whatever 0.3 crates.io has).
The crates depend on this checkout's pygen by path and on async-stream 0.3
and futures 0.3 from crates.io; their target directory is
target/build-cost/target, so the dependencies are built once.
"""

import argparse
import os
import pathlib
import re
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "target" / "build-cost"


def pygen_generator(i):
    delegate = (
        f"    total += yield_from!(g{i - 1}(data.clone()));\n" if i % 10 == 0 and i > 0 else ""
    )
    return f"""
#[generator(yield = u64)]
pub fn g{i}(data: Vec<u64>) -> u64 {{
    let mut total = 0;
    for (k, x) in data.iter().enumerate() {{
        let seen = &data[..k];
        match x % 3 {{
            0 => yield_!(*x),
            1 => yield_!(x + {i}),
            _ => total += x,
        }}
        yield_!(total + seen.len() as u64);
    }}
{delegate}    total
}}

pub fn drain{i}() -> u64 {{
    g{i}(std::hint::black_box(vec![1, 2, 3, 4])).sum()
}}
"""


def stream_generator(i):
    delegate = (
        f"""        let inner = g{i - 1}(data.clone());
        futures::pin_mut!(inner);
        while let Some(v) = inner.next().await {{
            yield v;
        }}
"""
        if i % 10 == 0 and i > 0
        else ""
    )
    return f"""
pub fn g{i}(data: Vec<u64>) -> impl Stream<Item = u64> {{
    stream! {{
        let mut total = 0;
        for (k, x) in data.iter().enumerate() {{
            let seen = &data[..k];
            match x % 3 {{
                0 => yield *x,
                1 => yield x + {i},
                _ => total += x,
            }}
            yield total + seen.len() as u64;
        }}
{delegate}    }}
}}

pub fn drain{i}() -> u64 {{
    futures::executor::block_on(async {{
        let s = g{i}(std::hint::black_box(vec![1, 2, 3, 4]));
        futures::pin_mut!(s);
        let mut sum = 0;
        while let Some(v) = s.next().await {{
            sum += v;
        }}
        sum
    }})
}}
"""


KINDS = {
    "pygen": {
        "deps": f'pygen = {{ path = "{ROOT}" }}\n',
        "prelude": "use pygen::{generator, yield_, yield_from};\n",
        "generator": pygen_generator,
    },
    "async-stream": {
        "deps": 'async-stream = "0.3"\nfutures = "0.3"\n',
        "prelude": "use async_stream::stream;\nuse futures::{Stream, StreamExt};\n",
        "generator": stream_generator,
    },
}


def write_crate(kind, n):
    spec = KINDS[kind]
    crate = OUT / f"{kind}-{n}"
    (crate / "src").mkdir(parents=True, exist_ok=True)
    name = f"cost-{kind}-{n}"
    (crate / "Cargo.toml").write_text(
        f'[package]\nname = "{name}"\nversion = "0.0.0"\nedition = "2021"\npublish = false\n\n'
        f"[dependencies]\n{spec['deps']}\n[workspace]\n"
    )
    gens = "#![allow(unused_imports)]\n" + spec["prelude"]
    gens += "".join(spec["generator"](i) for i in range(n))
    (crate / "src" / "gens.rs").write_text(gens)
    calls = "".join(f"    sum += std::hint::black_box(gens::drain{i}());\n" for i in range(n))
    (crate / "src" / "main.rs").write_text(
        "mod gens;\n\nfn main() {\n    #[allow(unused_mut)]\n    let mut sum = 0u64;\n"
        f"{calls}    println!(\"{{sum}}\");\n}}\n"
    )
    return crate, name


def cargo_build(crate, release, incremental=True):
    args = ["cargo", "build", "--quiet", "--manifest-path", str(crate / "Cargo.toml")]
    if release:
        args.append("--release")
    env = dict(os.environ, CARGO_TARGET_DIR=str(OUT / "target"))
    if not incremental:
        # A target directory of its own: the flag is part of what cargo
        # fingerprints, and switching it would rebuild the dependencies.
        env.update(CARGO_INCREMENTAL="0", CARGO_TARGET_DIR=str(OUT / "target-noincr"))
    start = time.monotonic()
    subprocess.run(args, check=True, env=env)
    return time.monotonic() - start


def text_size(name, release):
    binary = OUT / "target" / ("release" if release else "debug") / name
    out = subprocess.run(["size", "-A", str(binary)], check=True, capture_output=True, text=True)
    for line in out.stdout.splitlines():
        fields = line.split()
        if fields and fields[0] == ".text":
            return int(fields[1])
    raise RuntimeError(f"no .text in {binary}")


def measure(kind, n, release, timed=True):
    base, base_name = write_crate(kind, 0)
    crate, name = write_crate(kind, n)
    cargo_build(base, release)
    cargo_build(crate, release)
    seconds = None
    if timed:
        # The fastest of three: a slower one measures the machine.
        seconds = []
        for incremental in (True, False):
            cargo_build(crate, release, incremental)
            runs = []
            for _ in range(3):
                (crate / "src" / "gens.rs").touch()
                runs.append(cargo_build(crate, release, incremental))
            seconds.append(min(runs))
    per_gen = (text_size(name, release) - text_size(base_name, release)) / n
    return per_gen, seconds


BASELINE = ROOT / "bench" / "build_cost_baseline.tsv"
TOLERANCE = 1.03


def gate(update):
    """Measures `.text` per generator (n = 100) and checks pygen's against
    the baseline, or writes it."""
    sizes = {}
    for release in (False, True):
        profile = "release" if release else "debug"
        for kind in KINDS:
            sizes[(profile, kind)] = measure(kind, 100, release, timed=False)[0]
    if update:
        lines = ["profile\timplementation\ttext_per_generator"]
        lines += [f"{p}\t{k}\t{v:.0f}" for (p, k), v in sizes.items() if k == "pygen"]
        BASELINE.write_text("\n".join(lines) + "\n")
        print(f"wrote {BASELINE.relative_to(ROOT)}")
        return 0
    baseline = {}
    for line in BASELINE.read_text().splitlines()[1:]:
        profile, kind, value = line.split("\t")
        baseline[(profile, kind)] = float(value)
    failed = False
    print("profile  implementation  .text/gen  baseline  x async-stream")
    for (profile, kind), value in sizes.items():
        ratio = value / sizes[(profile, "async-stream")]
        base = baseline.get((profile, kind))
        verdict = ""
        if base is not None and value > base * TOLERANCE:
            verdict = f"  FAIL: grew {100 * (value / base - 1):.1f} % over the baseline"
            failed = True
        shown = f"{base:9.0f}" if base is not None else "        -"
        print(f"{profile:8} {kind:15} {value:9.0f} {shown}  {ratio:13.2f}{verdict}")
    if failed:
        print(
            "build-cost gate: pygen's code per generator grew; shrink it, or run "
            "scripts/build_cost.py --update and say why in the commit",
            file=sys.stderr,
        )
        return 1
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100)
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("--gate", action="store_true", help="check .text against the baseline")
    parser.add_argument("--update", action="store_true", help="write the .text baseline")
    args = parser.parse_args()
    if args.gate or args.update:
        return gate(args.update)
    rows = []
    for release in (False, True):
        profile = "release" if release else "debug"
        for kind in KINDS:
            per_gen, (inc, full) = measure(kind, args.n, release)
            rows.append((profile, kind, per_gen, inc, full))
            print(
                f"{profile:8} {kind:13} {per_gen:9.0f} B/gen {inc:6.2f} s incremental "
                f"{full:6.2f} s whole crate",
                file=sys.stderr,
            )
    if args.markdown:
        print(
            f"| profile | implementation | `.text` per generator | × async-stream "
            f"| rebuild of {args.n}, incremental, s | × async-stream "
            f"| rebuild, `CARGO_INCREMENTAL=0`, s | × async-stream |"
        )
        print("|---|---|---:|---:|---:|---:|---:|---:|")
        for profile, kind, per_gen, inc, full in rows:
            ref = next(r for r in rows if r[0] == profile and r[1] == "async-stream")
            print(
                f"| {profile} | {kind} | {per_gen:,.0f} B | {per_gen / ref[2]:.2f}× "
                f"| {inc:.2f} | {inc / ref[3]:.2f}× | {full:.2f} | {full / ref[4]:.2f}× |"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())

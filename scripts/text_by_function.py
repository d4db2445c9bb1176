#!/usr/bin/env python3
"""Where a binary's code goes, by function: the `.text` symbols of BINARY
(`nm -S --size-sort -C`), generic arguments stripped, generator names
(`gens::g17`) and consumers (`drain17`) folded into one, summed; the
largest first, with how many instances each has.

Usage: scripts/text_by_function.py BINARY [TOP]
For the build-cost crates of scripts/build_cost.py:
  scripts/text_by_function.py target/build-cost/target/debug/cost-pygen-100 40
A function with 100 instances in a crate of 100 generators is code that
each generator pays for.
"""

import collections
import re
import subprocess
import sys


def normalize(name):
    for _ in range(12):
        stripped = re.sub(r"<[^<>]*>", "<>", name)
        if stripped == name:
            break
        name = stripped
    name = re.sub(r"cost_[\w]+::gens::g\d+", "G", name)
    return re.sub(r"drain\d+", "drainN", name)


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 40
    out = subprocess.run(
        ["nm", "-S", "--size-sort", "-C", sys.argv[1]], check=True, capture_output=True, text=True
    ).stdout
    sizes, counts = collections.Counter(), collections.Counter()
    for line in out.splitlines():
        fields = line.split(None, 3)
        if len(fields) < 4 or fields[2] not in "tTwW":
            continue
        name = normalize(fields[3].strip())
        sizes[name] += int(fields[1], 16)
        counts[name] += 1
    print(f"total {sum(sizes.values())} B of function code")
    for name, size in sizes.most_common(top):
        print(f"{size:9} {counts[name]:5}  {name[:160]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

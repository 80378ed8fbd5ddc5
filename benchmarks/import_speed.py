"""How long loading a large Epoch export takes, here and (optionally) at another revision.

    python -m benchmarks.import_speed [--rows 100000] [--against REV] [--repeat 3]

Times `build_dataset` (the bundled catalogue plus a generated Epoch-format file) in a fresh
Python process each time, alternating between this checkout and REV (checked out with
`git worktree` into a temporary folder), and prints the median and peak memory of each."""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.datasets import generated_csv
from tests.support import REPO

MEASURE = """
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
from scalemap.dataset.build import build_dataset
started = time.perf_counter()
dataset = build_dataset(epoch_paths=[sys.argv[2]])
print(json.dumps({"seconds": time.perf_counter() - started, "models": len(dataset.frame),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def measure(tree: Path, csv: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", MEASURE, str(tree), str(csv)], cwd=tree,
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--against", help="a git revision to time too")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    csv = generated_csv(args.rows)
    trees = {"this checkout": REPO}
    with tempfile.TemporaryDirectory() as folder:
        if args.against:
            other = Path(folder) / "other"
            subprocess.run(["git", "worktree", "add", "--detach", str(other), args.against],
                           cwd=REPO, check=True, capture_output=True)
            trees[args.against] = other
        try:
            runs = {name: [] for name in trees}
            for _ in range(args.repeat):
                for name, tree in trees.items():   # alternating: a busy spell hits both
                    runs[name].append(measure(tree, csv))
        finally:
            if args.against:
                subprocess.run(["git", "worktree", "remove", "--force", str(trees[args.against])],
                               cwd=REPO, check=False, capture_output=True)
    print(f"build_dataset: bundled catalogue + {args.rows:,} generated Epoch rows")
    medians = {}
    for name, results in runs.items():
        medians[name] = statistics.median(r["seconds"] for r in results)
        each = ", ".join(f"{r['seconds']:.1f}" for r in results)
        print(f"  {name:>16}: {medians[name]:6.1f} s median of {len(results)} ({each}), "
              f"peak {max(r['peak_mb'] for r in results):,.0f} MB, {results[0]['models']:,} models")
    if args.against:
        print(f"  {args.against} / this checkout: {medians[args.against] / medians['this checkout']:.1f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Run the property tests (tests/property) for longer than CI does.

    python tools/property_tests.py --minutes 30 [--examples 100] [--seed S]

Round after round until the time is up, each round with a fresh seed (or
``--seed`` for the first), runs every property test's ``*_random_seed``
variant with the ``long`` hypothesis profile (``--examples`` per test), then
prints what was run — operations, refusals, merges, conflicts, mutated files
— and every failing round with its seed.  Repeat a failure with
``WORKREPORT_PROPERTY_PROFILE=long WORKREPORT_PROPERTY_SEED=<seed>
python -m pytest tests/property -k random_seed``.  Exits 1 if any round failed.
A round that has started is finished, so a run can end up to one round late.
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--examples", type=int, default=100, help="examples per test and round")
    parser.add_argument("--seed", type=int, help="the first round's seed (later rounds: random)")
    args = parser.parse_args(argv)
    deadline = time.monotonic() + args.minutes * 60
    started = time.monotonic()
    totals: collections.Counter = collections.Counter()
    failures: list[tuple[int, str]] = []
    rounds = 0
    rng = random.SystemRandom()
    with tempfile.TemporaryDirectory() as folder:
        stats = Path(folder) / "stats.jsonl"
        while time.monotonic() < deadline:
            seed = args.seed if (rounds == 0 and args.seed is not None) else rng.randrange(2**32)
            env = dict(os.environ, WORKREPORT_PROPERTY_PROFILE="long", WORKREPORT_PROPERTY_SEED=str(seed),
                       WORKREPORT_PROPERTY_EXAMPLES=str(args.examples), WORKREPORT_PROPERTY_STATS=str(stats),
                       PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
            round_started = time.monotonic()
            proc = subprocess.run(
                [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/property", "-k", "random_seed"],
                cwd=ROOT, env=env, capture_output=True, text=True)
            rounds += 1
            summary = (proc.stdout.strip().splitlines() or ["?"])[-1]
            print(f"round {rounds}: seed {seed}: {summary} ({time.monotonic() - round_started:.0f} s)", flush=True)
            if proc.returncode != 0:
                failures.append((seed, proc.stdout[-6000:]))
                print(proc.stdout[-6000:], flush=True)
        if stats.exists():
            for line in stats.read_text(encoding="utf-8").splitlines():
                totals.update(json.loads(line))
    elapsed = time.monotonic() - started
    print()
    print(f"{rounds} rounds in {elapsed / 60:.1f} min, {len(failures)} failed")
    print(f"engine: {totals['programs']} random programs, {totals['operations']} operations applied, "
          f"{totals['refused']} refused (each followed by undo/redo and the checks)")
    print(f"merges: {totals['merges_applied']} applied (with {totals['conflicts']} conflicts resolved, "
          f"{totals['changes']} changes), {totals['merges_unresolved']} left unresolved, "
          f"{totals['merges_refused']} refused")
    print(f"imports: {totals['files']} mutated files, {totals['files_imported']} imported, "
          f"{totals['files_refused']} refused by name")
    for seed, _ in failures:
        print(f"FAILED round, seed {seed}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

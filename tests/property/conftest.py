"""Hypothesis profiles for the property tests (docs/reliability.md, "Invariants").

* ``ci`` (the default): every property runs a fixed, derandomized set of
  examples (the same on every run), and its ``*_random_seed`` twin runs a few
  examples from :data:`SEED`, printed in the pytest header (tests/conftest.py) — set
  ``WORKREPORT_PROPERTY_SEED`` to repeat a run.  A few minutes in all.
* ``long`` (``tools/property_tests.py --minutes N``): many examples per test,
  a fresh seed per round; what was run is added up in
  ``WORKREPORT_PROPERTY_STATS`` (a JSON-lines file) for the figures.

No example database is written (``database=None``): a failure prints the
seed and the falsifying example, which is what is needed to reproduce it.
"""
from __future__ import annotations

import json
import os
import random

from hypothesis import HealthCheck, settings

PROFILE = os.environ.get("WORKREPORT_PROPERTY_PROFILE", "ci")
SEED = int(os.environ.get("WORKREPORT_PROPERTY_SEED") or random.SystemRandom().randrange(2**32))
LONG_EXAMPLES = int(os.environ.get("WORKREPORT_PROPERTY_EXAMPLES") or 200)

_COMMON = dict(deadline=None, database=None, print_blob=True,
               suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
settings.register_profile("ci", derandomize=True, **_COMMON)
settings.register_profile("long", derandomize=False, max_examples=LONG_EXAMPLES, **_COMMON)
settings.load_profile(PROFILE)


def budget(ci_examples: int, random_examples: int) -> tuple[settings, settings]:
    """(fixed, random) settings for one property: ``ci_examples`` derandomized
    examples plus ``random_examples`` from :data:`SEED`; in the long profile both are long."""
    if PROFILE == "long":
        return settings(), settings(derandomize=False)
    return settings(max_examples=ci_examples, derandomize=True), settings(max_examples=random_examples, derandomize=False)


def count(**figures: int) -> None:
    """Add figures (operations applied, merges, files…) to the stats file of a long run."""
    path = os.environ.get("WORKREPORT_PROPERTY_STATS")
    if path:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(figures) + "\n")


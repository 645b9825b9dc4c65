"""Shared pieces of the benchmarks: a throwaway database, timing, the summary line."""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


def setup_django() -> None:
    """A fresh SQLite database in a temporary folder, migrated, for this run only."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ["FLOORPLAN_VAR_DIR"] = tempfile.mkdtemp(prefix="floorplan-bench-")
    os.environ.update(DEBUG="0", SECURE_HTTPS="0", MANIFEST_STATIC="0")
    os.environ.pop("DATABASE_URL", None)
    # One JSON line per request would bury the figures (bench_load's server keeps its own).
    os.environ.setdefault("REQUEST_LOG", "0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")
    import warnings

    import django

    warnings.filterwarnings("ignore", message="No directory at")

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()  # lets the test client run against ALLOWED_HOSTS=testserver
    call_command("migrate", verbosity=0)


def median_seconds(action: Callable[[], object], *, repeat: int, warmup: int = 3) -> float:
    for _ in range(warmup):
        action()
    return statistics.median(_timed(action) for _ in range(repeat))


def _timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def paired_medians(
    first: Callable[[], object], second: Callable[[], object], *, repeat: int, warmup: int = 2
) -> tuple[float, float]:
    """Median seconds of each, measured alternately so machine noise falls on both alike."""
    for _ in range(warmup):
        first()
        second()
    a, b = [], []
    for _ in range(repeat):
        a.append(_timed(first))
        b.append(_timed(second))
    return statistics.median(a), statistics.median(b)


@dataclass(frozen=True)
class Result:
    name: str
    ratio: float
    limit: float
    lower_is_better: bool = True

    @property
    def ok(self) -> bool:
        return self.ratio <= self.limit if self.lower_is_better else self.ratio >= self.limit

    def line(self) -> str:
        verdict = "ok" if self.ok else "FAIL"
        return f"bench {self.name}: {self.ratio:.2f} (limit {self.limit:g}) {verdict}"

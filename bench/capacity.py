"""`python bench/capacity.py [N ...]`: the README's capacity figure, measured again.

The same production server and simulated clinic as bench_load.py (gunicorn, SQLite, 1,000
patients, 127.0.0.1 only), with N simulated staff for each N given (default 10 20 30 40
60), printing the p95 page time of each; the capacity is the number of staff at which it
passes one second. Not part of `make bench` (about a minute per N); run it on a machine
with nothing else busy.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import setup_django  # noqa: E402


def main(counts: list[int]) -> None:
    setup_django()
    from bench.bench_load import LOAD_SECONDS, WARMUP_SECONDS, WORKERS, clinic_server, locust_run

    with clinic_server(None) as (url, plan):
        locust_run(url, plan, users=WORKERS, admins=1, seconds=WARMUP_SECONDS)
        for staff in counts:
            admins = max(1, staff // 10)
            run = locust_run(url, plan, users=staff, admins=admins, seconds=LOAD_SECONDS)
            print(
                f"{staff + admins} staff ({staff} therapists, {admins} admins): page p95 "
                f"{run['p95']:.0f} ms, signing p95 {run['sign']:.0f} ms, "
                f"{run['pages']} pages, {run['failures']} failed",
                flush=True,
            )


if __name__ == "__main__":
    main([int(n) for n in sys.argv[1:]] or [10, 20, 30, 40, 60])

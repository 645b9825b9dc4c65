"""`make bench`: every benchmark, one summary line each; exit 1 if any fails."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import setup_django  # noqa: E402


def main() -> int:
    setup_django()
    from bench import (
        bench_audit,
        bench_clinic_scale,
        bench_home,
        bench_load,
        bench_login,
        bench_pdf,
    )

    results = []
    for module in (bench_clinic_scale, bench_home, bench_pdf, bench_login, bench_audit, bench_load):
        for result in module.run():
            print(result.line(), flush=True)
            results.append(result)
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())

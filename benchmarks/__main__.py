"""``python -m benchmarks [--only NAME …] [--cases N] [--sync-full]``: run the benchmarks and print one table.

Every row sets a figure beside a baseline measured in the same run, with their ratio and the target
the issue sets. The first run generates the 1,000,000-case search database (several minutes) and
keeps it in ``benchmarks/results/``.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import time

from benchmarks.table import Row, render

SUITES = ("startup", "storage", "ui_stall", "printing", "idcard", "face", "scan", "sync", "supervisor")
"""Benchmark modules ``benchmarks/bench_<name>.py``, each with ``run() -> list[Row]``."""


def main(argv: list[str] | None = None) -> int:
    """Run the chosen suites and print the table; exit 1 when a target is missed."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--only", nargs="*", choices=SUITES, help="run only these suites")
    parser.add_argument("--cases", type=int, default=1_000_000, help="cases in the search database")
    parser.add_argument(
        "--sync-full",
        action="store_true",
        help="sync: the issue's full sizes (drain 1,000 cases of ~1 MB; 50 KiB pages on the slow link)",
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    rows: list[Row] = []
    for name in args.only or SUITES:
        try:
            module = importlib.import_module(f"benchmarks.bench_{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"benchmarks.bench_{name}":
                raise
            print(f"[{name}] not available in this build", file=sys.stderr)
            continue
        print(f"[{name}] running …", file=sys.stderr, flush=True)
        start = time.perf_counter()
        kwargs: dict[str, object] = {"search_cases": args.cases} if name == "storage" else {}
        if name == "sync":
            kwargs = {"full": args.sync_full}
        rows += module.run(**kwargs)
        print(f"[{name}] {time.perf_counter() - start:.1f} s", file=sys.stderr, flush=True)
    print(render(rows))
    return 1 if any(r.ok is False for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())

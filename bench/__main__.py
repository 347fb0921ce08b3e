"""`make bench`: every benchmark of issue 14, each refreshing its section of bench/README.md.

`python -m bench [--only NAME …] [--n 100000] [--k 3] [--postgres URL]` runs, in this order,
the resident map (bench/map_view.py), the writes (50 concurrent writers against
floor_write.py), the exports and the moderation queue on SQLite. With `--postgres URL` (an
empty PostgreSQL database the benchmarks may fill) the writes, exports and queue run there
too, with 1,000,000 pins (`--postgres-n`), into their own `-postgres` sections.
"""

import argparse
import importlib
from collections.abc import Callable

BENCHES = ("map", "writes", "exports", "queue", "backends")
POSTGRES_BENCHES = ("writes", "exports", "queue")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--only", nargs="+", choices=BENCHES, help="run only these benchmarks")
    parser.add_argument("--n", type=int, default=100_000, help="pins on SQLite (default 100000)")
    parser.add_argument("--k", type=int, default=3, help="runs per figure; medians count")
    parser.add_argument("--postgres", metavar="URL", help="also run on this PostgreSQL database")
    parser.add_argument(
        "--postgres-n", type=int, default=1_000_000, help="pins on PostgreSQL (default 1000000)"
    )
    args = parser.parse_args(argv)
    chosen = args.only or BENCHES
    for name in chosen:
        run = _bench(name)
        if run is None:
            continue
        print(f"\n== {name} ==", flush=True)
        run(_arguments(name, args.n, args.k, None))
    if args.postgres:
        for name in POSTGRES_BENCHES:
            if name in chosen and (run := _bench(name)) is not None:
                print(f"\n== {name} on PostgreSQL ==", flush=True)
                run(_arguments(name, args.postgres_n, args.k, args.postgres))


def _bench(name: str) -> Callable[[list[str]], None] | None:
    """The `main` of bench/<module>.py; None (said so) when that benchmark is not here yet."""
    module = {"map": "bench.map_view"}.get(name, f"bench.{name}")
    try:
        return importlib.import_module(module).main
    except ModuleNotFoundError as missing:
        if missing.name != module:
            raise
        print(f"\n== {name} == skipped: {module} is not in this checkout")
        return None


def _arguments(name: str, n: int, k: int, database: str | None) -> list[str]:
    """The command line each benchmark takes: the map and the backends keep their defaults."""
    if name in ("map", "backends"):
        return []
    sized = [] if name == "writes" else ["--n", str(n)]
    return [*sized, "--k", str(k), *(["--database", database] if database else [])]


if __name__ == "__main__":
    main()

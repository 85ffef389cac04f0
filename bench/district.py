"""Build a synthetic district on PostgreSQL for the benchmarks (see bench/generator.py).

    .venv/bin/python bench/district.py build --students 100000 --database samepage_bench_100k
    .venv/bin/python bench/district.py build --students 1000 --database samepage_bench_1k --keep

``build`` creates the database (dropping one of that name first), migrates it, seeds the
demo district and copies its students up to ``--students``, then writes a manifest
(named users, key object ids, counts, timings) to ``var/bench/<database>.json``. With
``--keep``, a database already built by the same generator version at the same size is
kept (only migrated to the code's newest schema), so a rerun is quick; ``--rebuild``
always builds.
``manifest`` prints the manifest of a built database.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
MANIFESTS = ROOT / "var" / "bench"
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432"
# Bump when the generated data changes, so `make bench` rebuilds a kept district.
GENERATOR_VERSION = "2"


def manifest_path(database: str) -> Path:
    return MANIFESTS / f"{database}.json"


def read_manifest(database: str) -> dict[str, Any] | None:
    path = manifest_path(database)
    if not path.exists():
        return None
    return json.loads(path.read_text())  # type: ignore[no-any-return]


def _database_exists(server: str, database: str) -> bool:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        found = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database])
        return found.fetchone() is not None


def is_current(server: str, database: str, students: int) -> bool:
    """A database this generator version already built at this size."""
    manifest = read_manifest(database)
    return (
        manifest is not None
        and manifest.get("generator_version") == GENERATOR_VERSION
        and manifest.get("students") == students
        and manifest.get("complete") is True
        and _database_exists(server, database)
    )


def migrate_kept(server: str, database: str) -> None:
    """Bring a kept district up to the code's migrations (new tables start empty)."""
    os.environ["DATABASE_URL"] = f"{server}/{database}"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build(server: str, database: str, students: int) -> dict[str, Any]:
    """Drop, create, migrate and fill ``database``; return (and save) its manifest."""
    import psycopg

    if not database.startswith("samepage_bench_"):
        raise SystemExit("the benchmark's databases are named samepage_bench_*")
    os.environ["DATABASE_URL"] = f"{server}/{database}"
    manifest_path(database).unlink(missing_ok=True)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{database}"')
    started = time.monotonic()
    import django

    django.setup()
    from django.core.management import call_command

    from bench import generator

    call_command("migrate", verbosity=0)
    print(f"{database}: migrated ({time.monotonic() - started:.1f} s)", flush=True)
    manifest = generator.build(students, log=lambda line: print(line, flush=True))
    manifest.update(database=database, complete=True)
    manifest["total_seconds"] = round(time.monotonic() - started, 1)
    MANIFESTS.mkdir(parents=True, exist_ok=True)
    manifest_path(database).write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("build", help="build a district")
    make.add_argument("--students", type=int, required=True)
    make.add_argument("--database", required=True)
    make.add_argument("--server", default=DEFAULT_SERVER)
    make.add_argument(
        "--keep", action="store_true", help="keep a database already built at this size"
    )
    make.add_argument("--rebuild", action="store_true", help="build even if one is kept")
    show = commands.add_parser("manifest", help="print a built district's manifest")
    show.add_argument("--database", required=True)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    if args.command == "manifest":
        print(json.dumps(read_manifest(args.database), indent=2))
        return
    if args.keep and not args.rebuild and is_current(args.server, args.database, args.students):
        migrate_kept(args.server, args.database)
        print(f"{args.database}: kept ({args.students:,} students, same generator version)")
        return
    manifest = build(args.server, args.database, args.students)
    print(
        f"{args.database}: {manifest['students']:,} students in "
        f"{manifest['total_seconds']:.1f} s; manifest {manifest_path(args.database)}"
    )


if __name__ == "__main__":
    main()

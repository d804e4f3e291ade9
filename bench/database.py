"""Where a bench's Django runs: a SQLite file under var/bench/ or a scratch PostgreSQL database of
its own (never another bench's, never the tests'), created when missing and migrated.

    from bench.database import use_database
    use_database("postgres", "inpractice_workspace_bench", sqlite_name="workspace-1000")

`BENCH_DATABASE_URL` overrides the PostgreSQL address (e.g. a database on another machine).
Benches that need a *fresh* database each run (jobs, search, rush) drop and create their own.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_SERVER = "postgres://postgres@127.0.0.1:5432"


def ensure_pg_database(url: str) -> None:
    """Create the PostgreSQL database named in `url` if it does not exist yet."""
    import dj_database_url
    import psycopg

    cfg = dj_database_url.parse(url)
    with psycopg.connect(
        host=cfg["HOST"],
        port=cfg["PORT"] or 5432,
        user=cfg["USER"],
        password=cfg["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    ) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [cfg["NAME"]])
        if exists.fetchone() is None:
            conn.execute(f'CREATE DATABASE "{cfg["NAME"]}"')


def use_database(database: str, pg_name: str, sqlite_name: str) -> str:
    """Point Django at the bench's database, set it up and migrate it; returns its URL."""
    if database == "postgres":
        url = os.environ.get("BENCH_DATABASE_URL", f"{PG_SERVER}/{pg_name}")
        ensure_pg_database(url)
    else:
        path = ROOT / "var" / "bench" / f"{sqlite_name}.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{path}"
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inpractice.settings")
    # The benches request pages through Django's test client.
    os.environ["ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    return url

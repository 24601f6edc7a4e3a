"""The PostgreSQL test database of each test process, copied from a template that
is migrated once (see ``django_db_setup`` in tests/conftest.py)."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import inspect
import sys
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connections

ALIAS = "default"


def migrations_fingerprint() -> str:
    """A short hash of every migration on disk (names and source): a template
    migrated from other migrations is never used."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    digest = hashlib.sha256()
    for key in sorted(loader.disk_migrations):
        digest.update(repr(key).encode())
        module = inspect.getmodule(loader.disk_migrations[key])
        source = inspect.getsourcefile(module) if module else None
        if source:
            digest.update(Path(source).read_bytes())
    return digest.hexdigest()[:12]


def template_name(base: str, fingerprint: str) -> str:
    suffix = f"_tpl_{fingerprint}"
    return f"test_{base}"[: 63 - len(suffix)] + suffix


def _like_prefix(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%"


def _exists(cursor, name: str) -> bool:
    cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
    return cursor.fetchone() is not None


def _build_template(template: str, verbosity: int) -> None:
    """Migrate a new database and rename it to ``template`` once it is complete
    (a run stopped half-way leaves no half-migrated template behind)."""
    connection = connections[ALIAS]
    building = f"{template[:58]}_wip"
    saved_name = connection.settings_dict["NAME"]
    saved_test = dict(connection.settings_dict["TEST"])
    connection.settings_dict["TEST"]["NAME"] = building
    try:
        connection.creation.create_test_db(
            verbosity=verbosity, autoclobber=True, serialize=False, keepdb=False
        )
    finally:
        connection.close()
        connection.settings_dict["NAME"] = saved_name
        connection.settings_dict["TEST"] = saved_test
        settings.DATABASES[ALIAS]["NAME"] = saved_name
    with connection.creation._nodb_cursor() as cursor:
        cursor.execute(f'ALTER DATABASE "{building}" RENAME TO "{template}"')


def copy_postgresql_template(*, verbosity: int = 0, keepdb: bool = False) -> bool:
    """On PostgreSQL, create this process's test database as a copy of the migrated
    template (migrating the template first if no run has yet). Returns False on
    another database, which migrates as usual."""
    connection = connections[ALIAS]
    if connection.vendor != "postgresql":
        return False
    creation = connection.creation
    target = creation._get_test_db_name()
    base = connection.settings_dict["NAME"]
    template = template_name(base, migrations_fingerprint())
    lock_path = Path(tempfile.gettempdir()) / f"milieu-{template}.lock"
    with open(lock_path, "w") as lock:
        # One process migrates; the others wait for it and copy.
        fcntl.flock(lock, fcntl.LOCK_EX)
        with creation._nodb_cursor() as cursor:
            fresh = not _exists(cursor, template)
        if fresh:
            if verbosity:
                sys.stderr.write(f"Migrating the template database {template} ...\n")
            _build_template(template, verbosity)
        with creation._nodb_cursor() as cursor:
            if fresh:
                # Templates of older migrations are of no more use.
                cursor.execute(
                    "SELECT datname FROM pg_database WHERE datname LIKE %s"
                    " AND datname <> %s",
                    [_like_prefix(template.rsplit("_tpl_", 1)[0] + "_tpl_"), template],
                )
                for (old,) in cursor.fetchall():
                    with contextlib.suppress(DatabaseError):  # in use by a run
                        cursor.execute(f'DROP DATABASE IF EXISTS "{old}"')
            if keepdb and _exists(cursor, target):
                return True
            cursor.execute(f'DROP DATABASE IF EXISTS "{target}"')
            cursor.execute(f'CREATE DATABASE "{target}" TEMPLATE "{template}"')
    return True


# --- The demo agency, kept beside the tables ----------------------------------------

SNAPSHOT_SCHEMA = "milieu_demo_snapshot"


def _public_tables(cursor) -> list[str]:
    cursor.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
    )
    return [name for (name,) in cursor.fetchall()]


def snapshot_postgresql() -> None:
    """Copy every table of the test database (the demo just seeded) into a schema
    of its own, with the sequences' positions."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS {SNAPSHOT_SCHEMA} CASCADE")
        cursor.execute(f"CREATE SCHEMA {SNAPSHOT_SCHEMA}")
        for table in _public_tables(cursor):
            cursor.execute(
                f'CREATE TABLE {SNAPSHOT_SCHEMA}."{table}" AS TABLE public."{table}"'
            )
        cursor.execute(
            f"CREATE TABLE {SNAPSHOT_SCHEMA}.sequence_positions AS"
            " SELECT sequencename AS name, last_value FROM pg_sequences"
            " WHERE schemaname = 'public' AND last_value IS NOT NULL"
        )


def restore_postgresql_snapshot() -> None:
    """Put every table back as ``snapshot_postgresql`` found it, in one transaction
    (the foreign keys are checked at its commit), the sequences after the copied
    rows, and forget the content types this process cached: a flush since may have
    given them other ids."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        tables = _public_tables(cursor)
        quoted = ", ".join(f'public."{table}"' for table in tables)
        cursor.execute(f"TRUNCATE {quoted}")
        for table in tables:
            source = f'{SNAPSHOT_SCHEMA}."{table}"'
            cursor.execute(f'INSERT INTO public."{table}" SELECT * FROM {source}')
        cursor.execute(
            f"SELECT setval(quote_ident(name), last_value)"
            f" FROM {SNAPSHOT_SCHEMA}.sequence_positions"
        )
    ContentType.objects.clear_cache()

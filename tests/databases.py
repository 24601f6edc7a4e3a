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


# --- Copies of the tables, kept beside them ----------------------------------------

INITIAL_SCHEMA = "milieu_initial_snapshot"
# For the rest of the transaction, as in a replica: no trigger fires, neither the
# foreign keys' nor the audit records' refusal to be deleted (a superuser's right).
NO_TRIGGERS = "SET LOCAL session_replication_role = replica"
DEMO_SCHEMA = "milieu_demo_snapshot"


def _model_tables(cursor) -> list[str]:
    """The tables a flush empties (those of the models)."""
    from django.db import connection

    return sorted(
        connection.introspection.django_table_names(
            only_existing=True, include_views=False
        )
    )


def snapshot_postgresql(schema: str) -> None:
    """Copy the rows of every model table that has some into ``schema``."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        cursor.execute(f"CREATE SCHEMA {schema}")
        for table in _model_tables(cursor):
            cursor.execute(f'SELECT EXISTS (SELECT 1 FROM public."{table}")')
            if cursor.fetchone()[0]:
                cursor.execute(
                    f'CREATE TABLE {schema}."{table}" AS TABLE public."{table}"'
                )


def restore_postgresql_snapshot(schema: str) -> None:
    """Empty every model table (DELETE: see ``flush_with_delete``) and put back the
    rows ``snapshot_postgresql`` kept, in one transaction, then forget the content
    types this process cached: their ids are the kept ones again.
    The sequences are not moved back: they stay past every kept id."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        # No trigger fires: neither the records' refusal to be deleted (a flush
        # truncates them) nor the foreign keys (the rows put back are whole).
        cursor.execute(NO_TRIGGERS)
        for table in _model_tables(cursor):
            cursor.execute(f'DELETE FROM public."{table}"')
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = %s", [schema]
        )
        for (table,) in cursor.fetchall():
            source = f'{schema}."{table}"'
            cursor.execute(f'INSERT INTO public."{table}" SELECT * FROM {source}')
    ContentType.objects.clear_cache()


def restore_initial_data_with_sql() -> None:
    """On PostgreSQL, ``serialized_rollback`` puts the migrated database's rows
    (content types, permissions, groups, Wagtail's root page, ...) back with a few
    SQL statements from a copy made once per process, instead of saving a
    thousand deserialized objects one by one before each such test."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    serialized = hasattr(connection, "_test_serialized_contents")
    if not serialized or not postgresql_superuser():
        return
    snapshot_postgresql(INITIAL_SCHEMA)
    creation = connection.creation

    def deserialize_db_from_string(data: str) -> None:
        restore_postgresql_snapshot(INITIAL_SCHEMA)

    creation.deserialize_db_from_string = deserialize_db_from_string  # type: ignore[method-assign]


def flush_with_delete() -> None:
    """On PostgreSQL, the flush after each transactional test deletes the rows
    instead of truncating the tables: a test leaves a few rows in a hundred tables,
    and ``TRUNCATE`` of a hundred tables costs seconds (new files for every table
    and index), ``DELETE`` of a few rows next to nothing. No trigger fires (the
    tables are emptied whole, as TRUNCATE would). A flush that resets the sequences
    or cascades, or a database user who is not a superuser, gets Django's."""
    from django.db import connection

    if connection.vendor != "postgresql" or not postgresql_superuser():
        return
    operations = type(connection.ops)
    if getattr(operations, "_milieu_flush_with_delete", False):
        return
    truncate = operations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if not tables or reset_sequences or allow_cascade:
            return truncate(
                self,
                style,
                tables,
                reset_sequences=reset_sequences,
                allow_cascade=allow_cascade,
            )
        return [NO_TRIGGERS] + [
            f"DELETE FROM {self.quote_name(table)}" for table in tables
        ]

    operations.sql_flush = sql_flush  # type: ignore[method-assign]
    operations._milieu_flush_with_delete = True  # type: ignore[attr-defined]


def postgresql_superuser() -> bool:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        row = cursor.fetchone()
    return bool(row and row[0])

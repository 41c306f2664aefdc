"""The read-only handle every query command uses (search, find, show, targets, export, report).

The database is opened with ``mode=ro``: a query never writes, never takes the write lock and works
on read-only media. A database written by an older miner is brought up to date once, by the writer,
when its file can be written; otherwise the query stops with a message that says so.
"""
from __future__ import annotations

import os
import sqlite3
from typing import Any, Union
from urllib.parse import quote

from miner.database.schema import FULLTEXT_LAYOUT, SCHEMA_VERSION, StoreError, fts5_available

Database = Union[str, os.PathLike, sqlite3.Connection, Any]  # a path, a connection, or a Store


def _meta(conn: sqlite3.Connection, key: str):
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    except sqlite3.DatabaseError:
        return None
    return row[0] if row else None


def _connect_ro(path: str) -> sqlite3.Connection:
    conn = sqlite3.connect(f"file:{quote(os.path.abspath(path))}?mode=ro", uri=True, timeout=30)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA busy_timeout = 30000")
    return conn


def _outdated(conn: sqlite3.Connection) -> bool:
    version = _meta(conn, "schema_version")
    if version is None:
        raise StoreError("not a miner database (no schema version)")
    if version.isdigit() and int(version) > int(SCHEMA_VERSION):
        raise StoreError(f"schema version {version}, newer than this miner's {SCHEMA_VERSION}: upgrade the miner")
    if version != SCHEMA_VERSION:
        return True
    return fts5_available() and _meta(conn, "fulltext_layout") != FULLTEXT_LAYOUT


def open_readonly(path: Union[str, os.PathLike]) -> sqlite3.Connection:
    """A read-only connection (rows as ``sqlite3.Row``) to an up-to-date miner database.

    Raises FileNotFoundError when there is no file, StoreError when it is not a usable miner database.
    """
    path = os.fspath(path)
    if not os.path.isfile(path):
        raise FileNotFoundError(path)
    try:
        conn = _connect_ro(path)
        outdated = _outdated(conn)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: not a miner database ({exc})") from None
    except StoreError as exc:
        raise StoreError(f"{path}: {exc}") from None
    if not outdated:
        return conn
    conn.close()
    if not (os.access(path, os.W_OK) and os.access(os.path.dirname(os.path.abspath(path)), os.W_OK)):
        raise StoreError(f"{path}: written by an older miner and read-only here; open it once where it can be"
                         " written (any `miner extract … --db` on it) to bring it up to date")
    from miner.database.writer import Store

    Store(path).close()  # migrates under its own write transaction
    return _connect_ro(path)


def connection(db: Database) -> tuple[sqlite3.Connection, bool]:
    """(connection, owned) for a path, an open connection or a Store; close it when ``owned``."""
    if isinstance(db, sqlite3.Connection):
        return db, False
    conn = getattr(db, "conn", None)
    if isinstance(conn, sqlite3.Connection):
        return conn, False
    return open_readonly(db), True

"""Datasette plugin (entry point ``datasette: warta``): gives every Warta archive a
Datasette serves its descriptions, full-text search settings and facets, so plain
``datasette archive.db`` is usable without a metadata file. Other databases in the
same Datasette are left alone. Only Datasette imports this module."""

from __future__ import annotations

import logging
import sqlite3
from functools import lru_cache
from pathlib import Path
from typing import Any

from datasette import hookimpl

from archive.datasette import database_metadata, metadata_for

logger = logging.getLogger(__name__)


@lru_cache(maxsize=64)
def _is_warta_archive(path: str) -> bool:
    # Datasette asks for metadata on every page; look at each file once.
    try:
        conn = sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro", uri=True)
        try:
            names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            conn.close()
    except sqlite3.Error:
        return False
    return {"articles", "articles_fts", "warta_meta"} <= names


@hookimpl
def get_metadata(datasette: Any, key: str | None, database: str | None, table: str | None) -> dict[str, Any]:
    dbs = {name: database_metadata() for name, db in datasette.databases.items()
           if getattr(db, "path", None) and _is_warta_archive(str(db.path))}
    if not dbs:
        return {}
    meta = metadata_for("", None)
    meta["databases"] = dbs
    return meta

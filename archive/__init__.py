"""The SQLite archive. Only this package writes SQL: schema migrations, writes,
queries and exporters. Everyone else uses ``Archive``."""

import sys

if "sqlite_utils" not in sys.modules and "pandas" not in sys.modules:
    # sqlite-utils imports pandas whenever it is installed (seconds and ~90 MB at every
    # `warta` start), only to map pandas.Timestamp on inserts Warta never makes.
    # Hidden for that one import; Archive.to_pandas imports pandas normally.
    sys.modules["pandas"] = None  # type: ignore[assignment]
    try:
        import sqlite_utils  # noqa: F401
    finally:
        del sys.modules["pandas"]

from archive.core import Archive, ArchiveError, ArchiveWriteError  # noqa: E402

__all__ = ["Archive", "ArchiveError", "ArchiveWriteError"]

"""The SQLite archive. Only this package writes SQL: schema migrations, writes,
queries and exporters. Everyone else uses ``Archive``."""

from archive.core import Archive, ArchiveError, ArchiveWriteError

__all__ = ["Archive", "ArchiveError", "ArchiveWriteError"]

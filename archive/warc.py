"""WARC out of the archive's captures (``warta export-warc``): one gzip-compressed
``response`` record per stored HTTP response, readable by warcio, pywb and
wayback-style tools."""

from __future__ import annotations

import logging
from collections.abc import Callable
from http import HTTPStatus
from io import BytesIO
from typing import IO, Any

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archive.core import Archive

logger = logging.getLogger(__name__)

# Scrapy hands on bodies already decoded; keeping these would make a replay tool
# decode them a second time.
_DROP_HEADERS = {"content-encoding", "transfer-encoding", "content-length"}


def _status_line(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"{status} Unknown"


def export_warc(archive: Archive, fh: IO[bytes], *, site: str | None = None, run_id: int | None = None,
                filename: str = "warta.warc.gz", progress: Callable[[int], None] | None = None) -> int:
    """Write the captures as WARC 1.1; returns the number of response records."""
    from crawler import __version__

    writer = WARCWriter(fh, gzip=True, warc_version="1.1")
    writer.write_record(writer.create_warcinfo_record(filename, {
        "software": f"Warta {__version__}",
        "format": "WARC File Format 1.1",
        "description": f"captures of {archive.path.name}" + (f", site {site}" if site else "")
                       + (f", run {run_id}" if run_id is not None else ""),
    }))
    n = 0
    for cap in archive.iter_captures(site=site, run_id=run_id):
        writer.write_record(_record(writer, cap))
        n += 1
        if progress:
            progress(1)
    return n


def _record(writer: WARCWriter, cap: dict[str, Any]) -> Any:
    body: bytes = cap["body"]
    headers = [(k, v) for k, v in cap["headers"].items() if k.lower() not in _DROP_HEADERS]
    headers.append(("Content-Length", str(len(body))))
    http = StatusAndHeaders(_status_line(int(cap["status"])), headers, protocol="HTTP/1.1")
    warc_headers = {
        "WARC-Date": _warc_date(cap["fetched_at"]),
        # Where the record came from in the archive, so a citation can be traced back.
        "WARC-Warta-Capture-Id": str(cap["id"]),
        "WARC-Warta-Article": cap["canonical_url"],
        "WARC-Warta-Site": cap["site"],
        "WARC-Warta-Run-Id": str(cap["run_id"] or ""),
        "WARC-Warta-Page": str(cap["page"]),
    }
    return writer.create_warc_record(cap["url"], "response", payload=BytesIO(body), length=len(body),
                                     http_headers=http, warc_headers_dict=warc_headers)


def _warc_date(iso: str | None) -> str:
    # WARC-Date is UTC with a Z; captures store +00:00.
    return (iso or "").replace("+00:00", "Z")

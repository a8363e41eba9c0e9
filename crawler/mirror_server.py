"""A loopback server for offline mirrors of outlets: the demo, the tests, the bench.

Each folder under the mirror root is one outlet, served on its own 127.0.0.1 port
(robots.txt is per origin). Serving rules (also in crawler/mirror/README.md):
exact file, then ``.html``, then ``index.html``/``index.xml``; the query is ignored
unless ``<file>@<query>.html`` exists; ``{{BASE}}`` becomes the origin; files
starting with ``_`` are private; ``_routes.toml`` declares redirects, error
statuses and re-encoded bodies.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import tomllib
from dataclasses import dataclass, field
from email.utils import formatdate
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

logger = logging.getLogger(__name__)

_TYPES = {".html": "text/html", ".xml": "application/xml", ".txt": "text/plain", ".json": "application/json"}
LOOPBACK = "127.0.0.1"


def bundled_mirror_root() -> Path:
    return Path(str(resources.files("crawler") / "mirror"))


@dataclass
class SiteTree:
    name: str
    root: Path
    routes: dict[str, dict[str, Any]] = field(default_factory=dict)
    origin: str = ""

    @classmethod
    def load(cls, root: Path) -> SiteTree:
        routes: dict[str, dict[str, Any]] = {}
        rfile = root / "_routes.toml"
        if rfile.exists():
            for r in tomllib.loads(rfile.read_text("utf-8")).get("route", []):
                routes[r["path"]] = r
        return cls(root.name, root, routes)

    def resolve(self, path: str, query: str) -> Path | None:
        rel = unquote(path).lstrip("/")
        if any(part.startswith("_") or part == ".." for part in Path(rel).parts):
            return None
        base = self.root / rel
        candidates: list[Path] = []
        if query:
            candidates.append(Path(f"{base}@{query}.html"))
            if rel.endswith("/") or not rel:
                candidates.append(base / f"index@{query}.html")
        if rel and not rel.endswith("/"):
            candidates += [base, Path(f"{base}.html")]
        candidates += [base / "index.html", base / "index.xml"]
        for c in candidates:
            try:
                c.resolve().relative_to(self.root.resolve())
            except ValueError:
                return None
            if c.is_file():
                return c
        return None


class _Handler(BaseHTTPRequestHandler):
    server_version = "WartaMirror/1"

    def __init__(self, *args: Any, tree: SiteTree, **kwargs: Any) -> None:
        self.tree = tree
        super().__init__(*args, **kwargs)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib name
        logger.debug("%s %s", self.tree.name, format % args)

    def do_HEAD(self) -> None:  # noqa: N802 - stdlib name
        self.do_GET()

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        parts = urlsplit(self.path)
        route = self.tree.routes.get(parts.path)
        status = 200
        encoding = "utf-8"
        extra_headers: dict[str, str] = {}
        file: Path | None
        if route is not None:
            status = int(route.get("status", 200))
            if route.get("location"):
                self.send_response(status)
                self.send_header("Location", self.tree.origin + route["location"])
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            file = self.tree.root / route["file"] if route.get("file") else self.tree.resolve(parts.path, parts.query)
            encoding = route.get("encoding", "utf-8")
        else:
            file = self.tree.resolve(parts.path, parts.query)
        if file is None:
            status = 404 if route is None else status
            body = b"<html><body><h1>404 Tidak ditemukan</h1></body></html>"
            ctype = "text/html; charset=utf-8"
        else:
            text = file.read_text("utf-8").replace("{{BASE}}", self.tree.origin)
            body = text.encode(encoding, errors="xmlcharrefreplace")
            ctype = _TYPES.get(file.suffix, "text/html")
            if ctype.startswith("text/"):
                ctype += f"; charset={encoding}"
            # Validators like a real web server's, so re-crawls can be conditional.
            etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
            if status == 200 and self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            extra_headers = {"ETag": etag, "Last-Modified": formatdate(file.stat().st_mtime, usegmt=True)}
        self.send_response(status)
        for k, v in extra_headers.items():
            self.send_header(k, v)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class MirrorServer:
    """Serve every site folder under ``root``; ``origins`` maps site name to origin."""

    def __init__(self, root: Path | None = None, host: str = LOOPBACK) -> None:
        self.root = root or bundled_mirror_root()
        if host not in ("127.0.0.1", "localhost", "::1"):
            raise ValueError("the mirror server only listens on loopback")
        self.host = host
        self.origins: dict[str, str] = {}
        self._servers: list[ThreadingHTTPServer] = []
        self._threads: list[threading.Thread] = []

    def start(self) -> MirrorServer:
        for folder in sorted(p for p in self.root.iterdir() if p.is_dir() and not p.name.startswith(("_", "."))):
            tree = SiteTree.load(folder)
            srv = ThreadingHTTPServer((self.host, 0), partial(_Handler, tree=tree))
            srv.daemon_threads = True
            tree.origin = f"http://{self.host}:{srv.server_address[1]}"
            self.origins[tree.name] = tree.origin
            t = threading.Thread(target=srv.serve_forever, name=f"mirror-{tree.name}", daemon=True)
            t.start()
            self._servers.append(srv)
            self._threads.append(t)
        return self

    def stop(self) -> None:
        for srv in self._servers:
            srv.shutdown()
            srv.server_close()
        self._servers.clear()

    def __enter__(self) -> MirrorServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


"""Run a command; print its output, then one JSON line with wall time and the peak
RSS of its whole process tree (extraction workers included)."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time


def main() -> None:
    started = time.perf_counter()
    proc = subprocess.run(sys.argv[1:], capture_output=True, text=True)
    wall = time.perf_counter() - started
    sys.stdout.write(proc.stdout)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr[-3000:])
        sys.exit(proc.returncode)
    # Linux reports ru_maxrss in KiB; the largest single process of the tree.
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"wall": wall, "maxrss_mib": rss, "pid": os.getpid()}))


if __name__ == "__main__":
    main()

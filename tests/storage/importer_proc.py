"""Run one import in a child process (for the kill and the two-process tests).

    python -m tests.storage.importer_proc URL COUNTY YEAR [--pause] [--expected N] [--schools N]

With --pause the import stops inside its transaction, after every school, teacher,
class and room row is written and before the evaluation row and the commit, prints
READY and sleeps — the parent then kills it. Exit 0: stored; 3: conflict message.
"""

from __future__ import annotations

import argparse
import sys
import time

from sqlalchemy import event

from junheng.core.errors import ConcurrentImportError
from junheng.services.history import import_county_data, open_history
from tests.storage.counties import small_county


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("url")
    p.add_argument("county")
    p.add_argument("year", type=int)
    p.add_argument("--pause", action="store_true")
    p.add_argument("--expected", type=int)
    p.add_argument("--schools", type=int, default=5)
    a = p.parse_args()
    engine = open_history(url=a.url)
    if a.pause:
        @event.listens_for(engine, "before_cursor_execute")
        def _pause(conn, cursor, statement, params, context, executemany):
            if statement.lstrip().upper().startswith("INSERT INTO EVALUATIONS"):
                print("READY", flush=True)
                time.sleep(600)

    data = small_county(a.county, a.year, schools=a.schools)
    try:
        out = import_county_data(engine, data, by="child", expected_version=a.expected)
    except ConcurrentImportError as exc:
        print(exc.message, flush=True)
        return 3
    print(f"STORED {out.stored.version}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

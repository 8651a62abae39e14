"""Benchmark of storage: import a province into SQLite and PostgreSQL, then time the
trend, flows, city and province views.

A province is ``--counties`` counties (10 per city) of ``--schools`` schools each,
made by the sample generator, for ``--years`` school years; every county-year is one
`import_county_data` call (evaluation, summary and all rows in one transaction), as
`junheng import` does after reading the workbook. Prints rows per second, the total
import time per year, and the query times. Targets (issue 3): a whole province
(100 × 300) imports in under 5 minutes; any trend or region view answers in < 1 s.

    .venv/bin/python bench/bench_storage.py [--counties 100] [--schools 300] [--years 2]
        [--backend sqlite postgresql] [--pg-url URL]
"""

from __future__ import annotations

import argparse
import gc
import os
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from junheng.samples import generate_county
from junheng.services.history import import_county_data, open_history
from junheng.services.trends import county_flows, county_trend, region_trend, region_view
from junheng.standards import load_standard

PG_DEFAULT = "postgresql+psycopg://junheng:junheng@127.0.0.1:5432/junheng_test"


def county_codes(n: int) -> list[str]:
    return [f"35{1 + i // 10:02d}{1 + i % 10:02d}" for i in range(n)]


def rows_of(data) -> int:
    return (len(data.schools) + len(data.teachers) + len(data.classes) + len(data.rooms)
            + len(data.facts) + sum(len(v) for v in data.extra_tables.values()))


def best(fn, repeat: int = 3) -> float:
    out = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out = min(out, time.perf_counter() - t0)
    return out


def run(backend: str, url: str, args) -> None:
    engine = open_history(url=url)
    standard = load_standard()
    codes = county_codes(args.counties)
    first_year = 2023
    print(f"\n== {backend}: {len(codes)} counties × {args.schools} schools × {args.years} years")
    for year in range(first_year, first_year + args.years):
        gen = imp = 0.0
        rows = 0
        for i, code in enumerate(codes):
            t0 = time.perf_counter()
            data = generate_county(schools=args.schools, seed=i, county_code=code, school_year=year)
            data.county.city, data.county.province = f"第{code[2:4]}市", "示例省"
            t1 = time.perf_counter()
            import_county_data(engine, data, by="bench", standard=standard)
            imp += time.perf_counter() - t1
            gen += t1 - t0
            rows += rows_of(data)
            del data
            gc.collect(0)
        print(f"  {year} 学年: imported {rows:,} rows in {imp:.1f} s "
              f"({rows / imp:,.0f} rows/s, {imp / len(codes):.2f} s per county; "
              f"sample generation {gen:.1f} s not counted)")
    last = first_year + args.years - 1
    one = codes[len(codes) // 2]
    timings = {
        f"trend of one county ({args.years} years)": lambda: county_trend(engine, one),
        "province view": lambda: region_view(engine, "35"),
        "city view": lambda: region_view(engine, one[:4]),
    }
    if args.years > 1:
        timings["teacher flows of one county"] = lambda: county_flows(engine, one, last)
    timings["province-wide trend (every county, every year)"] = lambda: region_trend(engine, "35")
    for label, fn in timings.items():
        print(f"  {label}: {best(fn) * 1000:,.0f} ms")
    engine.dispose()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--counties", type=int, default=100)
    p.add_argument("--schools", type=int, default=300)
    p.add_argument("--years", type=int, default=2)
    p.add_argument("--backend", nargs="+", default=["sqlite", "postgresql"], choices=["sqlite", "postgresql"])
    p.add_argument("--pg-url", default=os.environ.get("JUNHENG_TEST_POSTGRES_URL") or PG_DEFAULT)
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for backend in args.backend:
            if backend == "sqlite":
                db = Path(tmp) / "bench.db"
                run("SQLite", f"sqlite:///{db}", args)
                size = sum(f.stat().st_size for f in Path(tmp).glob("bench.db*"))
                print(f"  database file: {size / 2**20:,.0f} MiB")
                continue
            schema = f"bench_{uuid.uuid4().hex[:8]}"
            admin = create_engine(args.pg_url, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'CREATE SCHEMA "{schema}"'))
            try:
                url = make_url(args.pg_url).update_query_dict({"options": f"-csearch_path={schema}"})
                run("PostgreSQL", url.render_as_string(hide_password=False), args)
            finally:
                with admin.connect() as conn:
                    conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
                admin.dispose()


if __name__ == "__main__":
    main()

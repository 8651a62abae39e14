"""Benchmark of national scale: a synthetic country (samples.country: 2,842 counties
over 31 provinces, ~242,000 schools and 教学点, realistic size mix), or a share of it.

For each share (default 1 %, 5 %, 10 %) it reports:

1. evaluation of every county in one process (``core.evaluate``; counties generated
   and evaluated one at a time, generation not timed, so memory stays at one county's
   data), and with ``--jobs`` processes (each its part of the counties; wall time of
   the slowest process's evaluations);
2. ``junheng import`` of the share's workbooks into a fresh PostgreSQL schema with
   ``--jobs`` workers (services.batch: read, validate and evaluate in workers, COPY
   in this process) — wall time and memory peak of the importing process and of
   the largest worker;
3. the national roll-up from the stored summaries: ``region`` of the largest
   province (2 digits) and of the whole country (best of 3);

then how each figure grows with the share (and, when 100 % was not run, its linear
extrapolation to 100 %, clearly marked as such). Workbooks are written once into
``--cache``; the load average is printed before each measurement (wall times on a
shared machine are inflated; CPU-seconds much less).

    PYTHONPATH=src .venv/bin/python bench/bench_national.py [--shares 0.01 0.05 0.1]
        [--jobs 2] [--pg-url URL] [--cache /tmp/junheng-national]

The whole country (--shares 1) takes about 12 minutes to write its 2,842 workbooks
(once) and tens of minutes to run; memory stays bounded (one county per process, and
the import's window of files in flight).
"""

from __future__ import annotations

import argparse
import gc
import multiprocessing
import os
import resource
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

PG_DEFAULT = "postgresql+psycopg://junheng:junheng@127.0.0.1:5432/junheng_test"
SEED = 2025


def _evaluate_stream(places) -> tuple[float, float, int]:
    """Generate and evaluate the counties one at a time (generation not timed), so only
    one county's data is in memory: (wall s, CPU s, teachers) of the evaluations alone."""
    from junheng.core.engine import evaluate
    from junheng.samples.country import county_data
    from junheng.services.evaluation import resolve_standard

    std = resolve_standard(None)
    wall = cpu = 0.0
    teachers = 0
    gc.disable()
    try:
        for p in places:
            data = county_data(p, seed=SEED)
            teachers += len(data.teachers)
            t0, c0 = time.perf_counter(), time.process_time()
            evaluate(data, std)
            wall += time.perf_counter() - t0
            cpu += time.process_time() - c0
            del data
    finally:
        gc.enable()
    return wall, cpu, teachers


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _evaluate_part(places) -> tuple[float, float, int, float]:
    """In a worker: its part, streamed; and the worker's memory peak."""
    return (*_evaluate_stream(places), _peak_mb())


def evaluation(places, jobs: int) -> dict[str, float]:
    """Wall and CPU seconds of the evaluations in one process and with ``jobs`` processes
    (each its share of the counties; wall = the slowest process's evaluation time), and
    the memory peaks. Counties are generated and evaluated one at a time."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(1, mp_context=context) as pool:  # a fresh process: its own peak
        one, one_cpu, teachers, one_peak = pool.submit(_evaluate_part, places).result()
    parts = [places[i::jobs] for i in range(jobs)]
    with ProcessPoolExecutor(jobs, mp_context=context) as pool:
        spans = list(pool.map(_evaluate_part, parts))
    return {"eval_one": one, "eval_one_cpu": one_cpu, "eval_many": max(s[0] for s in spans),
            "eval_many_cpu": sum(s[1] for s in spans), "teachers": teachers, "eval_peak_mb": one_peak}


def workbooks(places, cache: Path, jobs: int) -> list[Path]:
    """The share's workbooks, written once (samples.country) and kept in ``cache``."""
    from junheng.services.workbook import _write_one_county, county_sample_path

    cache.mkdir(parents=True, exist_ok=True)
    paths = [county_sample_path(cache, p.code, p.name) for p in places]
    missing = [(p, path) for p, path in zip(places, paths, strict=True) if not path.exists()]
    if missing:
        t0 = time.perf_counter()
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(jobs, mp_context=context) as pool:
            list(pool.map(_write_one_county, [p for p, _ in missing], [SEED] * len(missing),
                          [2025] * len(missing), [str(path) for _, path in missing]))
        print(f"   (wrote {len(missing)} workbooks in {time.perf_counter() - t0:.0f} s)")
    return paths


def _import_child(paths: list[str], url: str, jobs: int) -> dict[str, float]:
    """In a fresh process (so its memory peak is the import's alone): import the files
    with ``jobs`` workers; wall and CPU seconds, peak RSS of this process and of its
    largest worker."""
    from junheng.services.batch import run_batch
    from junheng.services.evaluation import resolve_standard
    from junheng.services.history import open_history

    engine = open_history(url=url)
    t0 = time.perf_counter()
    summary = run_batch("import", [Path(p) for p in paths], jobs=jobs, standard=resolve_standard(None),
                        engine=engine, by="bench")
    wall = time.perf_counter() - t0
    engine.dispose()
    bad = [(o.file, o.problems[:1]) for o in summary.outcomes if not o.ok]
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"import": wall, "bad": len(bad), "import_parent_cpu": me.ru_utime + me.ru_stime,
            "import_workers_cpu": kids.ru_utime + kids.ru_stime,
            "parent_peak_mb": me.ru_maxrss / 1024, "worker_peak_mb": kids.ru_maxrss / 1024}


_YEAR_COLUMNS = ("school_year, version, is_current, imported_at, imported_by, file_name, file_hash, "
                 "city_name, province_name, basic_balance_year, source, fact_refs, column_map, "
                 "absent_columns, extra_tables")
_EVALUATION_COLUMNS = ("standard_id, standard_version, recognised, schools_total, schools_passed, "
                       "items_failed, summary, result")


def replicate_to_country(engine) -> int:
    """Give every county of the synthetic country a current county-year by copying the
    stored ones (their summaries and results as imported) under the missing codes: the
    roll-up then reads a national year's worth of real summaries. Returns the count."""
    from junheng.samples.country import country

    with engine.begin() as conn:
        stored = conn.execute(text("SELECT id, county_code FROM county_years WHERE is_current")).all()
        have = {r.county_code for r in stored}
        missing = [p for p in country(SEED) if p.code not in have]
        for i, place in enumerate(missing):
            source = stored[i % len(stored)].id
            conn.execute(text("INSERT INTO regions (code, level, name) VALUES (:c, 'county', :n) "
                              "ON CONFLICT DO NOTHING"), {"c": place.code, "n": place.name})
            new = conn.execute(text(
                f"INSERT INTO county_years (county_code, county_name, {_YEAR_COLUMNS}) "
                f"SELECT :c, :n, {_YEAR_COLUMNS} FROM county_years WHERE id = :s RETURNING id"),
                {"c": place.code, "n": place.name, "s": source}).scalar_one()
            conn.execute(text(
                f"INSERT INTO evaluations (county_year_id, {_EVALUATION_COLUMNS}) "
                f"SELECT :new, {_EVALUATION_COLUMNS} FROM evaluations WHERE county_year_id = :s"),
                {"new": new, "s": source})
    return len(have) + len(missing)


def import_and_roll_up(paths: list[Path], pg_url: str, jobs: int,
                       national_rollup: bool = False) -> dict[str, float]:
    from junheng.services.history import open_history
    from junheng.services.trends import region_view

    schema = f"bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(pg_url).update_query_dict({"options": f"-csearch_path={schema}"})
    url_text = url.render_as_string(hide_password=False)
    try:
        open_history(url=url_text).dispose()  # migrate first: not part of the import
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(1, mp_context=context) as pool:
            out = pool.submit(_import_child, [str(p) for p in paths], url_text, jobs).result()
        assert not out.pop("bad"), "some workbooks did not import"
        engine = open_history(url=url_text)
        with engine.connect() as conn:
            out["db_mb"] = conn.execute(text(
                "SELECT sum(pg_total_relation_size(quote_ident(schemaname) || '.' || quote_ident(tablename)))"
                " FROM pg_tables WHERE schemaname = :s"), {"s": schema}).scalar() / (1 << 20)
            out["rows"] = conn.execute(text(
                "SELECT (SELECT count(*) FROM teachers) + (SELECT count(*) FROM classes)"
                " + (SELECT count(*) FROM schools) + (SELECT count(*) FROM rooms)")).scalar()
        provinces: dict[str, int] = {}
        for p in paths:
            provinces[p.name[:2]] = provinces.get(p.name[:2], 0) + 1
        biggest = max(provinces, key=provinces.get)
        out["region_province"] = best(lambda: region_view(engine, biggest))
        out["region_country"] = best(lambda: region_view(engine, "全国"))
        out["province_counties"] = provinces[biggest]
        if national_rollup:
            replicate_to_country(engine)
            out["region_country_full"] = best(lambda: region_view(engine, "全国"))
            out["region_province_full"] = best(lambda: region_view(engine, "51"))
        engine.dispose()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
    return out


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (5 min {five:.1f})"


def best(fn, repeat: int = 3) -> float:
    out = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out = min(out, time.perf_counter() - t0)
    return out


def main() -> None:
    from junheng.samples.country import country, country_share

    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--shares", nargs="+", type=float, default=[0.01, 0.05, 0.1])
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    p.add_argument("--pg-url", default=os.environ.get("JUNHENG_BENCH_PG", PG_DEFAULT))
    p.add_argument("--cache", type=Path, default=Path("/tmp/junheng-national"))
    p.add_argument("--skip-import", action="store_true")
    p.add_argument("--skip-evaluation", action="store_true")
    p.add_argument("--national-rollup", action="store_true",
                   help="after each import, copy the stored county-years to all 2,842 codes and time region 全国 "
                        "and region 51 (183 counties) at full national size")
    args = p.parse_args()
    whole = country(SEED)
    total_schools = sum(c.schools for c in whole)
    print(f"synthetic country: {len(whole):,} counties, {total_schools:,} schools; {args.jobs} jobs; "
          f"{os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f} (wall times on a loaded machine are "
          "inflated; CPU-seconds are not)")
    rows = []
    for share in args.shares:
        places = country_share(share, SEED)
        schools = sum(c.schools for c in places)
        print(f"\n== {share:.0%}: {len(places):,} counties, {schools:,} schools "
              f"({len({c.code[:2] for c in places})} provinces)")
        row = {"share": share, "counties": len(places), "schools": schools}
        if not args.skip_evaluation:
            ev = evaluation(places, args.jobs)
            row |= ev
            print(f"   evaluation: {ev['eval_one']:.1f} s in one process ({ev['eval_one_cpu']:.1f} CPU-s), "
                  f"{ev['eval_many']:.1f} s with {args.jobs} processes ({ev['eval_many_cpu']:.1f} CPU-s); "
                  f"{ev['teachers']:,} teachers; {schools / ev['eval_one_cpu']:,.0f} schools per CPU-second; "
                  f"peak RSS {ev['eval_peak_mb']:.0f} MB; {_load()}")
        if not args.skip_import:
            paths = workbooks(places, args.cache, args.jobs)
            print(f"   import starts; {_load()}", flush=True)
            got = import_and_roll_up(paths, args.pg_url, args.jobs, args.national_rollup)
            print(f"   import into PostgreSQL ({args.jobs} workers): {got['import']:.1f} s wall "
                  f"({len(places) / got['import']:.2f} counties/s); CPU: workers {got['import_workers_cpu']:.1f} s "
                  f"(read, validate, evaluate), importer {got['import_parent_cpu']:.1f} s (COPY); "
                  f"{got['rows']:,} rows; peak RSS: importer {got['parent_peak_mb']:.0f} MB, "
                  f"largest worker {got['worker_peak_mb']:.0f} MB; database {got['db_mb']:.0f} MB; {_load()}")
            print(f"   roll-up: region of the largest province ({got['province_counties']} counties) "
                  f"{got['region_province'] * 1000:.0f} ms; whole country {got['region_country'] * 1000:.0f} ms")
            if "region_country_full" in got:
                print(f"   roll-up at national size (all 2,842 counties, stored summaries copied): region 全国 "
                      f"{got['region_country_full'] * 1000:.0f} ms; region 51 (183 counties) "
                      f"{got['region_province_full'] * 1000:.0f} ms")
            row |= {k: float(v) for k, v in got.items()}
        rows.append(row)
    if not rows:
        return
    last = rows[-1]
    measured = last["counties"] == len(whole)
    factor = len(whole) / last["counties"]
    if measured:
        print("\n== growth (the whole country measured)")
    else:
        print(f"\n== growth, and the whole country extrapolated linearly from {last['share']:.0%} "
              f"(×{factor:.1f}; EXTRAPOLATED, not measured)")
    keys = [("eval_one", "evaluation, one process (s)"), ("eval_one_cpu", "evaluation (CPU-s)"),
            ("eval_many", f"evaluation, {args.jobs} processes (s)"), ("eval_many_cpu", "evaluation, all processes (CPU-s)"),
            ("import", f"import into PostgreSQL, {args.jobs} workers (s)"),
            ("import_workers_cpu", "import: workers (CPU-s)"), ("import_parent_cpu", "import: importer (CPU-s)"),
            ("parent_peak_mb", "import: importer peak RSS (MB)"), ("worker_peak_mb", "import: worker peak RSS (MB)"),
            ("db_mb", "database size (MB)"), ("rows", "rows (schools, teachers, classes, rooms)"),
            ("region_province", "region <largest province> (ms)"), ("region_country", "region 全国 (ms)")]
    print(f"   {'':44}" + "".join(f"{r['share']:>10.0%}" for r in rows)
          + ("" if measured else f"{'100% (extrap.)':>16}"))
    for key, label in keys:
        if key not in last:
            continue
        scale = 1000 if key.startswith("region") else 1
        values = "".join(f"{r[key] * scale:>10.1f}" if key in r else f"{'—':>10}" for r in rows)
        if measured:
            print(f"   {label:44}{values}")
        elif key in ("parent_peak_mb", "worker_peak_mb", "region_province"):  # not proportional
            print(f"   {label:44}{values}{'—':>16}")
        else:
            print(f"   {label:44}{values}{last[key] * scale * factor:>16.0f}")


if __name__ == "__main__":
    main()

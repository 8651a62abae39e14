"""Benchmark of the web's analysis pages (学位与大班额, 集团化办学, 课后服务, 教师流动,
学前教育) on a county of N schools with three stored years, through the app
(TestClient, SQLite): for each page the first view (the years loaded and evaluated,
nothing cached), the next view (from the cache: a stored version never changes) and
the workbook download. Prints milliseconds.

    .venv/bin/python bench/bench_analysis_pages.py [--schools 300]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient

from junheng.samples.years import generate_years
from junheng.services import accounts
from junheng.services.history import import_county_data
from junheng.settings import Settings
from junheng.web.app import create_app

PAGES = ["places", "groups", "afterschool", "flows", "preschool"]
PASSWORD = "correct-horse-1"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--schools", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(Settings(data_dir=Path(folder), web_login_max_failures=1000))
        engine = app.state.engine
        for data in generate_years(2023, 2025, schools=args.schools):
            import_county_data(engine, data, by="bench")
        accounts.create_user(engine, None, username="viewer", password=PASSWORD, role="viewer",
                             region_code="350404")
        client = TestClient(app)
        client.post("/api/auth/login", json={"username": "viewer", "password": PASSWORD})
        print(f"{args.schools} 所学校、3 个学年（毫秒）")
        print(f"{'页面':<12}{'首次':>8}{'再次':>8}{'工作簿':>8}")
        for page in PAGES:
            times = []
            for url in (f"/counties/350404/analyses/{page}", f"/counties/350404/analyses/{page}",
                        f"/api/counties/350404/years/2025/{page}.xlsx"):
                start = time.perf_counter()
                r = client.get(url)
                times.append((time.perf_counter() - start) * 1000)
                assert r.status_code == 200, (url, r.status_code)
            print(f"{page:<12}" + "".join(f"{t:>8.0f}" for t in times))
        engine.dispose()


if __name__ == "__main__":
    main()

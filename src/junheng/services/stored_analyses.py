"""The stored county-years an analysis page reads, loaded and evaluated once.

An analysis page (学位与大班额, 集团化办学, 课后服务, 教师流动, 学前教育) of a county-year
reads that year's current stored version and every earlier stored year (for the
places added, the trends and the flows). A stored version never changes (a
re-import is a new version with a new id), so its data, its evaluation and its fact
sheet are kept by id and reused by every reader and every page.

Permissions are the county dashboard's: whoever may read the county (the county's own
users, the city's or province's supervisors and viewers, administrators); a school
clerk may not.
"""

from __future__ import annotations

import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from junheng.analysis.factsheet import FactSheet, build_factsheet
from junheng.core.errors import NotFoundError
from junheng.core.facts import CountyData
from junheng.core.result import Evaluation
from junheng.core.standard import Standard
from junheng.reports import numbers as fmt
from junheng.services.accounts import Principal, require
from junheng.services.evaluation import evaluate_data, resolve_standard, standard_digest
from junheng.services.reporting import PRESCHOOL_STANDARD
from junheng.storage import repository as repo
from junheng.storage.engine import read_connection


class _Memo:
    """A small least-recently-used cache shared by the app's threads."""

    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], Any]) -> Any:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = make()  # outside the lock: two readers of a new year may both build it, harmlessly
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value


_DATA = _Memo(24)  # (engine, county-year id) -> CountyData
_FACTS = _Memo(48)  # (engine, county-year id, standard digest) -> YearFacts
_VIEWS = _Memo(96)  # (page, engine, ids, standard digest) -> the page's view or report


@dataclass(frozen=True, slots=True)
class YearFacts:
    """One stored year evaluated: under the app's standard, under xqpp-2020 when it has
    kindergartens (as the 年度答卷 does), and its fact sheet."""

    evaluation: Evaluation
    preschool: Evaluation | None
    facts: FactSheet


@dataclass(slots=True)
class Stored:
    """The county-year a page shows and the stored years up to it (oldest first)."""

    county_code: str
    county_name: str
    school_year: int
    version: int
    years: list[int]  # every stored year of the county (the page's year picker)
    versions: list[repo.VersionInfo]  # the stored years up to ``school_year``
    standard: Standard
    digest: str
    engine: Engine

    @property
    def ids(self) -> tuple[int, ...]:
        return tuple(v.id for v in self.versions)

    def data(self, index: int = -1) -> CountyData:
        return load_data(self.engine, self.versions[index].id)

    def all_data(self) -> list[CountyData]:
        return [load_data(self.engine, v.id) for v in self.versions]

    def facts(self, index: int = -1) -> YearFacts:
        info = self.versions[index]
        return _FACTS.get((self.engine, info.id, self.digest),
                          lambda: year_facts(load_data(self.engine, info.id), self.standard))

    @property
    def previous_year(self) -> int | None:
        return self.versions[-2].school_year if len(self.versions) > 1 else None

    def view(self, page: str, make: Callable[[], Any]) -> Any:
        """The page's view (or the report it is drawn from), built once per stored versions."""
        return _VIEWS.get((page, self.engine, self.ids, self.digest), make)

    def head(self) -> dict[str, Any]:
        """What every analysis page shows at its top (the county, the year, the picker)."""
        return {"county_code": self.county_code, "county_name": self.county_name,
                "school_year": self.school_year, "version": self.version, "years": self.years,
                "previous_year": self.previous_year}


def load_data(engine: Engine, county_year_id: int) -> CountyData:
    def load() -> CountyData:
        with read_connection(engine) as conn:
            return repo.load_version(conn, county_year_id)

    return _DATA.get((engine, county_year_id), load)


def year_facts(data: CountyData, standard: Standard) -> YearFacts:
    """The year's evaluations and fact sheet, as the 年度答卷 builds them
    (:func:`junheng.reports.documents.yearly.year_facts`)."""
    ev = evaluate_data(data, standard)
    pre = evaluate_data(data, resolve_standard(PRESCHOOL_STANDARD)) if data.extra_tables.get("kindergartens") else None
    return YearFacts(ev, pre, build_factsheet(data, ev, pre))


def stored(engine: Engine, actor: Principal, county_code: str, school_year: int | None,
           standard: Standard | str | None = None) -> Stored:
    """The current stored version of ``school_year`` (the latest stored year when None)
    and every earlier stored year; Chinese NotFoundError naming the years there are."""
    require(actor.can_read_county(county_code), "查看该县区的数据")
    std = resolve_standard(standard)
    with read_connection(engine) as conn:
        years = repo.county_years(conn, county_code)
        if not years:
            raise NotFoundError(f"数据库中还没有县区 {county_code} 的数据")
        year = years[-1].school_year if school_year is None else school_year
        chosen = [v for v in years if v.school_year <= year]
        if not chosen or chosen[-1].school_year != year:
            have = "、".join(str(v.school_year) for v in years)
            raise NotFoundError(f"数据库中没有县区 {county_code} {year} 学年的数据；已有 {have} 学年的数据")
    current = load_data(engine, chosen[-1].id)
    return Stored(county_code, current.county.name or county_code, year, chosen[-1].version,
                  [v.school_year for v in years], chosen, std, standard_digest(std), engine)


def tiles(facts: FactSheet, ids: list[str]) -> list[dict[str, Any]]:
    """Fact-sheet figures as the page's headline numbers, printed as every output prints them."""
    out = []
    for figure_id in ids:
        if figure_id not in facts:
            continue
        f = facts[figure_id]
        d = f.definition
        unit = "" if d.kind == "percent" or f.value is None else d.unit
        out.append({"id": figure_id, "name": d.name, "value": fmt.shown(f), "unit": unit,
                    "definition": d.definition, "known": f.value is not None})
    return out


def chart_number(value: float | None, kind: str) -> float | None:
    """A chart's number rounded as the tables print it (percent: the share ×100)."""
    if value is None:
        return None
    if kind == "percent":
        return float(fmt.rounded(value * 100, fmt.places("percent")))
    return float(fmt.rounded(value, fmt.places(kind)))


def workbook_bytes(write: Callable[[Path], object]) -> bytes:
    """A workbook renderer's file as bytes (the download of a page's tables)."""
    with tempfile.TemporaryDirectory(prefix="junheng-analysis-") as folder:
        path = Path(folder) / "out.xlsx"
        write(path)
        return path.read_bytes()

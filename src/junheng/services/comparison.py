"""Use case: one county's data under several standards side by side (2017 优质均衡,
2012 基本均衡, 2020 学前普及普惠, a province's own), with every input a standard
needs but the workbook lacks named in Chinese — the sheet, the column or the item."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from junheng.core.confirmations import Confirmations
from junheng.core.engine import evaluate
from junheng.core.facts import TABLE_SHEETS, CountyData
from junheng.core.issues import IssueReport
from junheng.core.result import Evaluation
from junheng.core.standard import Standard
from junheng.services.evaluation import resolve_standard
from junheng.standards import DEFAULT_STANDARD, shipped_standards
from junheng.templates.spec import TemplateSpec, load_template_spec


@dataclass(slots=True)
class MissingInput:
    key: str  # as the engine names it: "population_3_5", "schools.books", "kindergartens"
    label: str  # 县级指标「3—5岁常住人口数（人）」, 学校表「图书册数（册）」列, 「幼儿园」工作表
    used_by: list[str] = field(default_factory=list)  # "X1 学前三年毛入园率达到85%"


@dataclass(slots=True)
class StandardOutcome:
    standard: Standard
    evaluation: Evaluation
    missing: list[MissingInput]

    @property
    def complete(self) -> bool:
        return not self.missing


def input_label(key: str, spec: TemplateSpec | None = None) -> str:
    """Chinese name of an input key, for a bureau user: where to fill it in."""
    spec = spec or load_template_spec()
    sheets = {s.key: s for s in spec.sheets}
    table, _, name = key.partition(".")
    if name and table in sheets:
        sheet = sheets[table]
        try:
            return f"「{sheet.name}」表「{sheet.field(name).display_header}」列"
        except KeyError:
            return f"「{sheet.name}」表的 {name}"
    if not name and key in sheets:
        return f"「{sheets[key].name}」工作表"
    if not name and key in TABLE_SHEETS:
        return f"「{TABLE_SHEETS[key]}」工作表"
    for kv in ("facts", "county"):
        try:
            f = sheets[kv].field(key)
        except KeyError:
            continue
        return f"{sheets[kv].name}「{f.display_header}」"
    return key


def missing_inputs(ev: Evaluation, spec: TemplateSpec | None = None) -> list[MissingInput]:
    """Every input an evaluation could not find, with the items and indicators that need it."""
    spec = spec or load_template_spec()
    found: dict[str, MissingInput] = {}

    def note(key: str, user: str) -> None:
        entry = found.setdefault(key, MissingInput(key, input_label(key, spec)))
        if user not in entry.used_by:
            entry.used_by.append(user)

    for s in ev.schools:
        for ind_id, r in s.indicators.items():
            for key in r.provenance.inputs.get("missing", []):
                meta = ev.indicator_meta.get(ind_id, {})
                note(key, f"{ind_id} {meta.get('name', '')}".strip())
    for item in ev.items.values():
        if not item.evaluable:
            for key in item.missing:
                note(key, f"{item.item_id} {item.name}")
    return list(found.values())  # in the order the standard uses them


def default_standards() -> list[str]:
    """The shipped standards, the default one (优质均衡) first."""
    return sorted(shipped_standards(), key=lambda s: (s != DEFAULT_STANDARD, s))


def compare_data(data: CountyData, standards: list[Standard | str | Path] | None = None) -> list[StandardOutcome]:
    spec = load_template_spec()
    out = []
    for s in standards or default_standards():
        std = resolve_standard(s)
        ev = evaluate(data, std)
        out.append(StandardOutcome(std, ev, missing_inputs(ev, spec)))
    return out


def compare_workbook(
    path: str | Path, standards: list[Standard | str | Path] | None = None,
    confirmations: Confirmations | None = None,
) -> tuple[list[StandardOutcome] | None, IssueReport]:
    """Read the workbook once and evaluate it under each standard (all shipped ones by default)."""
    from junheng.intake import read_county_workbook  # intake is heavy; import on use

    resolved = [resolve_standard(s) for s in (standards or default_standards())]
    result = read_county_workbook(path, confirmations=confirmations)
    if result.data is None or result.report.has_errors:
        return None, result.report
    return compare_data(result.data, resolved), result.report

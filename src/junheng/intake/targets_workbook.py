"""Reading a targets workbook (目标.xlsx, issue 15 §1) into targets, with located Chinese
issues: file, sheet, row, column, header and value. Checks never raise for bad data.

The sheet 「目标」 has one row per target under the header row (1): 指标 (name from the
dropdown, or its 编号), 范围, 基线学年, 基线值, 目标值, 目标年份, 分年度目标, 依据,
责任科室, 说明. Headers are found by name, so columns may be moved or added.

Values of a percent measure (unit %) may be typed as 25, 25%, "25%" or as a cell
formatted as a percentage (0.25 shown 25%); they are kept as fractions (0.25), the
fact sheet's scale. 分年度目标 reads "2024:20；2025:25" or "2024年20%，2025年25%".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from junheng.analysis.measures import Measure, canonical
from junheng.analysis.progress import Target
from junheng.analysis.scopes import COUNTY, GROUP_PREFIX, TOWNSHIP_PREFIX
from junheng.core.issues import Issue, IssueReport, Severity
from junheng.intake.headers import column_letter

SHEET = "目标"
HEADERS = {
    "measure": ("指标", "指标名称"), "scope": ("范围",), "baseline_year": ("基线学年", "基线年份"),
    "baseline": ("基线值",), "target": ("目标值",), "target_year": ("目标年份", "目标学年"),
    "milestones": ("分年度目标",), "basis": ("依据", "文件依据"), "department": ("责任科室", "责任部门"),
    "note": ("说明", "备注"),
}
REQUIRED = ("measure", "target", "target_year")
YEAR_RANGE = (2000, 2100)
_MILESTONE = re.compile(r"(\d{4})\s*(?:年|学年)?\s*[:：]?\s*([+-]?\d+(?:\.\d+)?)\s*(%?)")
_SPLIT = re.compile(r"[;；,，、\n]+")


@dataclass(slots=True)
class TargetsRead:
    targets: list[Target] = field(default_factory=list)
    report: IssueReport = field(default_factory=IssueReport)
    rows_blank_baseline: list[int] = field(default_factory=list)  # rows whose 基线值 is to be filled
    columns: dict[str, str] = field(default_factory=dict)  # field key -> column letter


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


def _free(value: Any) -> str | None:
    """Free text (依据, 说明) as typed: full-width brackets and all."""
    return None if value is None or str(value).strip() == "" else str(value).strip()


class _Row:
    def __init__(self, file: str, row: int, cells: dict[str, tuple[Any, str, str, str]], report: IssueReport):
        self.file, self.row, self.cells, self.report = file, row, cells, report
        self.ok = True

    def error(self, key: str, code: str, why: str) -> None:
        value, letter, header, _ = self.cells.get(key, (None, None, HEADERS[key][0], ""))
        shown = "" if value is None else str(value).strip()
        where = f"{SHEET} 第{self.row}行" + (f" {letter}列" if letter else "") + f"「{header}」"
        self.report.add(Issue(code, Severity.ERROR, f"{self.file} {where}" + (f"的值“{shown}”" if shown else "")
                              + f"：{why}", "data", self.file, SHEET, self.row, letter, header, value))
        self.ok = False

    def raw(self, key: str) -> tuple[Any, str]:
        value, _, _, fmt = self.cells.get(key, (None, None, "", ""))
        return value, fmt

    def year(self, key: str, required: bool) -> int | None:
        value, _ = self.raw(key)
        t = _text(value).removesuffix("学年").removesuffix("年")
        if not t:
            if required:
                self.error(key, "targets.required", "必须填写")
            return None
        if not t.isdigit() or not YEAR_RANGE[0] <= int(t) <= YEAR_RANGE[1]:
            self.error(key, "targets.year", "应为四位数的学年，如 2025")
            return None
        return int(t)

    def number(self, key: str, measure: Measure | None, required: bool) -> float | None:
        value, fmt = self.raw(key)
        if _text(value) == "":
            if required:
                self.error(key, "targets.required", "必须填写")
            return None
        v = to_measure_scale(value, fmt, measure)
        if v is None:
            self.error(key, "targets.number", "应为数字" + ("（百分比可写 25 或 25%）"
                                                         if measure is not None and measure.unit == "%" else ""))
        return v


def to_measure_scale(value: Any, number_format: str, measure: Measure | None) -> float | None:
    """A typed value in the fact sheet's scale: a percent measure's 25 / "25%" / a 25%-
    formatted cell (0.25) all give 0.25."""
    percent = measure is not None and measure.unit == "%"
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        if percent and "%" not in (number_format or ""):
            return float(value) / 100
        return float(value)
    t = _text(value).replace(",", "")
    had_percent = t.endswith("%")
    t = t.removesuffix("%").strip()
    try:
        v = float(t)
    except ValueError:
        return None
    if v != v or v in (float("inf"), float("-inf")):
        return None
    return v / 100 if percent or had_percent else v


def parse_milestones(text: str, measure: Measure | None) -> dict[int, float] | None:
    """"2024:20；2025:25" → {2024: 0.2, 2025: 0.25} for a percent measure; None if unreadable."""
    out: dict[int, float] = {}
    for part in _SPLIT.split(unicodedata.normalize("NFKC", text).strip()):
        if not part.strip():
            continue
        m = _MILESTONE.fullmatch(part.strip())
        if m is None:
            return None
        year, number, pct = int(m[1]), float(m[2]), m[3]
        if not YEAR_RANGE[0] <= year <= YEAR_RANGE[1] or year in out:
            return None
        out[year] = number / 100 if pct or (measure is not None and measure.unit == "%") else number
    return out or None


def find_measure(text: str, measures: dict[str, Measure]) -> Measure | None:
    t = canonical(_text(text))  # an id folded into another one (budget_per_student.primary)
    if t in measures:
        return measures[t]
    by_name = {_text(m.name): m for m in measures.values()}
    if t in by_name:
        return by_name[t]
    # "大班额比例（large_class_share）" as the export writes it
    m = re.fullmatch(r".*[（(]([\w.]+)[)）]", t)
    return measures.get(canonical(m[1])) if m else None


def normal_scope(text: str, parts: set[str]) -> str | None:
    """全县 / 小学 / 初中 / 学前 / 集团：X / 乡镇：X; a bare name of a known group or township too."""
    t = _text(text).replace(":", "：")
    if not t:
        return COUNTY
    if t in ("全县", "全区", "全市", "县域", "全县（区）"):
        return COUNTY
    if t in ("小学", "初中", "学前", "学前教育"):
        return "学前" if t == "学前教育" else t
    if t.startswith((GROUP_PREFIX, TOWNSHIP_PREFIX)):
        return t
    for prefix in (GROUP_PREFIX, TOWNSHIP_PREFIX):
        if prefix + t in parts:
            return prefix + t
    return None


def read_targets_workbook(path: str | Path, measures: dict[str, Measure], parts: set[str] | None = None,
                          ) -> TargetsRead:
    """``parts``: the group and township scopes the county's stored data know."""
    from openpyxl import load_workbook  # Excel libraries stay out of import time

    out = TargetsRead()
    file = Path(path).name
    known = parts  # None: the county has no stored data to check names against
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any unreadable file is the user's problem, said plainly
        out.report.add(Issue("targets.file", Severity.ERROR, f"{file}：无法作为 Excel 工作簿（.xlsx）打开（{exc}）",
                             "structure", file))
        return out
    try:
        if SHEET not in wb.sheetnames:
            out.report.add(Issue("targets.sheet", Severity.ERROR,
                                 f"{file}：没有名为「{SHEET}」的工作表（现有：{'、'.join(wb.sheetnames)}）；"
                                 "请用 junheng targets template 生成的工作簿填写", "structure", file))
            return out
        rows = list(wb[SHEET].iter_rows())
    finally:
        wb.close()
    if not rows:
        out.report.add(Issue("targets.header", Severity.ERROR, f"{file} {SHEET}：工作表是空的", "structure", file, SHEET))
        return out
    columns: dict[str, tuple[int, str]] = {}
    for i, cell in enumerate(rows[0]):
        h = _text(cell.value)
        for key, names in HEADERS.items():
            if h in names and key not in columns:
                columns[key] = (i, h)
    out.columns = {key: column_letter(i) for key, (i, _) in columns.items()}
    missing = [HEADERS[k][0] for k in REQUIRED if k not in columns]
    if missing:
        out.report.add(Issue("targets.header", Severity.ERROR,
                             f"{file} {SHEET} 第1行：缺少表头「{'」「'.join(missing)}」", "structure", file, SHEET, 1))
        return out
    seen: dict[tuple[str, str], int] = {}
    for n, cells in enumerate(rows[1:], start=2):
        got = {key: (cells[i].value if i < len(cells) else None, column_letter(i), h,
                     getattr(cells[i], "number_format", "") if i < len(cells) else "")
               for key, (i, h) in columns.items()}
        if all(_text(v[0]) == "" for v in got.values()):
            continue
        row = _Row(file, n, got, out.report)
        target = _read_row(row, measures, known, out)
        if target is None:
            continue
        key = (target.measure, target.scope)
        if key in seen:
            row.error("measure", "targets.duplicate", f"同一指标、同一范围的目标已在第{seen[key]}行填写")
            continue
        seen[key] = n
        out.targets.append(target)
    if not out.targets and not out.report.has_errors:
        out.report.add(Issue("targets.empty", Severity.ERROR, f"{file} {SHEET}：没有填写任何目标", "structure", file,
                             SHEET))
    return out


def _read_row(row: _Row, measures: dict[str, Measure], parts: set[str] | None, out: TargetsRead) -> Target | None:
    measure_text = _text(row.cells.get("measure", (None,))[0])
    measure = find_measure(measure_text, measures) if measure_text else None
    if not measure_text:
        row.error("measure", "targets.required", "必须填写（从下拉列表中选择）")
    elif measure is None:
        row.error("measure", "targets.measure", "不是可跟踪的指标；请从下拉列表中选择（全部指标见「指标一览」表）")
    scope = normal_scope(row.cells.get("scope", (None,))[0], parts or set())
    if scope is None:
        row.error("scope", "targets.scope", "范围应为 全县、小学、初中、学前，或「集团：集团名称」「乡镇：乡镇名称」")
    elif measure is not None and not measure.supports(scope):
        row.error("scope", "targets.scope_measure", f"「{measure.name}」不能按这个范围计算；可用范围：{measure.scope_text()}")
    elif scope.startswith((GROUP_PREFIX, TOWNSHIP_PREFIX)) and parts is not None and scope not in parts:
        kind = "教育集团" if scope.startswith(GROUP_PREFIX) else "乡镇（街道）"
        row.error("scope", "targets.scope_unknown", f"数据库中该县的学校没有这个{kind}（请核对名称，与「学校」表中填写的一致）")
    baseline_year = row.year("baseline_year", required=False)
    baseline = row.number("baseline", measure, required=False)
    target = row.number("target", measure, required=True)
    target_year = row.year("target_year", required=True)
    if baseline_year is not None and target_year is not None and target_year <= baseline_year:
        row.error("target_year", "targets.year_order", f"目标年份应晚于基线学年 {baseline_year}")
    milestones: dict[int, float] = {}
    text = _text(row.cells.get("milestones", (None,))[0])
    if text:
        parsed = parse_milestones(text, measure)
        if parsed is None:
            row.error("milestones", "targets.milestones", "写法应为“2024:20；2025:25”（学年:目标值，用分号隔开）")
        else:
            milestones = parsed
            late = [y for y in milestones if target_year is not None and y > target_year]
            early = [y for y in milestones if baseline_year is not None and y <= baseline_year]
            if late or early:
                row.error("milestones", "targets.milestones_range", "分年度目标的学年应在基线学年之后、目标年份之前或当年")
    if not row.ok or measure is None or scope is None or target is None or target_year is None:
        return None
    if baseline is None:
        out.rows_blank_baseline.append(row.row)
    return Target(measure=measure.id, scope=scope, target=target, target_year=target_year,
                  baseline_year=baseline_year, baseline=baseline, milestones=milestones,
                  basis=_free(row.cells.get("basis", (None,))[0]),
                  department=_free(row.cells.get("department", (None,))[0]),
                  note=_free(row.cells.get("note", (None,))[0]), row=row.row)

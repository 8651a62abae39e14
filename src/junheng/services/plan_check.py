"""Use case: `junheng plan check 方案.xlsx 工作簿.xlsx` — a bureau edits the 措施 sheets
of a plan workbook (drops a construction, moves another teacher, changes a quantity)
and asks what the county looks like after it.

The rows are read back into actions (school codes, teacher ids and quantities checked
against the county; every problem named by sheet, row, column and value, nothing
applied when any is wrong), applied to the county and re-evaluated by the engine.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import openpyxl

from junheng.core.engine import evaluate
from junheng.core.errors import JunhengError
from junheng.core.facts import STAGE_ZH, RoomType, Stage
from junheng.core.standard import Standard
from junheng.planner.apply import apply_actions
from junheng.planner.forms import FIELD_ACTIONS
from junheng.planner.plan import Actions, FieldAddition, Hire, RoomWork, Transfer
from junheng.planner.problem import build_problem
from junheng.planner.review import still_failing
from junheng.planner.settings import PlanSettings
from junheng.reports.documents.plan_actions import ACTION_COLUMNS
from junheng.reports.renderers.plan_workbook import ACTION_SHEET_PREFIX
from junheng.services.counties import load_county
from junheng.services.evaluation import resolve_standard
from junheng.services.planning import resolve_settings

_STAGES = {zh: stage for stage, zh in STAGE_ZH.items()} | {s.value: s for s in Stage}


class PlanFileError(JunhengError):
    """A plan workbook whose 措施 rows cannot be applied; the message lists each problem."""

    code = "plan-file-invalid"
    exit_code = 1


@dataclass
class CheckReport:
    actions: list[dict[str, Any]]
    one_off: float
    annual: float
    passes: bool
    verdict: str
    still_failing: list[str] = field(default_factory=list)
    new_failures: list[str] = field(default_factory=list)
    recognised: bool = False

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def check_plan_file(plan_path: str | Path, workbook: str | Path, standard: Standard | str | Path | None = None,
                    settings: PlanSettings | str | Path | None = None) -> CheckReport:
    std = resolve_standard(standard)
    chosen = resolve_settings(settings)
    data = load_county(workbook)
    rows = read_action_rows(Path(plan_path))
    actions = rows_to_actions(rows, data, std, chosen, Path(plan_path).name)
    before = evaluate(data, std)
    after = evaluate(apply_actions(data, actions, chosen), std)
    problem = build_problem(data, std, before, chosen)
    failing = still_failing(problem, after)
    new = _new_failures(before, after)
    passes = not failing and not new
    verdict = ("复核通过：方案实施后资源配置及方案所涉项目全部达标" if passes
               else "复核未通过：方案实施后仍有以下问题")
    return CheckReport([r for _, _, r in rows], actions.one_off, actions.annual, passes, verdict, failing, new,
                       bool(after.recognised))


def read_action_rows(path: Path) -> list[tuple[str, int, dict[str, Any]]]:
    """(sheet, row number, {column key: value}) for every non-empty row of the 措施 sheets."""
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise PlanFileError(f"找不到方案工作簿：{path}") from None
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
        raise PlanFileError(f"无法读取方案工作簿 {path.name}（{exc}）") from None
    keys = {title: key for key, title in ACTION_COLUMNS}
    out: list[tuple[str, int, dict[str, Any]]] = []
    sheets = [ws for ws in wb.worksheets if ws.title.startswith(ACTION_SHEET_PREFIX)]
    if not sheets:
        raise PlanFileError(f"方案工作簿 {path.name} 中没有「措施（第N年）」工作表")
    for ws in sheets:
        it = ws.iter_rows(values_only=True)
        header = next(it, ())
        cols = {i: keys[str(h).strip()] for i, h in enumerate(header) if h is not None and str(h).strip() in keys}
        missing = [title for key, title in ACTION_COLUMNS if key not in cols.values()
                   and key in ("school_code", "measure", "quantity")]
        if missing:
            raise PlanFileError(f"{path.name} 工作表「{ws.title}」缺少列：{'、'.join(missing)}")
        for n, values in enumerate(it, start=2):
            row = {cols[i]: v for i, v in enumerate(values) if i in cols}
            if all(v is None or str(v).strip() == "" for v in row.values()):
                continue
            out.append((ws.title, n, row))
    wb.close()
    return out


def rows_to_actions(rows: list[tuple[str, int, dict[str, Any]]], data, standard: Standard,
                    settings: PlanSettings, name: str) -> Actions:
    titles = dict(ACTION_COLUMNS)
    errors: list[str] = []
    schools = data.school_map()
    teachers = {t.teacher_id: t for t in data.teachers}
    kinds = {h.key: h for h in settings.hires}
    room_area = _room_areas(standard)
    actions = Actions(years=settings.costs.years)
    used: set[str] = set()

    for sheet, n, row in rows:
        def bad(key: str, why: str, row=row, sheet=sheet, n=n) -> None:
            errors.append(f"工作表「{sheet}」第 {n} 行「{titles[key]}」列（值：{row.get(key)!r}）：{why}")

        code = str(row.get("school_code") or "").strip()
        measure = str(row.get("measure") or "").strip()
        qty = row.get("quantity")
        one_off = _number(row.get("one_off_cost")) or 0.0
        annual = _number(row.get("annual_cost")) or 0.0
        if code not in schools:
            bad("school_code", "不是工作簿中的学校标识码")
            continue
        if not isinstance(qty, int | float) or isinstance(qty, bool) or qty < 0:
            bad("quantity", "应为不小于 0 的数值")
            continue
        if measure in ("transfer", "exchange"):
            ids = [i for i in re.split(r"[、,，;；\s]+", str(row.get("teacher_ids") or "")) if i]
            src = str(row.get("from_school") or "").strip()
            dst = str(row.get("to_school") or code).strip()
            if src not in schools:
                bad("from_school", "不是工作簿中的学校标识码")
                continue
            if not ids:
                bad("teacher_ids", "调配须写明教师编号")
                continue
            for tid in ids:
                t = teachers.get(tid)
                if t is None:
                    bad("teacher_ids", f"教师编号 {tid} 不在工作簿的教师表中")
                elif t.school_code != src:
                    bad("teacher_ids", f"教师 {tid} 不在调出学校 {src}")
                elif tid in used:
                    bad("teacher_ids", f"教师 {tid} 被调动了不止一次")
                else:
                    used.add(tid)
                    actions.transfers.append(Transfer(tid, t.stage, src, dst, one_off / len(ids),
                                                      rotation_only=measure == "exchange"))
        elif measure.startswith("hire:"):
            kind = kinds.get(measure.removeprefix("hire:"))
            stage = _STAGES.get(str(row.get("stage") or "").strip())
            if kind is None:
                bad("measure", f"方案设置中没有新聘教师类别 {measure.removeprefix('hire:')}")
            elif stage is None:
                bad("stage", "应为 小学 或 初中")
            elif not float(qty).is_integer():
                bad("quantity", "新聘教师人数应为整数")
            else:
                count = int(qty)
                ids = tuple(f"新聘{code[-4:]}{i + 1:03d}{len(actions.hires):03d}" for i in range(count))
                subject = str(row.get("subject") or "").strip()  # the 学科 column (blank: the kind's)
                actions.hires.append(Hire(code, stage, kind.key, count, annual, ids, subject))
        elif measure in FIELD_ACTIONS:
            actions.fields.append(FieldAddition(code, measure, float(qty), one_off))
        elif measure.startswith(("room_refit:", "room_build:")):
            verb, _, rtype = measure.partition(":")
            if rtype not in room_area or not float(qty).is_integer():
                bad("measure" if rtype not in room_area else "quantity",
                    "专用教室类型应为 music 或 art" if rtype not in room_area else "教室间数应为整数")
                continue
            n_rooms = int(qty)
            actions.rooms.append(RoomWork(code, RoomType(rtype), n_rooms if verb == "room_refit" else 0,
                                          n_rooms if verb == "room_build" else 0, room_area[rtype], one_off))
        else:
            bad("measure", "不认识的措施代码")
    if errors:
        more = f"（共 {len(errors)} 处，仅列出前 20 处）" if len(errors) > 20 else ""
        raise PlanFileError(f"方案工作簿 {name} 有误，未作复核{more}：\n" + "\n".join(errors[:20]))
    return actions


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _room_areas(standard: Standard) -> dict[str, float]:
    for item in standard.items:
        if item.kind == "rooms_per_classes":
            return {str(t): float(a) for t, a in item.params["rooms"].items()}
    return {}


def _new_failures(before, after) -> list[str]:
    out = []
    was = {(r.school_code, r.stage): r.passed for r in before.schools}
    for r in after.schools:
        if was.get((r.school_code, r.stage)) and not r.passed:
            out.append(f"{r.name}（{STAGE_ZH[r.stage]}）")
    for item_id, item in before.items.items():
        if item.passed is True and after.items[item_id].passed is False:
            out.append(f"{item_id} {item.name}")
    return out

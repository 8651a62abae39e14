"""Formula kinds about teacher posts (编制): the 2017 vetoes 有编不补 and long-term
编外 teachers (STANDARDS.md §1.6: configurable boolean vetoes).

The county fact (是/否) decides, as the spec says. When the workbook also has the
optional columns 核定编制数 (学校) and 编制类型 (教师), the data back it: schools whose
在编 teachers are fewer than their quota while they employ 编外 teachers (有编不补), or
schools with 编外 teachers at all. What a disagreement between the fact 否 and the data
does is the file's choice (``on_conflict``): ``not_evaluable`` (default for 有编不补 —
neither a veto nor a pass until someone checks), ``fail`` or ``note``.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from junheng.core.facts import CountyData
from junheng.core.formulas_base import Env, Outcome, Rule, _Params, kind
from junheng.core.quantity import QuantityError
from junheng.core.result import Provenance

_CHECKS = ("unfilled_posts", "contract_teachers")
_CONFLICT = ("not_evaluable", "fail", "note")


def flagged_schools(data: CountyData, check: str, min_vacant: float = 1) -> tuple[list[dict[str, Any]], list[str]] | None:
    """Schools the data flag, and notes on schools left out; None when the columns are absent.
    Also read by the teacher-supply analysis (有编不补), so both name the same schools."""
    absent_t = data.absent_columns.get("teachers", frozenset())
    absent_s = data.absent_columns.get("schools", frozenset())
    if "staffing" in absent_t or (check == "unfilled_posts" and "staff_quota" in absent_s):
        return None
    established: Counter[str] = Counter()
    contract: Counter[str] = Counter()
    unknown: Counter[str] = Counter()
    for t in data.teachers:
        kind_ = t.extra.get("staffing")
        if kind_ == "established":
            established[t.school_code] += 1
        elif kind_ == "contract":
            contract[t.school_code] += 1
        else:
            unknown[t.school_code] += 1
    if not established and not contract:
        return None  # the column is there but nobody filled it in
    if check == "unfilled_posts" and all(s.extra.get("staff_quota") is None for s in data.schools):
        return None
    flagged: list[dict[str, Any]] = []
    notes: list[str] = []
    for s in data.schools:
        if unknown[s.code]:
            notes.append(f"{s.name} 有 {unknown[s.code]} 名教师未填编制类型")
            continue
        if check == "contract_teachers":
            if contract[s.code]:
                flagged.append({"school_code": s.code, "school_name": s.name, "contract": contract[s.code]})
            continue
        quota = s.extra.get("staff_quota")
        if quota is None or not contract[s.code]:
            continue
        if s.senior_students:
            # its quota covers the 高中 part too, whose teachers the 2017 standard leaves out
            notes.append(f"{s.name} 含高中学段，编制数未核对")
            continue
        vacant = int(quota) - established[s.code]
        if vacant >= min_vacant:
            flagged.append({"school_code": s.code, "school_name": s.name, "staff_quota": int(quota),
                            "established": established[s.code], "contract": contract[s.code], "vacant": vacant})
    return flagged, notes


def _describe(check: str, flagged: list[dict[str, Any]]) -> str:
    shown = flagged[:3]
    if check == "contract_teachers":
        text = "、".join(f"{f['school_name']} 编外教师 {f['contract']} 名" for f in shown)
    else:
        text = "、".join(f"{f['school_name']} 核定编制 {f['staff_quota']} 人、在编教师 {f['established']} 人、"
                        f"编外教师 {f['contract']} 名" for f in shown)
    more = f" 等 {len(flagged)} 所学校" if len(flagged) > 3 else ""
    return text + more


@kind("staffing_veto")
def _staffing_veto(params: dict[str, Any], path: str) -> Rule:
    p = _Params(params, path, {"fact", "check", "on_conflict", "min_vacant"})
    fact = str(p.get("fact"))
    check = str(p.get("check"))
    if check not in _CHECKS:
        raise QuantityError(f"{path}.check", f"应为 {_CHECKS} 之一，实际为 {check!r}")
    on_conflict = str(p.get("on_conflict", "not_evaluable"))
    if on_conflict not in _CONFLICT:
        raise QuantityError(f"{path}.on_conflict", f"应为 {_CONFLICT} 之一，实际为 {on_conflict!r}")
    min_vacant = p.number("min_vacant", 1)

    def run(env: Env) -> Outcome:
        declared = env.data.facts.get(fact)
        ref = env.data.fact_refs.get(fact)
        data = flagged_schools(env.data, check, min_vacant)
        inputs: dict[str, Any] = {fact: declared, "check": check, "on_conflict": on_conflict,
                                  "data": "absent" if data is None else "present"}
        prov = Provenance("staffing_veto", inputs, [ref] if ref else [])
        failures: list[dict[str, Any]] = []
        if data is not None:
            failures, notes = data
            inputs["flagged_schools"] = [f["school_code"] for f in failures]
            if notes:
                prov.note = "；".join(notes[:5]) + (f" 等 {len(notes)} 处" if len(notes) > 5 else "")
        if declared is None:
            return Outcome(False, None, message=f"缺少数据：{fact}", missing=[fact], provenance=prov)
        if declared:
            return Outcome(True, False, value=True, threshold=False, comparison="==",
                           message="存在该情形，一票否决", provenance=prov, failures=failures)
        if not failures:
            checked = ""
            if data is not None:
                checked = "（已按学校编制数据核对" + ("，部分学校数据不全未核对，见说明）" if prov.note else "）")
            return Outcome(True, True, value=False, threshold=False, comparison="==",
                           message=f"无{checked}", provenance=prov)
        seen = f"填报为“否”，但数据显示：{_describe(check, failures)}"
        if on_conflict == "fail":
            return Outcome(True, False, value=True, threshold=False, comparison="==",
                           message=f"{seen}，按数据认定存在该情形，一票否决", provenance=prov, failures=failures)
        if on_conflict == "not_evaluable":
            return Outcome(False, None, value=None, message=f"{seen}，与填报不一致，请核实后再认定",
                           provenance=prov, failures=failures)
        return Outcome(True, True, value=False, threshold=False, comparison="==",
                       message=f"无（提示：{_describe(check, failures)}，请确认是否属于长期聘用）",
                       provenance=prov)

    return run

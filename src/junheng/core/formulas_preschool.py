"""Formula kinds of the 2020 preschool standard that look at places and staffing.

``township_coverage``: every 乡镇 (or every 街道) of the county has a kindergarten of the
required kind — a public 中心园 in each 乡镇, a public or 普惠 kindergarten in each urban
街道. The number of 乡镇/街道 is a county fact; whether a kindergarten's 所在乡镇（街道）
is a 乡镇 or a 街道 comes from the column 乡镇或街道, else (``kind_default: suffix``, the
documented default) from the name: ending in 街道 → 街道. Names of one kind cannot
outnumber the county's count (a misspelt name would otherwise fill a missing 乡镇).

``staff_per_class``: every kindergarten in scope (full-day ones) has so many staff of
each kind per class (两教一保: 2 teachers, 1 保育员), classes counted in 幼儿园班级.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from junheng.core.formulas_base import Env, Outcome, Rule, _fmt, _Params, _shortfall_text, kind
from junheng.core.preschool import TOWNSHIP_KIND_ZH, TownshipKind, township_kind_by_name
from junheng.core.quantity import QuantityError, compile_where, read_field
from junheng.core.result import Provenance, Shortfall

_TABLE = "kindergartens"


def _absent(env: Env, table: str, fields: set[str]) -> list[str]:
    cols = env.data.absent_columns.get(table, frozenset())
    return sorted(f"{table}.{f}" for f in fields if f in cols)


@kind("township_coverage")
def _township_coverage(params: dict[str, Any], path: str) -> Rule:
    p = _Params(params, path, {"unit", "count", "where", "kind_default", "shortfall"})
    try:
        unit = TownshipKind(p.get("unit"))
    except ValueError:
        raise QuantityError(f"{path}.unit", f"应为 {[k.value for k in TownshipKind]} 之一") from None
    count_q = p.quantity("count")
    where_spec = p.get("where")
    where = compile_where(where_spec, f"{path}.where")
    kind_default = p.get("kind_default", "suffix")
    if kind_default not in ("suffix", "none"):
        raise QuantityError(f"{path}.kind_default", "应为 suffix（按名称后缀判断）或 none（必须填写）")
    shortfall = p.get("shortfall", None)
    zh = TOWNSHIP_KIND_ZH[unit]

    def kind_of(k: Any) -> TownshipKind | None:
        if k.township_kind is not None:
            return TownshipKind(k.township_kind)
        return township_kind_by_name(k.township) if kind_default == "suffix" else None

    def run(env: Env) -> Outcome:
        try:
            rows = env.data.table(_TABLE)
        except KeyError:
            return Outcome(False, None, message=f"缺少数据：{_TABLE}", missing=[_TABLE])
        fields = {"township", *where_spec}
        if kind_default == "none":
            fields.add("township_kind")
        missing = _absent(env, _TABLE, fields)
        count = count_q(env.ctx())
        missing += count.missing
        if missing:
            return Outcome(False, None, message=f"缺少数据：{'、'.join(missing)}", missing=missing)
        named = [k for k in rows if k.township and k.township.strip()]
        unknown = [k.name for k in named if kind_of(k) is None]
        blank = [k.name for k in rows if k not in named and where(k)]
        prov = Provenance("township_coverage", {"unit": unit.value, "count": count.value,
                                                 "kind_default": kind_default,
                                                 "rows": {"幼儿园": [k.row for k in rows if where(k)]}},
                          list(count.refs))
        if unknown:
            return Outcome(False, None, message=f"缺少数据：{'、'.join(unknown[:5])} 未填“乡镇或街道”",
                           missing=["kindergartens.township_kind"], provenance=prov)
        mine = [k for k in named if kind_of(k) is unit]
        known = sorted({k.township.strip() for k in mine})
        covered = sorted({k.township.strip() for k in mine if where(k)})
        n = int(count.value)  # type: ignore[arg-type]
        prov.inputs.update({"names": known, "covered": covered})
        if len(known) > n:
            return Outcome(False, None, provenance=prov,
                           message=f"工作簿中有 {len(known)} 个不同的{zh}名称（{'、'.join(known[:8])}），"
                                   f"多于县级指标中的{zh}数 {n} 个，请核对名称或{zh}数")
        if n == 0:
            return Outcome(True, True, value=None, threshold=1.0, comparison=">=",
                           message=f"本县无{zh}，本项不适用", provenance=prov)
        ok = len(covered) >= n
        if not ok and blank:  # they might sit in a 乡镇/街道 still lacking one
            return Outcome(False, None, missing=["kindergartens.township"], provenance=prov,
                           message=f"缺少数据：{'、'.join(blank[:5])} 未填所在乡镇（街道），"
                                   f"无法判断 {n - len(covered)} 个{zh}是否有符合要求的幼儿园")
        lacking = [t for t in known if t not in covered]
        unseen = n - len(known)
        message = f"{len(covered)} / {n} 个{zh}达到要求"
        if lacking:
            message += f"；{'、'.join(lacking[:8])} 尚未达到"
        if unseen:
            message += f"；另有 {unseen} 个{zh}在工作簿中没有幼儿园"
        out = Outcome(True, ok, value=len(covered) / n, threshold=1.0, comparison=">=", message=message,
                      provenance=prov)
        s = _shortfall_text(shortfall, n - len(covered))
        if s and not ok:
            out.shortfalls.append(Shortfall("", s[0], s[1], s[2]))
        return out

    return run


@kind("staff_per_class")
def _staff_per_class(params: dict[str, Any], path: str) -> Rule:
    p = _Params(params, path, {"where", "classes", "checks", "min_share", "on_empty"})
    where_spec = p.get("where", None)
    where = compile_where(where_spec, f"{path}.where")
    classes = p.get("classes")
    if not isinstance(classes, dict) or set(classes) != {"table", "key"}:
        raise QuantityError(f"{path}.classes", "应为 {table: 班级表, key: 班级表中的幼儿园编号字段}")
    class_table, class_key = str(classes["table"]), str(classes["key"])
    specs = p.get("checks")
    if not isinstance(specs, list) or not specs:
        raise QuantityError(f"{path}.checks", "应为非空的检查列表")
    checks = []
    for i, spec in enumerate(specs):
        c = _Params(spec, f"{path}.checks[{i}]", {"name", "value", "per_class", "shortfall"})
        checks.append((str(c.get("name")), str(c.get("value")), c.number("per_class"), c.get("shortfall", None)))
    min_share = p.number("min_share", 1.0)
    on_empty = p.get("on_empty", "pass")

    def run(env: Env) -> Outcome:
        tables = {t: env.data.extra_tables.get(t) for t in (_TABLE, class_table)}
        lost = [t for t, v in tables.items() if v is None]
        if lost:
            return Outcome(False, None, message=f"缺少数据：{'、'.join(lost)}", missing=lost)
        rows, class_rows = tables[_TABLE], tables[class_table]
        fields = {v for _, v, _, _ in checks} | set(where_spec or {})
        missing = _absent(env, _TABLE, fields)
        if missing:
            return Outcome(False, None, message=f"缺少数据：{'、'.join(missing)}", missing=missing)
        blanks = [k.name for k in rows if any(read_field(k, f) is None for f in (where_spec or {}))]
        scoped = [k for k in rows if k.name not in blanks and where(k)]
        blanks += [k.name for k in scoped if any(read_field(k, v) is None for _, v, _, _ in checks)]
        if blanks:
            return Outcome(False, None, missing=[f"{_TABLE}.{f}" for f in sorted(fields)],
                           message=f"缺少数据：{'、'.join(blanks[:5])}{' 等' if len(blanks) > 5 else ''}"
                                   f"未填{'、'.join(n for n, _, _, _ in checks)}或是否全日制")
        per_kg = Counter(str(read_field(c, class_key)) for c in class_rows)
        failures: list[dict[str, Any]] = []
        shortfalls: list[Shortfall] = []
        checked = passing = 0
        for k in scoped:
            n = per_kg.get(k.code, 0)
            if n == 0:
                continue
            checked += 1
            ok = True
            for name, field, per, sf in checks:
                have, need = float(read_field(k, field)), per * n
                if env.compare(have, ">=", need):
                    continue
                ok = False
                failures.append({"code": k.code, "name": k.name, "check": name, "classes": n,
                                 "value": have, "threshold": need, "row": k.row})
                s = _shortfall_text(sf, need - have)
                if s:
                    shortfalls.append(Shortfall("", f"{k.name}：{s[0]}", s[1], s[2], school_code=k.code,
                                                school_name=k.name))
            passing += ok
        prov = Provenance("staff_per_class", {"records": checked, "passing": passing, "min_share": min_share,
                                              "per_class": {f: per for _, f, per, _ in checks},
                                              "rows": {"幼儿园": [k.row for k in scoped]}})
        if checked == 0:
            if on_empty == "pass":
                return Outcome(True, True, value=None, threshold=min_share, comparison=">=",
                               message="无全日制幼儿园，本项不适用", provenance=prov)
            return Outcome(False, None, message="无全日制幼儿园，无法评估", provenance=prov)
        share = passing / checked
        passed = env.compare(share, ">=", min_share)
        rule = "、".join(f"{name} {per:g} 名" for name, _, per, _ in checks)
        if failures:
            names = "、".join(dict.fromkeys(f["name"] for f in failures[:5]))
            more = f" 等 {checked - passing} 所" if checked - passing > 5 else ""
            message = (f"{passing}/{checked} 所幼儿园每班配备{rule}；{names}{more}未达到"
                       f"（达到的比例 {_fmt(share * 100, 2)}%，要求不低于 {_fmt(min_share * 100, 2)}%）")
        else:
            message = f"{checked} 所幼儿园均按每班{rule}配备"
        for s in shortfalls:
            s.blocking = not passed
        return Outcome(True, passed, value=share, threshold=min_share, comparison=">=", message=message,
                       provenance=prov, failures=failures, shortfalls=shortfalls)

    return run

"""Formula kinds that check every record of a table (a kindergarten, a class, a school).

``each_record`` runs one or more checks on each record (``value`` or ``value / per``,
scaled, against a threshold that may be a number, a quantity such as a county fact, or
a value per category of the record) and passes when the share of records that pass
all checks reaches ``min_share`` (1.0: every record). Registered in the same registry
as :mod:`junheng.core.formulas`; nothing here knows a particular standard.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from junheng.core.facts import TABLE_SHEETS
from junheng.core.fields import table_fields
from junheng.core.formulas_base import (
    OP_ZH,
    Env,
    Outcome,
    Rule,
    _fmt,
    _Params,
    _shortfall_text,
    kind,
)
from junheng.core.quantity import (
    Compiled,
    QuantityError,
    compile_quantity,
    compile_where,
    read_field,
)
from junheng.core.result import Provenance, Shortfall


@dataclass(slots=True)
class _Check:
    name: str
    value: str  # field of the record
    per: str | None  # field to divide by (children, students)
    scale: float
    op: str
    threshold: Compiled | None  # a quantity (number or county fact) ...
    by: str | None  # ... or a value per category of the record
    by_values: dict[str, float]
    unit: str
    shortfall: dict[str, Any] | None


def _compile_check(spec: Any, table: str, known: frozenset[str], path: str) -> _Check:
    if not isinstance(spec, dict):
        raise QuantityError(path, "每项检查应为映射（name、value、op、threshold …）")
    p = _Params(spec, path, {"name", "value", "per", "scale", "op", "threshold", "unit", "shortfall"})
    fields = {"value": str(p.get("value")), "per": p.get("per", None)}
    for key, name in fields.items():
        if name is not None and name not in known:
            raise QuantityError(f"{path}.{key}", f"表 {table} 没有字段 {name!r}（可用：{'、'.join(sorted(known))}）")
    raw = p.get("threshold")
    threshold, by, by_values = None, None, {}
    if isinstance(raw, dict) and "by" in raw:
        by = str(raw["by"])
        if by not in known:
            raise QuantityError(f"{path}.threshold.by", f"表 {table} 没有字段 {by!r}")
        values = raw.get("values")
        if not isinstance(values, dict) or not values:
            raise QuantityError(f"{path}.threshold.values", "应为“类别: 标准值”的映射")
        try:
            by_values = {str(k): float(v) for k, v in values.items()}
        except (TypeError, ValueError):
            raise QuantityError(f"{path}.threshold.values", "标准值应为数值") from None
    else:
        threshold = compile_quantity(raw, f"{path}.threshold")
    return _Check(
        name=str(p.get("name", fields["value"])), value=fields["value"], per=fields["per"],
        scale=p.number("scale", 1.0), op=p.op(), threshold=threshold, by=by, by_values=by_values,
        unit=str(p.get("unit", "")), shortfall=p.get("shortfall", None),
    )


def _record_label(rec: Any, owners: dict[str, Any], owner_key: str | None) -> tuple[str, str]:
    """(code, Chinese label) of a record: its own name, or its owner's name + its own."""
    own_name = getattr(rec, "name", None) or getattr(rec, "class_name", None) or ""
    code = str(getattr(rec, "code", None) or getattr(rec, owner_key or "", None) or "")
    if owner_key:
        owner = owners.get(getattr(rec, owner_key, None))
        owner_name = getattr(owner, "name", None) or getattr(rec, owner_key, "")
        return code, f"{owner_name} {own_name}".strip()
    return code, str(own_name)


@kind("each_record")
def _each_record(params: dict[str, Any], path: str) -> Rule:
    p = _Params(params, path, {"table", "where", "label", "owner", "checks", "min_share", "on_empty"})
    table = str(p.get("table"))
    known = table_fields(table)
    if known is None:
        raise QuantityError(f"{path}.table", f"未知的数据表 {table!r}")
    where_spec = p.get("where", None)
    for name in (where_spec or {}):
        if name not in known:
            raise QuantityError(f"{path}.where.{name}", f"表 {table} 没有字段 {name!r}")
    where = compile_where(where_spec, f"{path}.where")
    label = str(p.get("label", "记录"))
    owner = p.get("owner", None)
    owner_table = owner_key = None
    if owner is not None:
        if not isinstance(owner, dict) or set(owner) != {"table", "key"}:
            raise QuantityError(f"{path}.owner", "应为 {table: 所属表, key: 本表中的所属编号字段}")
        owner_table, owner_key = str(owner["table"]), str(owner["key"])
        if table_fields(owner_table) is None or owner_key not in known:
            raise QuantityError(f"{path}.owner", f"所属表 {owner_table!r} 或字段 {owner_key!r} 不存在")
    specs = p.get("checks")
    if not isinstance(specs, list) or not specs:
        raise QuantityError(f"{path}.checks", "应为非空的检查列表")
    checks = [_compile_check(c, table, known, f"{path}.checks[{i}]") for i, c in enumerate(specs)]
    min_share = p.number("min_share", 1.0)
    on_empty = p.get("on_empty", "not_evaluable")
    sheet = TABLE_SHEETS.get(table, table)
    used_fields = {c.value for c in checks} | {c.per for c in checks if c.per} | {c.by for c in checks if c.by}
    used_fields |= set(where_spec or {})

    def run(env: Env) -> Outcome:
        absent = sorted(f"{table}.{f}" for f in used_fields if f in env.data.absent_columns.get(table, ()))
        try:
            rows = env.data.table(table)
        except KeyError:
            absent.append(table)
        if absent:
            return Outcome(False, None, message=f"缺少数据：{'、'.join(absent)}", missing=absent,
                           provenance=Provenance("each_record", {"table": table}))
        ctx = env.ctx()
        thresholds: dict[int, float] = {}
        missing: list[str] = []
        for i, c in enumerate(checks):
            if c.threshold is not None:
                q = c.threshold(ctx)
                if q.value is None:
                    missing += q.missing
                else:
                    thresholds[i] = q.value
        if missing:
            return Outcome(False, None, message=f"缺少数据：{'、'.join(sorted(set(missing)))}",
                           missing=sorted(set(missing)), provenance=Provenance("each_record", {"table": table}))
        owners = {}
        if owner_table:
            owners = {getattr(o, "code", None): o for o in env.data.extra_tables.get(owner_table, [])}
        records = [r for r in rows if where(r)]
        failures: list[dict[str, Any]] = []
        shortfalls: list[Shortfall] = []
        skipped: list[str] = []
        passing = 0
        for rec in records:
            code, name = _record_label(rec, owners, owner_key)
            ok, lacking = True, []
            for i, c in enumerate(checks):
                value = read_field(rec, c.value)
                per = read_field(rec, c.per) if c.per else None
                if value is None or (c.per and per is None):
                    missing.append(f"{table}.{c.value if value is None else c.per}")
                    continue
                if c.per and not per:
                    skipped.append(name)
                    continue
                x = float(value) * c.scale / (float(per) if c.per else 1.0)
                th = thresholds[i] if c.by is None else c.by_values.get(str(read_field(rec, c.by)))
                if th is None:
                    continue  # a category without a limit
                if env.compare(x, c.op, th):
                    continue
                ok = False
                failures.append({"code": code, "name": name, "check": c.name, "value": x,
                                 "threshold": th, "op": c.op, "row": getattr(rec, "row", 0)})
                lacking.append((c, th, float(value), float(per) if c.per else None))
            if ok:
                passing += 1
            for c, th, value, per in lacking:
                base = per / c.scale if per is not None else 1.0 / c.scale
                amount = (th * base - value) if c.op in (">=", ">") else (value - th * base)
                s = _shortfall_text(c.shortfall, amount)
                if s:
                    shortfalls.append(Shortfall("", f"{name}：{s[0]}", s[1], s[2], school_code=code or None,
                                                school_name=name))
        if missing:
            keys = sorted(set(missing))
            return Outcome(False, None, message=f"缺少数据：{'、'.join(keys)}", missing=keys,
                           provenance=Provenance("each_record", {"table": table}))
        checked = len(records) - len(set(skipped))
        prov = Provenance("each_record", {"table": table, "records": checked, "passing": passing,
                                          "min_share": min_share, "rows": {sheet: [r.row for r in records]}},
                          note=f"分母为 0 未计入：{'、'.join(sorted(set(skipped)))}" if skipped else None)
        if checked <= 0:
            if on_empty == "pass":
                return Outcome(True, True, value=None, threshold=min_share, comparison=">=",
                               message=f"无符合条件的{label}，本项不适用", provenance=prov)
            return Outcome(False, None, message=f"无符合条件的{label}，无法评估", provenance=prov)
        share = passing / checked
        passed = env.compare(share, ">=", min_share)
        for sf in shortfalls:
            sf.blocking = not passed
        if min_share >= 1.0:
            if failures:
                names = "、".join(dict.fromkeys(f["name"] for f in failures[:5]))
                more = f" 等 {checked - passing} 个" if checked - passing > 5 else ""
                which = "、".join(dict.fromkeys(f["check"] for f in failures))
                message = f"{names}{more}未达到要求（{which}）"
            else:
                message = f"{checked} 个{label}均达到要求"
        else:
            need = max(0, math.ceil(min_share * checked - 1e-9) - passing)
            message = (f"{passing}/{checked} 个{label}达到要求（{_fmt(share * 100, 2)}%），"
                       f"要求{OP_ZH['>=']} {_fmt(min_share * 100, 2)}%")
            if need:
                message += f"，还需 {need} 个{label}达到要求"
        return Outcome(True, passed, value=share, threshold=min_share, comparison=">=", message=message,
                       provenance=prov, failures=failures, shortfalls=shortfalls if failures else [])

    return run


"""What every formula kind shares: the registry (:func:`kind`, :func:`build_rule`), the
:class:`Env` a rule reads, the :class:`Outcome` it gives, parameter checking and the
per-school helpers. The kinds themselves are in :mod:`junheng.core.formulas` and its
``formulas_*`` siblings, which all import this module (never each other).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from junheng.core.facts import (
    CountyData,
    School,
    SchoolType,
    Stage,
)
from junheng.core.quantity import QContext, QuantityError, QValue, TableIndex, compile_quantity
from junheng.core.result import Provenance, Shortfall, display_round


@dataclass(slots=True)
class Env:
    data: CountyData
    index: TableIndex
    settings: dict[str, Any]

    def ctx(self, school: School | None = None, stage: Stage | None = None) -> QContext:
        return QContext(self.data, self.index, self.settings, school, stage)

    def compare(self, value: float, op: str, threshold: float) -> bool:
        return compare(value, op, threshold, self.settings)


def compare(value: float, op: str, threshold: float, settings: dict[str, Any]) -> bool:
    """Compare with the standard's rounding choice and a tiny relative tolerance."""
    digits = settings.get("compare_rounded_digits")
    if digits is not None:
        value = display_round(value, digits)  # type: ignore[assignment]
    slack = settings.get("tolerance", 1e-9) * max(abs(threshold), 1e-12)
    if op == ">=":
        return value >= threshold - slack
    if op == ">":
        return value > threshold + slack
    if op == "<=":
        return value <= threshold + slack
    if op == "<":
        return value < threshold - slack
    if op == "==":
        return abs(value - threshold) <= slack
    raise ValueError(op)


@dataclass(slots=True)
class Outcome:
    evaluable: bool
    passed: bool | None
    value: Any = None
    threshold: Any = None
    comparison: str | None = None
    message: str = ""
    provenance: Provenance | None = None
    failures: list[dict[str, Any]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    shortfalls: list[Shortfall] = field(default_factory=list)


Rule = Callable[[Env], Outcome]
Factory = Callable[[dict[str, Any], str], Rule]
KINDS: dict[str, Factory] = {}
OPS = (">=", ">", "<=", "<", "==")
OP_ZH = {">=": "不低于", ">": "高于", "<=": "不超过", "<": "低于", "==": "等于"}


def kind(name: str) -> Callable[[Factory], Factory]:
    def register(factory: Factory) -> Factory:
        KINDS[name] = factory
        return factory

    return register


def build_rule(kind_name: str, params: dict[str, Any], path: str) -> Rule:
    if kind_name not in KINDS:
        raise QuantityError(f"{path}.kind", f"未知的公式类型 {kind_name!r}（可用：{', '.join(sorted(KINDS))}）")
    if not isinstance(params, dict):
        raise QuantityError(f"{path}.params", "params 应为映射")
    return KINDS[kind_name](params, f"{path}.params")


class _Params:
    """Typed access to a params mapping with key-path errors."""

    def __init__(self, params: dict[str, Any], path: str, allowed: set[str]):
        unknown = set(params) - allowed
        if unknown:
            raise QuantityError(path, f"不允许的参数 {sorted(unknown)}")
        self.p, self.path = params, path

    def get(self, key: str, default: Any = ...) -> Any:
        if key in self.p:
            return self.p[key]
        if default is ...:
            raise QuantityError(f"{self.path}.{key}", "缺少必需的参数")
        return default

    def number(self, key: str, default: Any = ...) -> float:
        v = self.get(key, default)
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise QuantityError(f"{self.path}.{key}", f"应为数值，实际为 {v!r}")
        return float(v)

    def op(self, key: str = "op", default: str = ">=") -> str:
        v = self.get(key, default)
        if v not in OPS:
            raise QuantityError(f"{self.path}.{key}", f"比较运算应为 {OPS} 之一，实际为 {v!r}")
        return v

    def quantity(self, key: str) -> Callable[[QContext], QValue]:
        return compile_quantity(self.get(key), f"{self.path}.{key}")

    def school_types(self, key: str = "school_types") -> frozenset[SchoolType] | None:
        v = self.get(key, None)
        if v is None:
            return None
        try:
            return frozenset(SchoolType(x) for x in v)
        except (ValueError, TypeError) as exc:
            raise QuantityError(f"{self.path}.{key}", f"未知的办学类型：{exc}") from None


def _prov(formula: str, *values: QValue, inputs: dict[str, Any] | None = None, note: str | None = None) -> Provenance:
    prov = Provenance(formula=formula, inputs=dict(inputs or {}), note=note)
    for v in values:
        prov.refs.extend(v.refs)
        for sheet, rows in v.rows.items():
            prov.inputs.setdefault("rows", {}).setdefault(sheet, []).extend(rows)
    return prov


def _missing(kind_name: str, *values: QValue) -> Outcome:
    missing = sorted({m for v in values for m in v.missing})
    return Outcome(
        evaluable=False,
        passed=None,
        message=f"缺少数据：{'、'.join(missing)}",
        missing=missing,
        provenance=_prov(kind_name, *values),
    )


def _fmt(x: Any, digits: int = 3) -> str:
    if isinstance(x, float):
        r = display_round(x, digits)
        return f"{r:g}" if r is not None else "—"
    return str(x)


def _shortfall_text(spec: dict[str, Any] | None, amount: float) -> tuple[str, float, str] | None:
    if not spec or amount <= 0:
        return None
    decimals = int(spec.get("decimals", 0))
    q = math.ceil(amount * 10**decimals - 1e-9) / 10**decimals
    n = f"{q:.{decimals}f}" if decimals else str(int(q))
    return spec["text"].format(n=n), q, spec.get("unit", "")


# --- per school and per class rules --------------------------------------------------


def _schools_in(env: Env, types: frozenset[SchoolType] | None, ownership: Any = None) -> list[School]:
    return [
        s for s in env.data.schools
        if (types is None or s.school_type in types) and (ownership is None or s.ownership in ownership)
    ]


def _school_shortfall(item: str, s: School, text: str, qty: float, unit: str, stage: Stage | None = None) -> Shortfall:
    return Shortfall(item, text, qty, unit, school_code=s.code, school_name=s.name, stage=stage)


def _per_school_outcome(kind_name: str, failures: list[dict[str, Any]], checked: int,
                        threshold: Any, prov: Provenance, shortfalls: list[Shortfall],
                        ok_message: str) -> Outcome:
    if failures:
        names = "、".join(f["school_name"] for f in failures[:5])
        more = f" 等 {len(failures)} 所" if len(failures) > 5 else ""
        return Outcome(True, False, value=len(failures), threshold=threshold,
                       message=f"{names}{more}未达到要求", failures=failures,
                       provenance=prov, shortfalls=shortfalls)
    return Outcome(True, True, value=0, threshold=threshold, message=ok_message.format(n=checked), provenance=prov)

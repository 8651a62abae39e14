"""A small expression language for the inputs of a rule, compiled once per standard.

Quantities in a standard file:

=========================================  =============================================
``85`` / ``{const: 85}``                   a number
``{fact: satisfaction_pct}``               a county fact (县级指标); missing → not evaluable
``{county: basic_balance_year}``           a field of 基本信息
``{count: teachers, where: {...}}``        number of rows
``{sum: schools.teaching_area, split: true, default: 0, where: {...}}``
                                           sum of a field; ``split`` applies a mixed
                                           school's share; ``default`` replaces blanks
``{distinct: kindergartens.township, where: {...}}``
                                           number of different non-blank values
``{add: [q, ...]}``, ``{sub: [q, q]}``, ``{div: [q, q]}``  arithmetic
``{if_setting: indoor_sports, equals: move_to_sports, then: q, else: q}``
=========================================  =============================================

``where`` maps a field to a value (equality), a list (membership) or operators
``{">=": 360}``, ``{in: [...]}``, ``{not_in: [...]}``, ``{contains_any: [体育, 音乐]}``.

Evaluated in a context: the whole county, one school, or one school part (a school in
one stage, with its share of shared resources). In a school or part context, rows of
other tables are limited to that school (and that stage, for tables with a stage).
"""

from __future__ import annotations

import operator
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from itertools import compress
from typing import Any

from junheng.core.facts import TABLE_SHEETS, CountyData, Ref, School, Stage
from junheng.core.fields import TABLE_RECORDS, table_fields


class QuantityError(ValueError):
    """A quantity or where clause in a standard file is malformed."""

    def __init__(self, path: str, message: str):
        super().__init__(f"{path}: {message}")
        self.path = path
        self.detail = message


@dataclass(slots=True)
class QValue:
    value: float | None
    missing: list[str] = field(default_factory=list)
    refs: list[Ref] = field(default_factory=list)
    rows: dict[str, list[int]] = field(default_factory=dict)  # sheet -> Excel rows used

    def merge_sources(self, other: QValue) -> None:
        self.missing.extend(other.missing)
        self.refs.extend(other.refs)
        for sheet, rows in other.rows.items():
            self.rows.setdefault(sheet, []).extend(rows)


class TableIndex:
    """Rows of each table grouped by school and by (school, stage), built once; and the
    verdicts of each ``where`` clause a quantity uses, by the values of the fields it
    reads, for the whole county (see :meth:`matching`)."""

    def __init__(self, data: CountyData):
        self.data = data
        self._by_school: dict[str, dict[str, list[Any]]] = {}
        self._by_school_stage: dict[str, dict[tuple[str, str], list[Any]]] = {}
        self._verdicts: dict[str, dict[Any, bool]] = {}

    def _build(self, table: str) -> None:
        by_school: dict[str, list[Any]] = defaultdict(list)
        by_stage: dict[tuple[str, str], list[Any]] = defaultdict(list)
        for rec in self.data.table(table):
            code = getattr(rec, "school_code", None)
            by_school[code].append(rec)
            stage = getattr(rec, "stage", None)
            if stage is not None:
                by_stage[(code, stage)].append(rec)
        self._by_school[table] = by_school
        self._by_school_stage[table] = by_stage

    def rows(self, table: str, school: School | None, stage: Stage | None) -> list[Any]:
        if table == "schools":
            return [school] if school is not None else self.data.schools
        if school is None:
            return self.data.table(table)
        if table not in self._by_school:
            self._build(table)
        if stage is not None and self._by_school_stage[table]:
            return self._by_school_stage[table].get((school.code, stage), [])
        return self._by_school[table].get(school.code, [])

    def matching(self, table: str, where: _Where, school: School | None, stage: Stage | None) -> list[Any]:
        """``[r for r in self.rows(table, school, stage) if where(r)]``: same rows, same order.

        Tests the clause once per distinct value of the fields it reads (a county has a
        handful of degrees or backbone levels, not 250k teachers) and filters the rows
        with C-level ``map``/``compress`` instead of a Python call per row.
        """
        rows = self.rows(table, school, stage)
        if where.get is None or not rows:
            return list(rows)
        try:
            keys = list(map(where.get, rows))
        except AttributeError:  # a field in ``extra`` (optional template column)
            return list(compress(rows, map(where.test, rows)))
        if where.text_only and not _TEXT_TYPES.issuperset(map(type, keys)):
            return list(compress(rows, map(where.value_test, keys)))
        verdicts = self._verdicts.setdefault(where.key, {})
        try:
            for value in set(keys).difference(verdicts):
                verdicts[value] = where.value_test(value)
        except TypeError:  # an unhashable value
            return list(compress(rows, map(where.value_test, keys)))
        return list(compress(rows, map(verdicts.__getitem__, keys)))


_TEXT_TYPES = frozenset({str, type(None)})


@dataclass(slots=True)
class _Where:
    """A compiled where clause of a quantity: the record predicate, and the same test
    split into a getter of the fields it reads and a test of their values."""

    test: Callable[[Any], bool]
    get: Callable[[Any], Any] | None  # None: no clause, every row matches
    value_test: Callable[[Any], bool]
    # verdicts are cached by value; with ``contains_any``, which tests str(value), only
    # for text values (1, 1.0 and True are one key of a dict but differ there)
    text_only: bool
    key: str

    def __call__(self, rec: Any) -> bool:
        return self.test(rec)


@dataclass(slots=True)
class QContext:
    data: CountyData
    index: TableIndex
    settings: dict[str, Any]  # Settings.model_dump() of the standard
    school: School | None = None
    stage: Stage | None = None
    share: float = 1.0  # share of shared resources for a school part


Compiled = Callable[[QContext], QValue]

_OPS: dict[str, Callable[[Any, Any], bool]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
    "==": operator.eq,
    "!=": operator.ne,
}


def read_field(rec: Any, name: str) -> Any:
    """A record's field, looking into ``extra`` for optional template columns."""
    try:
        return getattr(rec, name)
    except AttributeError:
        extra = getattr(rec, "extra", None)
        if isinstance(extra, dict) and name in extra:
            return extra[name]
        raise


def compile_where(spec: Any, path: str) -> Callable[[Any], bool]:
    if spec is None:
        return lambda rec: True
    if not isinstance(spec, dict) or not spec:
        raise QuantityError(path, "where 应为“字段: 条件”的映射")
    conds = [(str(name), _compile_condition(cond, f"{path}.{name}")) for name, cond in spec.items()]
    fast = _combine([_field_test(operator.attrgetter(name), test) for name, test in conds])
    # Slow path for records whose field sits in ``extra`` (optional template columns).
    slow = _combine([_field_test(partial(_read_or_raise, name=name), test) for name, test in conds])

    def predicate(rec: Any) -> bool:
        try:
            return fast(rec)
        except AttributeError:
            try:
                return slow(rec)
            except AttributeError:  # the record has no such field: it does not match
                return False

    return predicate


def _read_or_raise(rec: Any, name: str) -> Any:
    return read_field(rec, name)


def _combine(tests: list[Callable[[Any], bool]]) -> Callable[[Any], bool]:
    # Specialised for one or two conditions: this runs once per row per rule, the
    # hottest loop of an evaluation (a province has ~250k teacher rows).
    if len(tests) == 1:
        return tests[0]
    if len(tests) == 2:
        t1, t2 = tests
        return lambda rec: t1(rec) and t2(rec)
    return lambda rec: all(t(rec) for t in tests)


def _field_test(get: Callable[[Any], Any], test: Callable[[Any], bool]) -> Callable[[Any], bool]:
    if isinstance(test, _Membership):
        allowed = test.allowed
        return lambda rec: get(rec) in allowed
    return lambda rec: test(get(rec))


class _Membership:
    __slots__ = ("allowed",)

    def __init__(self, allowed: frozenset[Any]):
        self.allowed = allowed

    def __call__(self, value: Any) -> bool:
        return value in self.allowed


def _compile_condition(cond: Any, path: str) -> Callable[[Any], bool]:
    if isinstance(cond, list):
        return _Membership(frozenset(cond))
    if isinstance(cond, dict):
        parts: list[Callable[[Any], bool]] = []
        for op, arg in cond.items():
            if op in _OPS:
                fn, ref = _OPS[op], arg
                parts.append(lambda v, fn=fn, ref=ref: v is not None and fn(v, ref))
            elif op == "in":
                s = frozenset(arg)
                parts.append(lambda v, s=s: v in s)
            elif op == "not_in":
                s = frozenset(arg)
                parts.append(lambda v, s=s: v not in s)
            elif op == "contains_any":
                words = tuple(str(a) for a in arg)
                parts.append(lambda v, words=words: v is not None and any(w in str(v) for w in words))
            else:
                raise QuantityError(path, f"未知的条件运算 {op!r}")
        return lambda v: all(p(v) for p in parts)
    if isinstance(cond, (str, int, float, bool)):
        return _Membership(frozenset([cond]))
    return lambda v: v == cond


def compile_quantity(spec: Any, path: str) -> Compiled:
    """Compile a quantity spec; raises :class:`QuantityError` naming the key path."""
    if isinstance(spec, bool):
        raise QuantityError(path, "数量不能是布尔值")
    if isinstance(spec, (int, float)):
        value = float(spec)
        return lambda ctx: QValue(value)
    if not isinstance(spec, dict):
        raise QuantityError(path, f"无法识别的数量定义 {spec!r}")
    keys = set(spec)
    if keys == {"const"}:
        return compile_quantity(spec["const"], f"{path}.const")
    if keys == {"fact"}:
        return _fact(str(spec["fact"]))
    if keys == {"county"}:
        return _county(str(spec["county"]))
    if "count" in spec:
        _only(spec, {"count", "where"}, path)
        table = str(spec["count"])
        _check_fields(table, (), spec.get("where"), path, "count")
        return _count(table, _indexed_where(spec.get("where"), f"{path}.where"),
                      _where_fields(spec.get("where")))
    if "distinct" in spec:
        _only(spec, {"distinct", "where"}, path)
        table, fname = _table_field(spec, "distinct", path)
        return _distinct(table, fname, _indexed_where(spec.get("where"), f"{path}.where"),
                         (fname, *_where_fields(spec.get("where"))))
    if "sum" in spec:
        _only(spec, {"sum", "where", "split", "default"}, path)
        table, fname = _table_field(spec, "sum", path)
        return _sum(
            table,
            fname,
            _indexed_where(spec.get("where"), f"{path}.where"),
            bool(spec.get("split", False)),
            spec.get("default"),
            # with a default, a blank or absent column counts as the default
            (*(() if spec.get("default") is not None else (fname,)), *_where_fields(spec.get("where"))),
        )
    if keys in ({"add"}, {"sub"}, {"div"}):
        op = next(iter(keys))
        terms = spec[op]
        if not isinstance(terms, list) or not terms or (op != "add" and len(terms) != 2):
            raise QuantityError(f"{path}.{op}", "应为数量列表（sub、div 为两项）")
        parts = [compile_quantity(t, f"{path}.{op}[{i}]") for i, t in enumerate(terms)]
        return _arith(parts, op)
    if "if_setting" in spec:
        _only(spec, {"if_setting", "equals", "then", "else"}, path)
        name, expected = str(spec["if_setting"]), spec.get("equals")
        then = compile_quantity(spec.get("then", 0), f"{path}.then")
        other = compile_quantity(spec.get("else", 0), f"{path}.else")
        return lambda ctx: then(ctx) if ctx.settings.get(name) == expected else other(ctx)
    raise QuantityError(path, f"无法识别的数量定义 {spec!r}")


def _indexed_where(spec: Any, path: str) -> _Where:
    test = compile_where(spec, path)
    names = _where_fields(spec)
    if not names:
        return _Where(test, None, test, False, repr(spec))
    conds = [_compile_condition(spec[name], f"{path}.{name}") for name in names]
    if len(conds) == 1:
        value_test = conds[0]
    else:
        value_test = lambda values: all(c(v) for c, v in zip(conds, values, strict=True))  # noqa: E731
    # a tuple of values (several fields) is never all text: contains_any is then tested per row
    text_only = any(isinstance(c, dict) and "contains_any" in c for c in spec.values())
    return _Where(test, operator.attrgetter(*names), value_test, text_only, repr(spec))


def _table_field(spec: dict[str, Any], key: str, path: str) -> tuple[str, str]:
    table, _, fname = str(spec[key]).partition(".")
    if not fname:
        raise QuantityError(f"{path}.{key}", "应写成“表.字段”，如 schools.teaching_area")
    _check_fields(table, (fname,), spec.get("where"), path, key)
    return table, fname


def _check_fields(table: str, fields: tuple[str, ...], where: Any, path: str, key: str) -> None:
    """Fail on load for a table or field junheng does not have (a typo would otherwise
    count nothing)."""
    known = table_fields(table)
    if known is None:
        raise QuantityError(f"{path}.{key}", f"未知的数据表 {table!r}（可用：{'、'.join(TABLE_RECORDS)}）")
    for name in fields:
        if name not in known:
            raise QuantityError(f"{path}.{key}", f"表 {table} 没有字段 {name!r}（可用：{'、'.join(sorted(known))}）")
    for name in _where_fields(where):
        if name not in known:
            raise QuantityError(f"{path}.where.{name}",
                                f"表 {table} 没有字段 {name!r}（可用：{'、'.join(sorted(known))}）")


def _where_fields(where: Any) -> tuple[str, ...]:
    return tuple(str(k) for k in where) if isinstance(where, dict) else ()


def _absent(ctx: QContext, table: str, fields: tuple[str, ...]) -> list[str]:
    """Fields the workbook's sheet did not have at all (optional template columns)."""
    absent = ctx.data.absent_columns.get(table)
    if not absent:
        return []
    return [f"{table}.{f}" for f in fields if f in absent]


def _only(spec: dict[str, Any], allowed: set[str], path: str) -> None:
    extra = set(spec) - allowed
    if extra:
        raise QuantityError(path, f"不允许的键 {sorted(extra)}")


def _fact(key: str) -> Compiled:
    def run(ctx: QContext) -> QValue:
        ref = ctx.data.fact_refs.get(key)
        refs = [ref] if ref else []
        value = ctx.data.facts.get(key)
        if value is None:
            return QValue(None, missing=[key], refs=refs)
        return QValue(float(value), refs=refs)

    return run


def _county(name: str) -> Compiled:
    def run(ctx: QContext) -> QValue:
        value = getattr(ctx.data.county, name, None)
        ref = ctx.data.fact_refs.get(name)
        refs = [ref] if ref else []
        if value is None:
            return QValue(None, missing=[name], refs=refs)
        return QValue(float(value), refs=refs)

    return run


def _rows(ctx: QContext, table: str, fields: tuple[str, ...]) -> list[Any] | QValue:
    """The rows a count, sum or distinct runs over, or the QValue saying what is missing:
    a column the workbook lacks, or a whole table (an optional sheet left out)."""
    absent = _absent(ctx, table, fields)
    if absent:
        return QValue(None, missing=absent)
    try:
        return ctx.index.rows(table, ctx.school, ctx.stage)
    except KeyError:
        return QValue(None, missing=[table])


def _matching(ctx: QContext, table: str, fields: tuple[str, ...], where: _Where) -> list[Any] | QValue:
    """Like :func:`_rows`, only the rows the where clause matches (from the index)."""
    absent = _absent(ctx, table, fields)
    if absent:
        return QValue(None, missing=absent)
    try:
        return ctx.index.matching(table, where, ctx.school, ctx.stage)
    except KeyError:
        return QValue(None, missing=[table])


def _count(table: str, where: _Where, fields: tuple[str, ...]) -> Compiled:
    sheet = TABLE_SHEETS.get(table, table)

    def run(ctx: QContext) -> QValue:
        rows = _matching(ctx, table, fields, where)
        if isinstance(rows, QValue):
            return rows
        return QValue(float(len(rows)), rows={sheet: [r.row for r in rows]})

    return run


def _sum(
    table: str, fname: str, where: _Where, split: bool, default: Any,
    fields: tuple[str, ...],
) -> Compiled:
    sheet = TABLE_SHEETS.get(table, table)

    def run(ctx: QContext) -> QValue:
        rows = _rows(ctx, table, fields)
        if isinstance(rows, QValue):
            return rows
        matched = ctx.index.matching(table, where, ctx.school, ctx.stage)
        total = 0.0
        out = QValue(0.0)
        for rec in matched:
            try:
                v = read_field(rec, fname)
            except AttributeError:
                if default is None:
                    return QValue(None, missing=[f"{table}.{fname}"])
                v = None
            if v is None:
                if default is None:
                    out.missing.append(f"{table}.{fname}")
                    continue
                v = default
            total += float(v)
            if len(rows) <= 1:
                out.refs.append(ctx.data.ref(table, rec.row, fname))
            else:
                out.rows.setdefault(sheet, []).append(rec.row)
        if out.missing:
            out.value = None
            return out
        if split and table == "schools":
            total *= ctx.share
        out.value = total
        return out

    return run


def _distinct(table: str, fname: str, where: _Where, fields: tuple[str, ...]) -> Compiled:
    """Number of different non-blank values of a field, e.g. townships that have a
    public central kindergarten."""
    sheet = TABLE_SHEETS.get(table, table)

    def run(ctx: QContext) -> QValue:
        used = _matching(ctx, table, fields, where)
        if isinstance(used, QValue):
            return used
        values = {read_field(r, fname) for r in used} - {None, ""}
        return QValue(float(len(values)), rows={sheet: [r.row for r in used]})

    return run


def _arith(parts: list[Compiled], op: str) -> Compiled:
    def run(ctx: QContext) -> QValue:
        values = [p(ctx) for p in parts]
        out = QValue(None)
        for v in values:
            out.merge_sources(v)
        if any(v.value is None for v in values):
            return out
        if op == "add":
            out.value = sum(v.value for v in values)  # type: ignore[misc]
        elif op == "div":
            if values[1].value == 0:
                out.missing.append("除数为 0")
                return out
            out.value = values[0].value / values[1].value  # type: ignore[operator]
        else:
            out.value = values[0].value - values[1].value  # type: ignore[operator]
        return out

    return run

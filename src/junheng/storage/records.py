"""Typed records of CountyData.extra_tables (kindergartens, ...) ⇄ JSON.

A table of dataclass records is kept as ``{"type": "module:Class", "rows": [...]}``
with enum members as their values; a table of plain dicts as ``{"rows": [...]}``.
Only classes under ``junheng.`` are ever imported back.
"""

from __future__ import annotations

import dataclasses
import enum
import importlib
import types
import typing
from functools import cache
from typing import Any


def encode_tables(tables: dict[str, list[Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, rows in tables.items():
        cls = type(rows[0]) if rows else None
        if cls is not None and dataclasses.is_dataclass(cls):
            out[name] = {"type": f"{cls.__module__}:{cls.__qualname__}",
                         "rows": [_encode_record(r) for r in rows]}
        else:
            out[name] = {"rows": rows}
    return out


def decode_tables(stored: dict[str, Any]) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for name, table in stored.items():
        kind = table.get("type")
        if kind is None:
            out[name] = table["rows"]
            continue
        cls = _record_class(kind)
        enums = _enum_fields(cls)
        out[name] = [
            cls(**{k: (enums[k](v) if k in enums and v is not None else v) for k, v in row.items()})
            for row in table["rows"]
        ]
    return out


def _encode_record(record: Any) -> dict[str, Any]:
    return {
        f.name: (v.value if isinstance(v := getattr(record, f.name), enum.Enum) else v)
        for f in dataclasses.fields(record)
    }


@cache
def _record_class(kind: str) -> type:
    module, _, qualname = kind.partition(":")
    if not module.startswith("junheng."):
        raise ValueError(f"refusing to load record type {kind!r}")
    obj: Any = importlib.import_module(module)
    for part in qualname.split("."):
        obj = getattr(obj, part)
    return obj


@cache
def _enum_fields(cls: type) -> dict[str, type[enum.Enum]]:
    """Fields whose type is an Enum (or an optional Enum), by name."""
    out = {}
    for name, hint in typing.get_type_hints(cls).items():
        options = typing.get_args(hint) if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union else (hint,)
        for option in options:
            if isinstance(option, type) and issubclass(option, enum.Enum):
                out[name] = option
    return out

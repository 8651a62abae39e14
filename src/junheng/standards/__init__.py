"""Standards as data: one YAML file per official document, validated on load.

``load_standard("yzjh-2017")`` loads a shipped standard; a path loads a user's own
file (for example a province that raises a threshold). A malformed file raises
:class:`~junheng.core.errors.StandardError` naming the file and the key path.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from junheng.core.engine import prepare
from junheng.core.errors import StandardError
from junheng.core.quantity import QuantityError
from junheng.core.standard import Standard
from junheng.core.yamltext import load_yaml
from junheng.standards.location import first_duplicate_key, join_key_path, line_of

DEFAULT_STANDARD = "yzjh-2017"


def shipped_standards() -> list[str]:
    """Ids of the standards that come with junheng."""
    files = resources.files(__name__)
    return sorted(p.name[:-5] for p in files.iterdir() if p.name.endswith(".yaml"))


def load_standard(name_or_path: str | Path | None = None) -> Standard:
    """A shipped standard by id, or a user's standard file by path."""
    name = str(name_or_path or DEFAULT_STANDARD)
    if name in shipped_standards():
        return _load_shipped(name)
    text, origin = standard_text(name)
    return parse_standard(text, origin)


def is_shipped(standard: Standard) -> bool:
    """Whether ``standard`` is one that comes with junheng, unchanged (not a user's file)."""
    return standard.id in shipped_standards() and _load_shipped(standard.id) == standard


def standard_text(name_or_path: str | Path) -> tuple[str, str]:
    """The YAML text of a shipped standard (by id) or of a file, and its display name."""
    name = str(name_or_path)
    if name in shipped_standards():
        return resources.files(__name__).joinpath(f"{name}.yaml").read_text("utf-8"), f"{name}.yaml"
    path = Path(name)
    if not path.exists():
        raise StandardError(name, "", f"找不到该标准文件；内置标准有：{'、'.join(shipped_standards())}")
    try:
        return path.read_text(encoding="utf-8"), path.name
    except (OSError, UnicodeDecodeError) as exc:
        raise StandardError(path.name, "", f"无法读取（{exc}）") from None


@lru_cache(maxsize=16)
def _load_shipped(name: str) -> Standard:
    return parse_standard(*standard_text(name))


_TOP_KEY = r"^{key}:[ \t]*[^\n]*\n"


def derive_text(text: str, new_id: str, based_on: str, header: str) -> str:
    """A user's editable copy of a standard's YAML text: the comments and layout are
    kept, ``id`` is replaced, ``based_on`` records the origin, ``header`` (comment
    lines) goes on top."""
    if not re.fullmatch(r"[^\s:#'\"{}\[\],&*!|>%@`?-][^\s:#'\"{}\[\],&*!|>%@`]*", new_id):
        raise StandardError(new_id, "id", "编号不能含空格和 : # ' \" { } [ ] , & * ! | > % @ ` 等符号")
    body = re.sub(_TOP_KEY.format(key="based_on"), "", text, flags=re.M)
    line = f"id: {new_id}\nbased_on: {based_on}\n"
    body, n = re.subn(_TOP_KEY.format(key="id"), lambda m: line, body, count=1, flags=re.M)
    if n == 0:
        body = line + body
    comment = "".join(f"# {ln}\n" if ln else "#\n" for ln in header.splitlines())
    return comment + body


def parse_standard(text: str, origin: str) -> Standard:
    try:
        raw = load_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第 {mark.line + 1} 行" if mark else ""
        raise StandardError(origin, where, f"YAML 格式错误：{getattr(exc, 'problem', exc)}") from None
    if not isinstance(raw, dict):
        raise StandardError(origin, "", "文件内容应为映射（键: 值）", 1)
    duplicate = first_duplicate_key(text)
    if duplicate:
        raise StandardError(origin, duplicate[0], "同一层中这个键写了两次，请删去其中一个", duplicate[1])
    try:
        standard = Standard.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        path = _key_path(err)
        raise StandardError(origin, path, _zh(err), line_of(text, path)) from None
    try:
        prepare(standard)  # compile every quantity and rule now, so errors surface on load
    except QuantityError as exc:
        raise StandardError(origin, exc.path, exc.detail, line_of(text, exc.path)) from None
    return standard


def _key_path(err: Any) -> str:
    """pydantic's location, plus the inner path a model validator names (see
    :func:`junheng.core.standard.invalid`)."""
    base = join_key_path(err["loc"])
    inner = (err.get("ctx") or {}).get("path") if err.get("type") == "standard" else None
    if not inner:
        return base
    if not base:
        return inner
    return base + (inner if inner.startswith("[") else f".{inner}")


def _zh(err: dict[str, Any]) -> str:
    kind, msg = err.get("type", ""), err.get("msg", "")
    if kind == "standard":
        return msg
    if kind == "missing":
        return "缺少必需的键"
    if kind == "extra_forbidden":
        return "不认识的键（拼写错误？）"
    if kind in ("float_parsing", "float_type", "int_parsing", "int_type"):
        return f"应为数值，实际为 {err.get('input')!r}"
    if kind == "enum":
        return f"取值 {err.get('input')!r} 不在允许范围内（{err.get('ctx', {}).get('expected', '')}）"
    if kind == "literal_error":
        return f"取值 {err.get('input')!r} 不在允许范围内（{err.get('ctx', {}).get('expected', '')}）"
    if kind in ("dict_type", "model_type", "mapping_type"):
        return f"应为映射（键: 值），实际为 {err.get('input')!r}"
    if kind in ("list_type", "tuple_type"):
        return f"应为列表，实际为 {err.get('input')!r}"
    if kind in ("string_type",):
        return f"应为文字，实际为 {err.get('input')!r}"
    if kind in ("bool_type", "bool_parsing"):
        return f"应为 true 或 false，实际为 {err.get('input')!r}"
    if kind == "value_error":
        return f"{msg.removeprefix('Value error, ')}（值：{err.get('input')!r}）"
    return f"{msg}（值：{err.get('input')!r}）"

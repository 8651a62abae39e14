"""Standards as data: one YAML file per official document, validated on load.

``load_standard("yzjh-2017")`` loads a shipped standard; a path loads a user's own
file (for example a province that raises a threshold). A malformed file raises
:class:`~junheng.core.errors.StandardError` naming the file and the key path.
"""

from __future__ import annotations

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
    path = Path(name)
    if not path.exists():
        raise StandardError(name, "", f"找不到该标准文件；内置标准有：{'、'.join(shipped_standards())}")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise StandardError(path.name, "", f"无法读取（{exc}）") from None
    return parse_standard(text, path.name)


@lru_cache(maxsize=16)
def _load_shipped(name: str) -> Standard:
    text = resources.files(__name__).joinpath(f"{name}.yaml").read_text("utf-8")
    return parse_standard(text, f"{name}.yaml")


def parse_standard(text: str, origin: str) -> Standard:
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第 {mark.line + 1} 行" if mark else ""
        raise StandardError(origin, where, f"YAML 格式错误：{getattr(exc, 'problem', exc)}") from None
    if not isinstance(raw, dict):
        raise StandardError(origin, "", "文件内容应为映射（键: 值）")
    try:
        standard = Standard.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise StandardError(origin, _key_path(err["loc"]), _zh(err)) from None
    try:
        prepare(standard)  # compile every quantity and rule now, so errors surface on load
    except QuantityError as exc:
        raise StandardError(origin, exc.path, exc.detail) from None
    return standard


def _key_path(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _zh(err: dict[str, Any]) -> str:
    kind, msg = err.get("type", ""), err.get("msg", "")
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
    return f"{msg}（值：{err.get('input')!r}）"

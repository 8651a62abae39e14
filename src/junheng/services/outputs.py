"""Checks shared by the use cases that write a file for the user (workbooks, reports)."""

from __future__ import annotations

from pathlib import Path

from junheng.core.errors import JunhengError


def check_writable(path: Path, *, overwrite: bool, error: type[JunhengError]) -> Path:
    """``path`` if a new file may be written there, else ``error`` saying why not (Chinese)."""
    if path.is_dir():
        raise error(f"这是一个文件夹，不是文件：{path}")
    if path.exists() and not overwrite:
        raise error(f"文件已存在：{path}。如需覆盖，请加参数 --force")
    if not path.parent.exists():
        raise error(f"文件夹不存在：{path.parent}")
    return path

"""Checks shared by the use cases that write a file for the user (workbooks, reports)."""

from __future__ import annotations

import errno
from collections.abc import Callable
from pathlib import Path

from junheng.core.errors import JunhengError

# What a failed write means to a user, by errno.
OS_REASONS = {
    errno.EACCES: "没有写入权限（文件是否正在 Excel 中打开？）",
    errno.EPERM: "没有写入权限（文件是否正在 Excel 中打开？）",
    errno.ENOENT: "文件夹不存在",
    errno.ENOTDIR: "路径中有一部分不是文件夹",
    errno.ENOSPC: "磁盘空间不足",
    errno.EROFS: "磁盘是只读的",
    errno.ENAMETOOLONG: "文件名太长",
}


def os_reason(exc: OSError) -> str:
    return OS_REASONS.get(exc.errno or 0, exc.strerror or str(exc))


def check_writable(path: Path, *, overwrite: bool, error: type[JunhengError]) -> Path:
    """``path`` if a new file may be written there, else ``error`` saying why not (Chinese)."""
    if path.is_dir():
        raise error(f"这是一个文件夹，不是文件：{path}")
    if path.exists() and not overwrite:
        raise error(f"文件已存在：{path}。如需覆盖，请加参数 --force")
    if not path.parent.exists():
        raise error(f"文件夹不存在：{path.parent}")
    return path


def write_atomically(path: Path, write: Callable[[Path], object], *, error: type[JunhengError]) -> Path:
    """Let ``write`` fill a hidden temporary file next to ``path``, then rename it: the
    user sees the whole file or none (an old file stays as it was until the rename)."""
    tmp = path.with_name(f".{path.stem}.tmp{path.suffix}")
    try:
        write(tmp)
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise error(f"无法写入文件 {path}：{os_reason(exc)}") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


class WorkbookOutputError(JunhengError):
    """An analysis's --out workbook cannot be written as asked (type, exists, folder)."""

    code = "workbook-output"
    exit_code = 2


def check_workbook_output(path: str | Path, *, overwrite: bool = False) -> Path:
    """``path`` if an .xlsx workbook may be written there, else a Chinese error."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise WorkbookOutputError(f"输出文件须以 .xlsx 结尾（Excel 工作簿）：{path}")
    return check_writable(path, overwrite=overwrite, error=WorkbookOutputError)


def write_workbook_output(path: str | Path, write: Callable[[Path], object], *, overwrite: bool = False) -> Path:
    """Check ``path`` and let ``write`` fill it atomically: the whole file or none."""
    return write_atomically(check_workbook_output(path, overwrite=overwrite), write, error=WorkbookOutputError)


def configure_places(places: dict[str, int] | None) -> None:
    """Decimal places per kind of figure for every output (Settings.places, JUNHENG_PLACES)."""
    from junheng.reports import numbers

    numbers.configure(places)

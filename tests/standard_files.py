"""Editable copies of yzjh-2017 for tests of a county's own standard (`junheng
standard new`, then one line changed): a raised threshold, or a broken value."""

from __future__ import annotations

from pathlib import Path

from junheng.services.standards import new_standard

R1_LINE = "thresholds: {primary: 4.2, junior: 5.3}"  # 高学历教师 (R1), resource.indicators[0]


def edited_copy(path: Path, old: str, new: str) -> Path:
    """A copy of yzjh-2017 at ``path`` (id: the file's name) with ``old`` replaced once."""
    if not path.exists():
        new_standard("yzjh-2017", path)
    text = path.read_text("utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), "utf-8")
    return path


def raised_r1(path: Path, value: float = 400) -> Path:
    """R1 for primary schools at a line no school of the fixtures reaches (below the
    85 % floor: every school fails it)."""
    return edited_copy(path, R1_LINE, R1_LINE.replace("4.2", f"{value:g}"))


def broken_r1(path: Path) -> tuple[Path, int]:
    """A copy whose R1 threshold is not a number; (path, the line of the error)."""
    edited_copy(path, R1_LINE, R1_LINE.replace("4.2", "四点二"))
    line = next(i for i, ln in enumerate(path.read_text("utf-8").splitlines(), 1) if "四点二" in ln)
    return path, line


BROKEN_KEY = "resource.indicators[0].thresholds.primary"

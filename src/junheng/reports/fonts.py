"""The CJK fonts reports embed: Noto Sans/Serif CJK SC from Debian's fonts-noto-cjk.

Found through fontconfig (the same lookup WeasyPrint's Pango does), with Debian's
known paths as a fallback when ``fc-match`` is missing.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
from pathlib import Path

from junheng.core.errors import ReportError

SANS = "Noto Sans CJK SC"  # 黑体-like: headings, tables, charts
SERIF = "Noto Serif CJK SC"  # 宋体-like: body text

_DEBIAN = {
    SANS: Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    SERIF: Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"),
}

INSTALL_HINT = "请以管理员身份运行 scripts/setup-system.d/30-report-fonts.sh（安装 fonts-noto-cjk）"


@functools.cache
def font_file(family: str) -> Path:
    """The file holding ``family``; ReportError (Chinese) when it is not installed."""
    if shutil.which("fc-match"):
        out = subprocess.run(
            ["fc-match", "-f", "%{family}\t%{file}", family],
            capture_output=True, text=True, check=False,
        ).stdout
        families, _, file = out.partition("\t")
        # fc-match always answers; a different family means ours is missing.
        if family in families.split(",") and file and Path(file).exists():
            return Path(file)
    known = _DEBIAN.get(family)
    if known and known.exists():
        return known
    raise ReportError(f"未找到生成报告所需的中文字体「{family}」。{INSTALL_HINT}")

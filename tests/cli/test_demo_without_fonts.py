"""scripts/demo on a machine without any system font (a bureau's locked-down server, a
clean container): the system font folders are hidden in a private mount namespace, so
the reports can only use the fonts pip installed with junheng.

Needs root (for ``unshare -m`` and ``mount --bind``); skipped elsewhere.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FONT_FOLDERS = ("/usr/share/fonts", "/usr/local/share/fonts", "/var/cache/fontconfig",
                str(Path.home() / ".fonts"), str(Path.home() / ".local/share/fonts"))

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(os.name != "posix" or os.geteuid() != 0 or not shutil.which("unshare"),
                       reason="needs root and unshare(1) to hide the system fonts"),
]


def test_the_demo_writes_pdfs_with_embedded_chinese_fonts_without_system_fonts(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    out = tmp_path / "out"
    hide = " && ".join(f"mount --bind {shlex.quote(str(empty))} {shlex.quote(f)}"
                       for f in FONT_FOLDERS if Path(f).is_dir())
    check = "test -z \"$(ls -A /usr/share/fonts)\""
    script = f"{hide} && {check} && {shlex.quote(str(ROOT / 'scripts' / 'demo'))} {shlex.quote(str(out))}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("JUNHENG_")}
    env |= {"JUNHENG_DEMO_PYTHON": sys.executable, "PYTHONPATH": str(ROOT / "src"),
            "JUNHENG_DATA_DIR": str(tmp_path / "own-data"),
            # a fresh matplotlib font cache, as on a new machine
            "MPLCONFIGDIR": str(tmp_path / "mpl"), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    done = subprocess.run(["unshare", "-m", "--propagation", "private", "sh", "-c", script], env=env,
                          capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "missing from font" not in done.stderr  # the charts found a CJK font too
    for name in ("自评报告.pdf", "年度答卷.pdf"):
        pdf = out / name
        assert pdf.stat().st_size > 10_000, name
        fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
        rows = [line.split() for line in fonts.splitlines()[2:]]
        assert rows and all(r[-5:-3] == ["yes", "yes"] for r in rows), fonts  # embedded subsets
        # Only the fonts junheng installs were there to use: Noto Serif SC / Noto Sans SC.
        assert any("NotoSerifSC" in r[0] for r in rows) and any("NotoSansSC" in r[0] for r in rows), fonts
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert "示例县" in text and ("自评报告" in text or "年度答卷" in text)
        assert "\ufffd" not in text
    assert (out / "自评报告.docx").stat().st_size > 0

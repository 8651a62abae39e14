"""Which fonts a report uses: the 公文 fonts where present, the bureau's own, the system's
CJK fonts, and the fonts pip installs as the last resort."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from fontTools import subset
from fontTools.ttLib import TTFont

from junheng.core.errors import ReportError
from junheng.reports.documents.document import Document, Paragraph
from junheng.reports.fonts import (
    SETTING,
    Face,
    bundled_folder,
    choose,
    own_font_paths,
    report_fonts,
)
from junheng.reports.renderers.pdf import render_pdf

BUNDLED = bundled_folder()


def face(family: str, path: str = "/fonts/x.ttf", bundled: bool = False) -> Face:
    return Face(family, Path(path), bundled=bundled)


NOTO = [face("Noto Serif SC", "/b/NotoSerifSC-Regular.otf", True),
        face("Noto Sans SC", "/b/NotoSansSC-Regular.otf", True)]


def test_a_windows_pc_gets_its_gongwen_fonts():
    windows = [face("SimSun", "C:/Windows/Fonts/simsun.ttc"), face("FangSong", "C:/Windows/Fonts/simfang.ttf"),
               face("KaiTi", "C:/Windows/Fonts/simkai.ttf"), face("SimHei", "C:/Windows/Fonts/simhei.ttf"),
               face("Microsoft YaHei", "C:/Windows/Fonts/msyh.ttc"), *NOTO]
    fonts = choose(windows)
    assert (fonts.body.family, fonts.kaiti.family, fonts.heiti.family) == ("FangSong", "KaiTi", "SimHei")
    assert fonts.body.official and fonts.kaiti.official and fonts.heiti.official
    # No 方正小标宋简体 on this PC: the title takes the system's 宋体, not a 公文 font.
    assert fonts.title.family == "SimSun" and not fonts.title.official


def test_the_gb2312_faces_and_the_fangzheng_title_win_when_installed():
    faces = [face("仿宋"), face("仿宋_GB2312"), face("楷体"), face("楷体_GB2312"), face("方正小标宋简体"), *NOTO]
    fonts = choose(faces)
    assert (fonts.title.family, fonts.body.family, fonts.kaiti.family) == ("方正小标宋简体", "仿宋_GB2312", "楷体_GB2312")


def test_a_mac_and_a_linux_server_use_their_cjk_fonts():
    mac = choose([face("Songti SC"), face("PingFang SC"), face("STKaiti"), *NOTO])
    assert (mac.body.family, mac.heiti.family, mac.kaiti.family) == ("Songti SC", "PingFang SC", "STKaiti")
    linux = choose([face("WenQuanYi Micro Hei"), *NOTO])
    # No serif CJK face on the system: the bundled Noto Serif SC is better for body text.
    assert linux.body.family == "Noto Serif SC" and linux.heiti.family == "WenQuanYi Micro Hei"


def test_no_system_font_leaves_the_bundled_noto_faces():
    fonts = choose(NOTO)
    assert {f.family for f in (fonts.title, fonts.body, fonts.kaiti)} == {"Noto Serif SC"}
    assert fonts.heiti.family == fonts.sans.family == "Noto Sans SC"
    assert all(f.bundled for f in fonts.faces().values())


def test_without_any_cjk_font_the_message_says_what_to_do():
    with pytest.raises(ReportError) as err:
        choose([face("DejaVu Sans")])
    assert SETTING in err.value.message and "未找到" in err.value.message


def test_the_bureaus_own_font_comes_before_the_systems():
    own = Path("/own/hkst.ttf")
    fonts = choose([face("Noto Serif CJK SC"), face("华康宋体", str(own)), face("黑体"), *NOTO], {own})
    assert fonts.body.family == "华康宋体" and fonts.heiti.family == "黑体"  # a 公文 font still wins its role


def test_a_wrong_setting_is_named(tmp_path):
    with pytest.raises(ReportError, match="不存在"):
        own_font_paths(str(tmp_path / "nowhere"))
    (tmp_path / "readme.txt").write_text("x")
    with pytest.raises(ReportError, match="不是字体文件"):
        own_font_paths(str(tmp_path / "readme.txt"))
    assert own_font_paths(f"{tmp_path}{os.pathsep}") == [tmp_path]


def gongwen_font(folder: Path) -> Path:
    """A real font file named 仿宋_GB2312: the bundled sans, cut to a few characters and renamed."""
    font = TTFont(str(BUNDLED / "NotoSansSC-Regular.otf"))
    opts = subset.Options()
    opts.name_IDs, opts.name_languages, opts.notdef_outline = ["*"], ["*"], True
    sub = subset.Subsetter(opts)
    sub.populate(text="本县自评报告正文基本情况一、。")
    sub.subset(font)
    for rec in font["name"].names:
        if rec.nameID in (1, 4, 16):
            rec.string = "仿宋_GB2312"
        elif rec.nameID == 6:
            rec.string = "FangSong_GB2312"
    path = folder / "fs_gb2312.otf"
    font.save(str(path))
    return path


def test_a_font_folder_of_the_bureau_is_used_and_embedded(tmp_path, monkeypatch):
    folder = tmp_path / "字体"
    folder.mkdir()
    gongwen_font(folder)
    monkeypatch.setenv(SETTING, str(folder))
    fonts = report_fonts()
    assert fonts.body.family == "仿宋_GB2312" and fonts.body.official
    doc = Document("本县自评报告")
    doc.chapter("基本情况").add(Paragraph("本县自评报告正文。㎡ 与 ✓ 不在这个字体里。"))
    path = tmp_path / "own.pdf"
    render_pdf(doc, path)
    listed = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert "FangSong_GB2312" in listed
    # Characters the bureau's font lacks come from the bundled Noto face, not as boxes.
    assert "NotoSerifSC" in listed or "NotoSansSC" in listed
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "本县自评报告正文" in text and "✓" in text and "㎡" in text

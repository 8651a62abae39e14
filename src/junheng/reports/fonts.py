"""Which CJK fonts the reports use, on any machine, without root.

GB/T 9704 names the fonts of an official document: 方正小标宋简体 for the title,
仿宋_GB2312 for the body, 黑体 and 楷体_GB2312 for the first two heading levels. A
bureau's Windows PC usually has 仿宋/黑体/楷体 (C:\\Windows\\Fonts) and often the
方正 title font; a Linux server or a clean container may have no Chinese font at all.

So each role takes the first font found of, in order:

1. the 公文 font of the role (Chinese or English family name, any platform), among
   the bureau's own font files (``JUNHENG_REPORT_FONTS``) and the system's;
2. a font of the bureau's own files that is not one of the 公文 fonts (they chose it);
3. a common CJK font of the system (Noto/Source Han CJK, 宋体/SimSun, 微软雅黑,
   macOS 宋体/苹方, WenQuanYi …), serif for body roles and sans for 黑体 roles;
4. Noto Serif SC / Noto Sans SC from the pinned Python package ``pylopdf-fonts-zh-cn``
   (SIL Open Font License 1.1), which pip installs on every platform.

The system's fonts are listed by typst's own font search (the Windows and macOS font
folders, the fontconfig folders on Linux), so what is chosen here is exactly what the
PDF renderer can load; charts (matplotlib) get the same files. Word files do not embed
fonts and keep naming the 公文 fonts (see ``docx.py``).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from junheng.core.errors import ReportError

SETTING = "JUNHENG_REPORT_FONTS"
FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")

# 公文 fonts of each role, as Windows, macOS and the 方正 installers name them.
TITLE_NAMES = ("方正小标宋简体", "方正小标宋_GBK", "FZXiaoBiaoSong-B05S", "FZXiaoBiaoSong-B05",
               "FZXBSJW--GB1-0", "华文中宋", "STZhongsong")
FANGSONG_NAMES = ("仿宋_GB2312", "FangSong_GB2312", "仿宋", "FangSong", "华文仿宋", "STFangsong",
                  "方正仿宋简体", "FZFangSong-Z02S")
HEITI_NAMES = ("黑体", "SimHei", "方正黑体简体", "FZHei-B01S", "华文黑体", "STHeiti", "Heiti SC")
KAITI_NAMES = ("楷体_GB2312", "KaiTi_GB2312", "楷体", "KaiTi", "华文楷体", "STKaiti", "Kaiti SC",
               "方正楷体简体", "FZKai-Z03S")
# Common CJK faces of the systems, best first.
SERIF_NAMES = ("Noto Serif CJK SC", "Source Han Serif SC", "Source Han Serif CN", "思源宋体",
               "宋体", "SimSun", "NSimSun", "新宋体", "Songti SC", "STSong", "华文宋体",
               "AR PL UMing CN", "FandolSong")
SANS_NAMES = ("Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN", "思源黑体",
              "微软雅黑", "Microsoft YaHei", "PingFang SC", "苹方-简", "Hiragino Sans GB",
              "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "文泉驿微米黑", "文泉驿正黑",
              "Droid Sans Fallback", "AR PL UKai CN")
# Installed with junheng by pip (pylopdf-fonts-zh-cn, OFL-1.1).
BUNDLED_SERIF = "Noto Serif SC"
BUNDLED_SANS = "Noto Sans SC"

HINT = (f"可以把字体文件（.ttf/.otf/.ttc）所在的文件夹写入环境变量 {SETTING}，"
        "或重新安装 junheng（pip 会安装随附的思源字体 pylopdf-fonts-zh-cn）")


@dataclass(frozen=True, slots=True)
class Face:
    family: str  # as typst names it
    path: Path
    index: int = 0  # face in a collection (.ttc)
    official: bool = False  # the 公文 font of its role
    bundled: bool = False


@dataclass(frozen=True, slots=True)
class ReportFonts:
    """The face of each role and the folders/files the PDF renderer must be given."""

    title: Face  # 方正小标宋简体
    body: Face  # 仿宋_GB2312: body text, level-3/4 headings, tables
    heiti: Face  # 黑体: level-1 headings, table captions
    kaiti: Face  # 楷体_GB2312: level-2 headings, notes
    sans: Face  # charts
    font_paths: tuple[Path, ...]  # bundled folder and the bureau's own files/folders

    def faces(self) -> dict[str, Face]:
        return {"title": self.title, "body": self.body, "heiti": self.heiti,
                "kaiti": self.kaiti, "sans": self.sans}


def bundled_folder() -> Path | None:
    try:
        import pylopdf_fonts_zh_cn
    except ImportError:
        return None
    folder = Path(pylopdf_fonts_zh_cn.serif_path()).parent
    return folder if folder.is_dir() else None


def own_font_paths(value: str | None = None) -> list[Path]:
    """The bureau's font files and folders from ``JUNHENG_REPORT_FONTS`` (os.pathsep-separated)."""
    value = os.environ.get(SETTING, "") if value is None else value
    paths = []
    for part in value.split(os.pathsep):
        part = part.strip().strip('"')
        if not part:
            continue
        p = Path(part).expanduser()
        if not p.exists():
            raise ReportError(f"{SETTING} 中的字体路径「{part}」不存在")
        if p.is_file() and p.suffix.lower() not in FONT_SUFFIXES:
            raise ReportError(f"{SETTING} 中的「{part}」不是字体文件（应为 .ttf、.otf 或 .ttc）")
        paths.append(p)
    return paths


def _font_files(paths: Iterable[Path]) -> set[Path]:
    files: set[Path] = set()
    for p in paths:
        if p.is_dir():
            files.update(f.resolve() for f in p.rglob("*") if f.suffix.lower() in FONT_SUFFIXES)
        else:
            files.add(p.resolve())
    return files


def _norm(name: str) -> str:
    return name.replace(" ", "").replace("-", "").replace("_", "").casefold()


def choose(available: Sequence[Face], own: set[Path] | None = None) -> ReportFonts:
    """Pick a face per role from ``available`` (typst's view of the fonts); pure, for tests."""
    own = own or set()
    by_name: dict[str, Face] = {}
    for f in available:
        by_name.setdefault(_norm(f.family), f)
    own_faces = [f for f in available if f.path.resolve() in own] if own else []

    def first(names: Sequence[str], official: bool) -> Face | None:
        # The bureau's own files first, then the system's, for the same list of names.
        for pool in (own_faces, None):
            for name in names:
                key = _norm(name)
                if pool is None:
                    hit = by_name.get(key)
                else:
                    hit = next((f for f in pool if _norm(f.family) == key), None)
                if hit is not None:
                    return Face(hit.family, hit.path, hit.index, official=official, bundled=hit.bundled)
        return None

    own_other = next((f for f in own_faces if not _is_known(f.family)), None)

    def role(official_names: Sequence[str], common: Sequence[str], bundled: str,
             other: Sequence[str], other_bundled: str) -> Face:
        found = first(official_names, True)
        if found:
            return found
        if own_other is not None:
            return own_other
        for names in (common, (bundled,), other, (other_bundled,)):
            found = first(names, False)
            if found:
                return found
        raise ReportError(f"未找到生成报告所需的中文字体。{HINT}")

    serif = (SERIF_NAMES, BUNDLED_SERIF, SANS_NAMES, BUNDLED_SANS)
    sans = (SANS_NAMES, BUNDLED_SANS, SERIF_NAMES, BUNDLED_SERIF)
    body = role(FANGSONG_NAMES, *serif)
    return ReportFonts(
        title=role(TITLE_NAMES, *serif),
        body=body,
        heiti=role(HEITI_NAMES, *sans),
        kaiti=role(KAITI_NAMES, *serif),
        sans=role(HEITI_NAMES + ("微软雅黑", "Microsoft YaHei"), *sans),
        font_paths=(),
    )


def _is_known(family: str) -> bool:
    known = TITLE_NAMES + FANGSONG_NAMES + HEITI_NAMES + KAITI_NAMES + SERIF_NAMES + SANS_NAMES
    return _norm(family) in {_norm(n) for n in known}


@functools.cache
def _discover(setting: str) -> ReportFonts:
    import typst

    own = own_font_paths(setting)
    folder = bundled_folder()
    paths = tuple(([folder] if folder else []) + own)
    found = typst.Fonts(include_system_fonts=True, include_embedded_fonts=False,
                        font_paths=[str(p) for p in paths])
    faces = []
    bundled_files = _font_files([folder]) if folder else set()
    for info in found.fonts():
        # Regular upright faces only: bold and italic are chosen by typst from the family.
        if info.path is None or info.style != "normal" or not 350 <= info.weight <= 500:
            continue
        path = Path(info.path)
        faces.append(Face(info.family, path, info.index, bundled=path.resolve() in bundled_files))
    chosen = choose(faces, _font_files(own))
    return ReportFonts(chosen.title, chosen.body, chosen.heiti, chosen.kaiti, chosen.sans, paths)


def report_fonts() -> ReportFonts:
    """The fonts of this machine (cached per value of ``JUNHENG_REPORT_FONTS``)."""
    return _discover(os.environ.get(SETTING, ""))


def describe(fonts: ReportFonts) -> str:
    """One line a user can read: which font each role uses."""
    names = {"title": "标题", "body": "正文", "heiti": "一级标题", "kaiti": "二级标题"}
    return "；".join(f"{label}：{getattr(fonts, key).family}" for key, label in names.items())

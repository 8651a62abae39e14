"""The `junheng` command line.

Every module in this package that defines ``register(app)`` adds its commands; a
command parses options, calls a service, renders, and exits 0 (ok), 1 (invalid data
or not recognised) or 2 (usage).

Start-up is kept short: ``junheng evaluate`` imports only the module of the command
it runs (``COMMAND_MODULES``), not the database, web and planner stacks of the
others; ``junheng --help`` and ``--version`` import nothing but this module (the
list of commands is ``COMMAND_HELP``). ``app`` (all commands) is built on first
access, for tests.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import typer

HELP = "均衡：县域义务教育优质均衡发展督导评估工具"

# First word of the command line -> the module that registers it. A test checks
# this against what every module actually registers.
COMMAND_MODULES: dict[str, str] = {
    "afterschool": "afterschool",
    "compare": "compare",
    "diff": "history",
    "evaluate": "evaluate",
    "flows": "trends",
    "groups": "groups",
    "health": "health",
    "import": "history",
    "places": "places",
    "progress": "targets",
    "plan": "plan",
    "plan-settings": "plan",
    "region": "trends",
    "report": "report",
    "sample": "workbook",
    "serve": "web",
    "standard": "standard",
    "targets": "targets",
    "teachers": "teachers",
    "survey": "survey",
    "template": "workbook",
    "trend": "trends",
    "user": "web",
    "worker": "web",
    "validate": "validate",
    "version": "version",
    "versions": "history",
}


# What ``junheng --help`` lists, printed without loading Typer, rich or any command
# module (they take about a second to import). A test checks it word for word
# against each command's own help.
COMMAND_HELP: dict[str, str] = {
    "afterschool": "双减：课后服务覆盖率和参与率、学科类校外培训机构压减率（线下、线上），以及逐年变化",
    "compare": "同一份数据按多个标准分别评估并并列显示（默认全部内置标准），并指出各标准缺少的数据",
    "diff": "比较同一学年的两个导入版本（或两个学年），逐校逐项列出变化",
    "evaluate": "评估县域年度数据工作簿：给出认定结论，并可输出评估结果工作簿、网页报告或 JSON",
    "flows": "教师流动（县管校聘）：上一学年到本学年谁从哪所学校调到哪所学校，交流轮岗比例",
    "groups": "集团化办学：各教育集团内学校与牵头学校的指标比较、集团内差异系数，以及逐年是否缩小",
    "health": "学生健康：体质健康达标率和优良率、近视率、心理健康教育教师配备、体育与劳动课时，各校排名与全县平均，以及逐年变化",
    "import": "校验并导入县区学年工作簿，可以多个或整个文件夹（每个文件全部成功或全部不导入；重复导入保留旧版本）",
    "places": "学位与大班额：各校学位容量、大班额和超大班额占比，并按年级逐年升级预测今后几年哪些学校学位不足或班额超标",
    "plan": "制定资源配置整改方案：用最低费用使全县资源配置（及专用教室、交流轮岗）达标。复核修改后的方案：junheng plan check 方案.xlsx 工作簿.xlsx",
    "plan-settings": "写出整改方案设置的默认文件（费用、上限、求解时间），修改后用 --settings 指定",
    "progress": "行动方案目标进展：每个目标的基线、目标、历年实际值、本年应达到的数值、状态和差距",
    "region": "地市（4 位代码）、省（2 位代码）或全国所辖县区的认定情况与最常未达标的指标",
    "report": "生成可上报的自评报告或年度答卷（Word .docx 或 PDF）",
    "sample": "生成一个填好数据的示例县工作簿，用于试用和培训（数据为虚构）；--years 2023-2025 生成同一个县逐年演变的多个学年",
    "serve": "启动网页系统（学校填报、教育局审核、仪表盘）。",
    "standard": "评估标准：列出内置标准、复制一份自己的标准、检查标准文件",
    "targets": "行动方案目标：生成目标填报工作簿、导入、导出、查看历次导入",
    "teachers": "教师配备：按课程方案测算各校各学科需配教师，与现有教师比较（紧缺学科、富余），核定编制与在编、编外（有编不补），今后五年退休教师",
    "survey": "社会认可度调查：样本量与抽样名单、一次性调查码（二维码）、导入答卷、计算认可度，结束后作为 S1 的数值",
    "template": "生成空白的县域年度数据工作簿（含下拉选项、单位和填表说明）",
    "trend": "一个县区历年的指标趋势：差异系数、达标学校、大班额、教师、学位、两个只增不减",
    "user": "用户管理",
    "validate": "检查县域年度数据工作簿，列出所有错误和警告",
    "version": "显示版本号",
    "versions": "列出一个县区一个学年的所有导入版本（谁、何时、哪个文件）",
    "worker": "后台工作进程：生成网页上提交的报告、整改方案，导入上传的工作簿（网页系统设 JUNHENG_WEB_JOB_WORKERS=0 时单独运行）。",
}


def quick_help() -> str:
    """``junheng --help`` as plain text (no Typer, no rich: a tenth of the start-up)."""
    import shutil
    import unicodedata

    def width(text: str) -> int:
        return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)

    def cut(text: str, room: int) -> str:
        if width(text) <= room:
            return text
        out = ""
        for ch in text:
            if width(out + ch) > room - 1:
                return out + "…"
            out += ch
        return out

    columns = max(60, min(shutil.get_terminal_size((100, 24)).columns, 160))
    name_width = max(map(len, COMMAND_HELP)) + 2
    lines = ["", " 用法：junheng [选项] 命令 [参数]...", "", f" {HELP}", "", " 选项：",
             "   --version  显示版本号并退出", "   --help     显示本帮助并退出。", "", " 命令："]
    for name, text in COMMAND_HELP.items():
        lines.append(f"   {name:<{name_width}}{cut(text, columns - name_width - 4)}")
    lines += ["", " 各命令的用法：junheng 命令 --help（如 junheng import --help）", ""]
    return "\n".join(lines)


def command_modules() -> list[str]:
    """Every module of this package that registers commands."""
    import pkgutil

    return sorted(info.name for info in pkgutil.iter_modules(__path__))


def configure_places() -> None:
    import os

    if not os.environ.get("JUNHENG_PLACES"):
        return
    import typer

    from junheng.reports import numbers
    from junheng.settings import Settings

    try:
        numbers.configure(Settings().places)
    except ValueError as exc:
        typer.echo(f"错误：{exc}".replace("Value error, ", ""), err=True)
        raise typer.Exit(2) from None


def build_app(modules: list[str] | None = None) -> typer.Typer:
    """A Typer app with the commands of ``modules`` (all when None)."""
    import typer

    from junheng.cli.chinese import use_chinese_messages

    use_chinese_messages()
    app = typer.Typer(name="junheng", help=HELP, no_args_is_help=True, add_completion=False,
                      rich_markup_mode="rich")

    @app.callback()
    def _root() -> None:
        # A callback keeps `junheng CMD` a group even when only CMD's module is loaded;
        # it also applies JUNHENG_PLACES (decimal places per kind of figure) to every output.
        configure_places()

    import importlib

    for name in modules if modules is not None else command_modules():
        module = importlib.import_module(f"{__name__}.{name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(app)
    return app


def __getattr__(name: str):
    if name == "app":
        built = build_app()
        globals()["app"] = built
        return built
    raise AttributeError(name)


def main() -> None:
    args = sys.argv[1:]
    if args in (["--version"], ["-V"]):
        from junheng import __version__

        print(f"junheng {__version__}")
        return
    if args in (["--help"], ["-h"], []):
        print(quick_help())
        return
    words = [a for a in args if not a.startswith("-")]
    module = COMMAND_MODULES.get(words[0]) if words else None
    from junheng.core.errors import JunhengError

    try:
        build_app([module] if module else None)()
    except JunhengError as exc:
        # One place for what a command did not catch itself (a workbook the archive
        # guard refuses, from any command that opens one): its message and exit code.
        print(f"错误：{exc.message}", file=sys.stderr)
        raise SystemExit(exc.exit_code) from None

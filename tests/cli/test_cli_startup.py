"""The command line starts quickly (only the invoked command's module is imported)
and speaks Chinese even in its usage errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from junheng.cli import COMMAND_HELP, COMMAND_MODULES, build_app, command_modules
from junheng.templates.writer import write_county_workbook

from ..core.builders import county, good_primary


def registered(module: str) -> set[str]:
    app = build_app([module])
    return {c.name for c in app.registered_commands} | {g.name for g in app.registered_groups}


def test_the_command_map_names_every_command_and_its_module():
    found: dict[str, str] = {}
    for module in command_modules():
        for name in registered(module):
            found[name] = module
    assert found == COMMAND_MODULES


JUNHENG = Path(sys.executable).with_name("junheng")  # the installed command
SRC = Path(__file__).resolve().parents[2] / "src"  # ... running this tree's code


def run(*args: str, code: str | None = None) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", code] if code else [str(JUNHENG)]
    return subprocess.run([*command, *args], capture_output=True, text=True, timeout=120,
                          env={"COLUMNS": "200", "PATH": "/usr/bin:/bin", "PYTHONPATH": str(SRC)})


def test_evaluate_loads_neither_the_database_nor_the_planner_nor_the_web(tmp_path):
    sample_workbook = write_county_workbook(county([good_primary("3504040001", 100)]), tmp_path / "县.xlsx")
    probe = ("import sys\nfrom junheng.cli import main\n"
             "try:\n    main()\nexcept SystemExit:\n    pass\n"
             "print('LOADED', sorted(m for m in ('sqlalchemy', 'highspy', 'fastapi', 'argon2', 'docx')"
             " if m in sys.modules))")
    out = run("evaluate", str(sample_workbook), code=probe)
    assert "LOADED []" in out.stdout, out.stdout[-500:] + out.stderr


@pytest.mark.parametrize(("args", "chinese", "english"), [
    (["evaluate"], "缺少参数 '工作簿.xlsx|文件夹...'", "Missing"),
    (["evaluate", "x.xlsx", "--bogus"], "没有选项 --bogus", "No such option"),
    (["evaluate", "x.xlsx", "--format", "xml"], "'xml' 不在可选值 'text', 'json' 之中", "is not one of"),
    (["evaluate", "x.xlsx", "--limit", "abc"], "'--limit' 的取值无效：应为整数", "Input should be"),
    (["evaluate", "x.xlsx", "--limit", "0"], "应不小于 1", "greater than"),
    (["evaluate", "x.xlsx", "--out"], "选项 '--out' 后面需要一个值", "requires an argument"),
    (["plan", "x.xlsx", "extra"], "多余的参数：extra", "unexpected extra"),
    (["nosuchcommand"], "没有命令 'nosuchcommand'", "No such command"),
])
def test_usage_errors_are_in_chinese(args, chinese, english):
    out = run(*args)
    assert out.returncode == 2
    assert chinese in out.stderr and english not in out.stderr, out.stderr
    assert "Usage:" not in out.stderr


def test_help_is_in_chinese():
    out = run("--help")
    assert out.returncode == 0
    for word in ("用法：junheng", "选项", "命令", "显示本帮助并退出", "evaluate"):
        assert word in out.stdout, word


def test_the_quick_help_lists_every_command_with_its_own_help():
    import typer

    commands = typer.main.get_command(build_app()).commands
    assert {name: c.help for name, c in commands.items()} == COMMAND_HELP


HEAVY = ("typer", "click", "rich", "sqlalchemy", "alembic", "psycopg", "fastapi", "starlette", "pydantic",
         "python_calamine", "openpyxl", "xlsxwriter", "highspy", "docx", "yaml", "junheng.services",
         "junheng.core", "junheng.intake", "junheng.storage")


@pytest.mark.parametrize(("args", "expected"), [
    (["--help"], "用法：junheng [选项] 命令"),
    (["--version"], "junheng 0."),
    ([], "命令："),
])
def test_help_and_version_import_nothing_heavy(args, expected):
    probe = ("import sys\nfrom junheng.cli import main\nmain()\n"
             f"print('LOADED', sorted(m for m in sys.modules if any(m == h or m.startswith(h + '.') for h in {HEAVY!r})))")
    out = run(*args, code=probe)
    assert out.returncode == 0, out.stderr
    assert expected in out.stdout and "LOADED []" in out.stdout, out.stdout[-800:]

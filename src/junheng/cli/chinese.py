"""Typer's own words (usage errors, help headings) in Chinese.

junheng's users read Chinese whatever the machine's locale. Typer (0.29, pinned) says
its words in two ways, and each is turned to Chinese here:

- ``typer.core`` and ``typer.rich_utils`` look theirs up with ``gettext`` (panel
  titles, "[required]", "No such command …"): the ``_`` they bound at import is pointed
  at ``CATALOGUE``, and the panel titles rich_utils translated at import are reset;
- its bundled parser (``typer._click``) writes usage errors as English f-strings:
  ``format_message`` of those error classes is replaced by Chinese versions, with the
  message text matched against ``_PATTERNS``; the usage line's "Usage:" prefix and the
  ``--help`` option's help are set too.

A message found in neither stays as it is. tests/cli/test_cli_startup.py runs the
real command, so a typer upgrade that moves these internals fails loudly.
"""

from __future__ import annotations

import re

import typer.core
import typer.rich_utils
from typer._click import core as click_core
from typer._click import exceptions as click_exceptions
from typer._click import formatting as click_formatting

# The messages typer.core and typer.rich_utils look up with gettext.
CATALOGUE: dict[str, str] = {
    "Error": "错误",
    "Try [blue]'{command_path} {help_option}'[/] for help.":
        "运行 [blue]'{command_path} {help_option}'[/] 查看用法。",
    "No such command {name!r}.": "没有命令 {name!r}。",
    "Missing command.": "缺少命令。",
    "Aborted!": "已中止。",
    "Aborted.": "已中止。",
    "Options": "选项",
    "Arguments": "参数",
    "Commands": "命令",
    "[default: {}]": "[默认：{}]",
    "default: {default}": "默认：{default}",
    "[required]": "[必填]",
    "required": "必填",
    "[env var: {}]": "[环境变量：{}]",
    "env var: {var}": "环境变量：{var}",
    "(deprecated) ": "（已弃用）",
    "(dynamic)": "（动态）",
}

# typer.rich_utils translates these once, at its import.
_RICH_CONSTANTS = ("DEPRECATED_STRING", "DEFAULT_STRING", "ENVVAR_STRING", "REQUIRED_LONG_STRING",
                   "ARGUMENTS_PANEL_TITLE", "OPTIONS_PANEL_TITLE", "COMMANDS_PANEL_TITLE",
                   "ERRORS_PANEL_TITLE", "ABORTED_TEXT", "RICH_HELP")

# The usage errors typer's parser writes as English f-strings.
_PATTERNS: list[tuple[re.Pattern[str], str]] = [(re.compile(p), r) for p, r in (
    (r"^(?:Value error, )?'(.*)' is not one of (.*?)\.?$", r"'\1' 不在可选值 \2 之中"),
    (r"^(?:File|Directory|Path) '(.*)' does not exist\.$", r"找不到文件或文件夹 '\1'"),
    (r"^(?:File|Directory|Path) '(.*)' is a file\.$", r"'\1' 是文件，这里应为文件夹"),
    (r"^(?:File|Directory|Path) '(.*)' is a directory\.$", r"'\1' 是文件夹，这里应为文件"),
    (r"^(?:File|Directory|Path) '(.*)' is not readable\.$", r"'\1' 无法读取（没有权限）"),
    (r"^(?:File|Directory|Path) '(.*)' is not writable\.$", r"'\1' 无法写入（没有权限）"),
    (r"^Input should be a valid integer.*$", "应为整数"),
    (r"^Input should be a valid number.*$", "应为数字"),
    (r"^Input should be greater than or equal to (.*)$", r"应不小于 \1"),
    (r"^Input should be less than or equal to (.*)$", r"应不大于 \1"),
    (r"^Input should be greater than (.*)$", r"应大于 \1"),
    (r"^Input should be less than (.*)$", r"应小于 \1"),
    (r"^Value (.*) is not a valid (\w+)\.$", r"\1 不是有效的 \2 值"),
    (r"^Got unexpected extra argument\(s\) \((.*)\)$", r"多出了参数（\1）"),
    (r"^Option '(.*)' requires an argument\.$", r"选项 '\1' 后面需要一个值"),
    (r"^Option '(.*)' requires (\d+) arguments\.$", r"选项 '\1' 后面需要 \2 个值"),
    (r"^Option '(.*)' does not take a value\.$", r"选项 '\1' 不带值"),
    (r"^No such option: (.*)$", r"没有选项 \1"),
)]


def gettext(message: str) -> str:
    return CATALOGUE.get(message, message)


def translate(message: str) -> str:
    for pattern, replacement in _PATTERNS:
        if pattern.match(message):
            return pattern.sub(replacement, message)
    return gettext(message)


def _hint(exc) -> str | None:
    hint = exc.param_hint if exc.param_hint is not None else (
        exc.param.get_error_hint() if exc.param is not None else None)
    if hint is None:
        return None
    return hint if isinstance(hint, str) else " / ".join(repr(x) for x in hint)


def _bad_parameter(self) -> str:
    hint = _hint(self)
    message = translate(self.message)
    return f"{hint} 的取值无效：{message}" if hint else f"取值无效：{message}"


def _missing_parameter(self) -> str:
    hint = _hint(self)
    kind = {"argument": "参数", "option": "选项"}.get(
        self.param_type or (self.param.param_type_name if self.param is not None else ""), "参数")
    return f"缺少{kind} {hint}" if hint else f"缺少{kind}"


def _no_such_option(self) -> str:
    text = translate(self.message)
    if self.possibilities:
        text += f"（是否想用：{'、'.join(sorted(self.possibilities))}？）"
    return text


def _usage_error(self) -> str:
    return translate(self.message)


_write_usage = click_formatting.HelpFormatter.write_usage
_get_help_option = click_core.Command.get_help_option


def _chinese_write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
    _write_usage(self, prog, args, "用法：" if prefix is None else prefix)


def _chinese_help_option(self, ctx):
    option = _get_help_option(self, ctx)
    if option is not None:
        option.help = "显示本帮助并退出。"
    return option


def use_chinese_messages() -> None:
    """Turn typer's words into Chinese (idempotent)."""
    click_exceptions.UsageError.format_message = _usage_error
    click_exceptions.BadParameter.format_message = _bad_parameter
    click_exceptions.MissingParameter.format_message = _missing_parameter
    click_exceptions.NoSuchOption.format_message = _no_such_option
    click_formatting.HelpFormatter.write_usage = _chinese_write_usage
    click_core.Command.get_help_option = _chinese_help_option
    typer.core._ = gettext
    typer.rich_utils._ = gettext
    for constant in _RICH_CONSTANTS:
        setattr(typer.rich_utils, constant, gettext(getattr(typer.rich_utils, constant)))

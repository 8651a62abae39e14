"""Click's and Typer's own words (usage errors, help headings) in Chinese.

Click and Typer look their messages up with ``gettext``; junheng's users read
Chinese whatever the machine's locale, so the names click and typer bound at import
(``_`` and ``ngettext`` in each module) are pointed at this catalogue. A message not
in the catalogue stays as it is.
"""

from __future__ import annotations

import importlib
import re

CATALOGUE: dict[str, str] = {
    # errors
    "Error: {message}": "错误：{message}",
    "Error": "错误",
    "Try '{command} {option}' for help.": "运行 '{command} {option}' 查看用法。",
    "Try [blue]'{command_path} {help_option}'[/] for help.":
        "运行 [blue]'{command_path} {help_option}'[/] 查看用法。",
    "Invalid value: {message}": "取值无效：{message}",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的取值无效：{message}",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing {param_type}": "缺少{param_type}",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "No such option {name!r}.": "没有选项 {name!r}。",
    "No such command {name!r}.": "没有命令 {name!r}。",
    "Missing command.": "缺少命令。",
    "Did you mean {possibility}?": "是否想用 {possibility}？",
    "(Did you mean one of: {possibilities}?)": "（是否想用以下之一：{possibilities}？）",
    "Got unexpected extra argument ({args})": "多出了参数（{args}）",
    "Got unexpected extra arguments ({args})": "多出了参数（{args}）",
    "Option {name!r} requires an argument.": "选项 {name!r} 后面需要一个值。",
    "Option {name!r} requires {nargs} arguments.": "选项 {name!r} 后面需要 {nargs} 个值。",
    "Option {name!r} does not take a value.": "选项 {name!r} 不带值。",
    "Argument {name!r} takes {nargs} values.": "参数 {name!r} 需要 {nargs} 个值。",
    "{value!r} is not {choice}.": "{value!r} 不是 {choice}。",
    "{value!r} is not one of {choices}.": "{value!r} 不在可选值 {choices} 之中。",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的{number_type}。",
    "{value} is not in the range {range}.": "{value} 不在范围 {range} 内。",
    "{value!r} is not a valid boolean. Recognized values: {states}":
        "{value!r} 不是有效的是/否值，可用：{states}",
    "file": "文件",
    "directory": "文件夹",
    "path": "路径",
    "{name} {filename!r} does not exist.": "{name} {filename!r} 不存在。",
    "{name} {filename!r} is a file.": "{name} {filename!r} 是文件，应为文件夹。",
    "{name} {filename!r} is a directory.": "{name} {filename!r} 是文件夹，应为文件。",
    "{name} {filename!r} is not readable.": "{name} {filename!r} 无法读取。",
    "{name} {filename!r} is not writable.": "{name} {filename!r} 无法写入。",
    "Could not open file {filename!r}: {message}": "无法打开文件 {filename!r}：{message}",
    "Aborted!": "已中止。",
    "Aborted.": "已中止。",
    "unknown error": "未知错误",
    # help
    "Usage:": "用法：",
    "Options": "选项",
    "Arguments": "参数",
    "Commands": "命令",
    "Positional arguments": "参数",
    "Show this message and exit.": "显示本帮助并退出。",
    "[default: {}]": "[默认：{}]",
    "default: {default}": "默认：{default}",
    "[required]": "[必填]",
    "required": "必填",
    "[env var: {}]": "[环境变量：{}]",
    "env var: {var}": "环境变量：{var}",
    "(deprecated) ": "（已弃用）",
    "(dynamic)": "（动态）",
}

_MODULES = ("typer._click.core", "typer._click.formatting", "click.core", "click.exceptions", "click.types", "click.parser", "click.decorators",
            "click.formatting", "click.termui", "click.utils", "typer.core", "typer.main",
            "typer.rich_utils")

# typer.rich_utils translates these once, at its import.
_RICH_CONSTANTS = ("DEPRECATED_STRING", "DEFAULT_STRING", "ENVVAR_STRING", "REQUIRED_LONG_STRING",
                   "ARGUMENTS_PANEL_TITLE", "OPTIONS_PANEL_TITLE", "COMMANDS_PANEL_TITLE",
                   "ERRORS_PANEL_TITLE", "ABORTED_TEXT", "RICH_HELP")


def gettext(message: str) -> str:
    return CATALOGUE.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return gettext(singular if n == 1 else plural)


# Typer's own parser (typer._click) writes its usage errors as English f-strings:
# these patterns turn the common ones into Chinese.
_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^(?:Value error, )?'(.*)' is not one of (.*?)\.?$"), r"'\1' 不在可选值 \2 之中"),
    (re.compile(r"^(?:File|Directory|Path) '(.*)' does not exist\.$"), r"找不到文件或文件夹 '\1'"),
    (re.compile(r"^(?:File|Directory|Path) '(.*)' is a file\.$"), r"'\1' 是文件，这里应为文件夹"),
    (re.compile(r"^(?:File|Directory|Path) '(.*)' is a directory\.$"), r"'\1' 是文件夹，这里应为文件"),
    (re.compile(r"^(?:File|Directory|Path) '(.*)' is not readable\.$"), r"'\1' 无法读取（没有权限）"),
    (re.compile(r"^(?:File|Directory|Path) '(.*)' is not writable\.$"), r"'\1' 无法写入（没有权限）"),
    (re.compile(r"^Input should be a valid integer.*$"), "应为整数"),
    (re.compile(r"^Input should be a valid number.*$"), "应为数字"),
    (re.compile(r"^Input should be greater than or equal to (.*)$"), r"应不小于 \1"),
    (re.compile(r"^Input should be less than or equal to (.*)$"), r"应不大于 \1"),
    (re.compile(r"^Input should be greater than (.*)$"), r"应大于 \1"),
    (re.compile(r"^Input should be less than (.*)$"), r"应小于 \1"),
    (re.compile(r"^Value (.*) is not a valid (\w+)\.$"), r"\1 不是有效的 \2 值"),
    (re.compile(r"^Got unexpected extra argument\(s\) \((.*)\)$"), r"多出了参数（\1）"),
    (re.compile(r"^Option '(.*)' requires an argument\.$"), r"选项 '\1' 后面需要一个值"),
    (re.compile(r"^Option '(.*)' requires (\d+) arguments\.$"), r"选项 '\1' 后面需要 \2 个值"),
    (re.compile(r"^Option '(.*)' does not take a value\.$"), r"选项 '\1' 不带值"),
    (re.compile(r"^No such option: (.*)$"), r"没有选项 \1"),
    (re.compile(r"^Missing command\.$"), "缺少命令"),
]


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


def _patch_typer_parser() -> None:
    try:
        ex = importlib.import_module("typer._click.exceptions")
    except ImportError:  # an older typer: click's own gettext look-ups do it
        return
    ex.UsageError.format_message = _usage_error
    ex.BadParameter.format_message = _bad_parameter
    ex.MissingParameter.format_message = _missing_parameter
    ex.NoSuchOption.format_message = _no_such_option
    core = importlib.import_module("typer._click.core")
    get_help_option = core.Command.get_help_option

    def chinese_help_option(self, ctx):
        option = get_help_option(self, ctx)
        if option is not None:
            option.help = "显示本帮助并退出。"
        return option

    formatting = importlib.import_module("typer._click.formatting")
    original = formatting.HelpFormatter.write_usage
    if getattr(original, "_chinese", False):
        return

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        original(self, prog, args, "用法：" if prefix is None else prefix)

    write_usage._chinese = True
    formatting.HelpFormatter.write_usage = write_usage
    core.Command.get_help_option = chinese_help_option


def use_chinese_messages() -> None:
    """Point click's and typer's message look-ups at the catalogue (idempotent)."""
    _patch_typer_parser()
    for name in _MODULES:
        try:
            module = importlib.import_module(name)
        except ImportError:  # a module a later release renames: its words stay English
            continue
        if hasattr(module, "_"):
            module._ = gettext
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext
    rich_utils = importlib.import_module("typer.rich_utils")
    for constant in _RICH_CONSTANTS:
        value = getattr(rich_utils, constant, None)
        if isinstance(value, str):
            setattr(rich_utils, constant, gettext(value))

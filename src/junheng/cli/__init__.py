"""The `junheng` command line.

Every module in this package that defines ``register(app)`` adds its commands; a
command parses options, calls a service, renders, and exits 0 (ok), 1 (invalid data
or not recognised) or 2 (usage).

Start-up is kept short: ``junheng evaluate`` imports only the module of the command
it runs (``COMMAND_MODULES``), not the database, web and planner stacks of the
others. ``app`` (all commands) is built on first access, for ``--help`` and tests.
"""

from __future__ import annotations

import importlib
import pkgutil
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
    "import": "history",
    "places": "places",
    "plan": "plan",
    "plan-settings": "plan",
    "region": "trends",
    "report": "report",
    "sample": "workbook",
    "serve": "web",
    "standard": "standard",
    "template": "workbook",
    "trend": "trends",
    "user": "web",
    "validate": "validate",
    "version": "version",
    "versions": "history",
}


def command_modules() -> list[str]:
    """Every module of this package that registers commands."""
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
    words = [a for a in sys.argv[1:] if not a.startswith("-")]
    module = COMMAND_MODULES.get(words[0]) if words else None
    build_app([module] if module else None)()

"""The `junheng` command line.

Every module in this package that defines ``register(app)`` adds its commands; a
command parses options, calls a service, renders, and exits 0 (ok), 1 (invalid data
or not recognised) or 2 (usage).
"""

from __future__ import annotations

import importlib
import pkgutil

import typer

app = typer.Typer(
    name="junheng",
    help="均衡：县域义务教育优质均衡发展督导评估工具",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)


def _register_all() -> None:
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(app)


_register_all()


def main() -> None:
    app()

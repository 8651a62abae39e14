"""`junheng version`."""

from __future__ import annotations

import typer

from junheng import __version__


def register(app: typer.Typer) -> None:
    @app.command("version", help="显示版本号")
    def version() -> None:
        typer.echo(f"junheng {__version__}")

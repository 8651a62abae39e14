"""Opening the database for a command: ``--database-url`` or JUNHENG_DATABASE_URL, else
the local SQLite file; created and migrated on first use. Errors end the command with a
Chinese message. The database libraries are imported on use: ``junheng evaluate`` without
``--history`` never loads them (tests/cli/test_cli_startup.py)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import typer

from junheng.cli.render import fail
from junheng.core.errors import JunhengError
from junheng.settings import Settings


def stored_county(source: str, error: type[Exception], verb: str = "读取") -> str | None:
    """The county code when ``source`` names the database's data (a bare 6-digit code, not a
    file of that name); None for a workbook. Anything else raises ``error`` in Chinese."""
    path = Path(source)
    if path.exists() or path.suffix:
        return None
    if re.fullmatch(r"\d{6}", source):
        return source
    raise error(f"找不到工作簿：{source}（按县区代码从数据库{verb}时请写 6 位县区代码）")


def engine_for(url: str | None):
    from sqlalchemy.exc import ArgumentError, DBAPIError

    from junheng.services.history import open_history

    try:
        return open_history(Settings(), url)
    except JunhengError as exc:
        fail(exc)
    except ArgumentError:  # includes an unknown driver (NoSuchModuleError)
        typer.echo("错误：数据库地址无效，应形如 sqlite:///路径/junheng.db 或 "
                   "postgresql+psycopg://用户:密码@主机:5432/库名", err=True)
        raise typer.Exit(2) from None
    except OSError as exc:  # the SQLite file's folder cannot be created
        typer.echo(f"错误：无法创建数据库文件所在的目录（{exc.strerror or exc}：{exc.filename or ''}）", err=True)
        raise typer.Exit(1) from None
    except DBAPIError as exc:  # a server we cannot reach, a file we cannot open
        typer.echo(f"错误：无法打开数据库（{type(exc.orig).__name__}: {exc.orig}）", err=True)
        raise typer.Exit(1) from None


def history_engine(use: bool, url: str | None) -> Any:
    """The stored history when asked for (``--history``), else None."""
    if not use and url is None:
        return None
    return engine_for(url)

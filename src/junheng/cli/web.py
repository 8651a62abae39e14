"""`junheng serve` (the web app), `junheng worker` (its jobs) and `junheng user add`
(accounts, the first admin).

Both open the database of JUNHENG_DATABASE_URL (or ``--database-url``; default a
SQLite file under the data directory), creating and migrating it on first use.
`serve` evaluates against JUNHENG_STANDARD (or ``--standard``), checked before it starts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from junheng.cli.database import engine_for
from junheng.cli.history import DatabaseUrl, StandardOption, load_chosen_standard
from junheng.cli.render import fail
from junheng.core.errors import JunhengError
from junheng.services.accounts import ROLE_ZH, Role, create_user
from junheng.standards import is_shipped, shipped_standards

ROLE_HELP = "角色：" + "、".join(f"{r.value}（{ROLE_ZH[r]}）" for r in Role)


def serve(
    host: Annotated[str, typer.Option(help="监听地址；局域网内访问请用 0.0.0.0")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="端口")] = 8000,
    workers: Annotated[int, typer.Option(help="工作进程数；多核服务器可设为 CPU 核数", min=1, max=64)] = 1,
    standard: StandardOption = None,
    database_url: DatabaseUrl = None,
) -> None:
    """启动网页系统（学校填报、教育局审核、仪表盘）。"""
    import os

    import uvicorn

    from junheng.settings import Settings
    from junheng.web.app import create_app

    std = load_chosen_standard(standard)  # a broken standard file is refused before anything starts
    _check_port(host, port)
    if database_url:
        os.environ["JUNHENG_DATABASE_URL"] = database_url  # worker processes read it too
    if standard:
        # worker processes read it too; a file by its full path, whatever their folder
        os.environ["JUNHENG_STANDARD"] = standard if standard in shipped_standards() else str(Path(standard).resolve())
    engine = engine_for(database_url)  # created and migrated once, before any worker starts
    kind = "内置标准" if is_shipped(std) else "自定义标准文件"
    typer.echo(f"评估标准：{std.id}《{std.title}》（版本 {std.version}，{kind}）")
    typer.echo(f"junheng 网页系统已启动：http://{host}:{port}/ （{workers} 个工作进程，按 Ctrl+C 停止）")
    options = dict(host=host, port=port, log_level="warning", proxy_headers=False, server_header=False)
    if workers == 1:
        uvicorn.run(create_app(Settings(), engine), **options)
    else:
        engine.dispose()
        uvicorn.run("junheng.web.app:app_from_environment", factory=True, workers=workers, **options)


def _check_port(host: str, port: int) -> None:
    """A taken port or an unknown address is said in Chinese, before anything starts."""
    import socket

    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((host, port))
    except OSError as exc:
        typer.echo(f"错误：无法在 {host}:{port} 上启动（{exc.strerror or exc}）；端口可能已被占用，"
                   "请用 --port 换一个端口", err=True)
        raise typer.Exit(1) from None


def user_add(
    username: Annotated[str, typer.Argument(help="登录用户名", show_default=False)],
    role: Annotated[Role, typer.Option("--role", help=ROLE_HELP, show_default=False)],
    county: Annotated[str | None, typer.Option("--county", "--region", help="县区代码（6 位）；督导、查看人员可用市 4 位或省 2 位")] = None,
    school: Annotated[str | None, typer.Option("--school", help="学校标识码（10 位，学校填报员）")] = None,
    name: Annotated[str | None, typer.Option("--name", help="姓名（显示用）")] = None,
    password_file: Annotated[Path | None, typer.Option(
        "--password-file", help="从文件读取密码（第一行）；不给则提示输入", exists=True, dir_okay=False)] = None,
    must_change: Annotated[bool, typer.Option(
        "--must-change", help="该用户第一次登录时须修改密码（为他人创建账号时使用）")] = False,
    database_url: DatabaseUrl = None,
) -> None:
    """新建用户（例如第一个系统管理员：junheng user add admin --role admin）。

    密码至少 8 位，包含大写字母、小写字母、数字、符号中的至少 3 种，不能包含用户名，不能是常用密码。"""
    if password_file is not None:
        lines = password_file.read_text(encoding="utf-8").splitlines()
        password = lines[0] if lines else ""
    else:
        password = typer.prompt("密码", hide_input=True, confirmation_prompt=True)
    engine = engine_for(database_url)
    try:
        user = create_user(engine, None, username=username, password=password, role=role,
                           display_name=name, region_code=county, school_code=school,
                           must_change_password=must_change)
    except JunhengError as exc:
        fail(exc)
    scope = " ".join(x for x in (user.region_code, user.school_code) if x)
    typer.echo(f"已创建用户 {user.username}（{user.role_zh}{'，' + scope if scope else ''}）")


def worker(
    database_url: DatabaseUrl = None,
    standard: StandardOption = None,
    once: Annotated[bool, typer.Option("--once", help="处理完队列中现有的任务就退出")] = False,
) -> None:
    """后台工作进程：生成网页上提交的报告、整改方案，导入上传的工作簿（网页系统设 JUNHENG_WEB_JOB_WORKERS=0 时单独运行）。"""
    import os

    from junheng.services.job_worker import serve as serve_jobs
    from junheng.settings import Settings

    load_chosen_standard(standard)  # a broken standard file is refused before anything starts
    if database_url:
        os.environ["JUNHENG_DATABASE_URL"] = database_url
    if standard:
        os.environ["JUNHENG_STANDARD"] = standard if standard in shipped_standards() else str(Path(standard).resolve())
    engine_for(database_url).dispose()  # created and migrated before the first job
    typer.echo("junheng 后台工作进程已启动（按 Ctrl+C 停止）" if not once else "处理队列中的任务……")
    try:
        ran = serve_jobs(Settings(), once=once)
    except KeyboardInterrupt:
        return
    typer.echo(f"已处理 {ran} 个任务")


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.command("worker")(worker)
    users = typer.Typer(help="用户管理", no_args_is_help=True)
    users.command("add")(user_add)
    app.add_typer(users, name="user")

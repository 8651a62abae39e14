"""`junheng user add` (the first admin and others) and `junheng serve --help`;
`junheng serve` itself runs in the browser test."""

from __future__ import annotations

from typer.testing import CliRunner

from junheng.cli import app
from junheng.services.sessions import sign_in
from junheng.storage.engine import make_engine

runner = CliRunner()


def test_user_add_creates_accounts_that_can_sign_in(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'web.db'}"
    monkeypatch.setenv("JUNHENG_DATABASE_URL", url)
    secret = tmp_path / "pw.txt"
    secret.write_text("First-boss-pw\n", encoding="utf-8")
    r = runner.invoke(app, ["user", "add", "admin", "--role", "admin", "--password-file", str(secret)])
    assert r.exit_code == 0 and "已创建用户 admin（系统管理员）" in r.output
    r = runner.invoke(app, ["user", "add", "clerk1", "--role", "clerk", "--county", "350404",
                            "--school", "3504040001", "--name", "实验小学"], input="Clerk-pass-1\nClerk-pass-1\n")
    assert r.exit_code == 0 and "350404 3504040001" in r.output
    engine = make_engine(url=url)
    assert sign_in(engine, "admin", "First-boss-pw", hours=1).principal.is_admin
    assert sign_in(engine, "clerk1", "Clerk-pass-1", hours=1).principal.school_code == "3504040001"
    engine.dispose()


def test_user_add_refuses_in_chinese(tmp_path, monkeypatch):
    monkeypatch.setenv("JUNHENG_DATABASE_URL", f"sqlite:///{tmp_path / 'web.db'}")
    secret = tmp_path / "pw.txt"
    secret.write_text("Long-enough-1", encoding="utf-8")
    base = ["user", "add", "--password-file", str(secret)]
    assert runner.invoke(app, [*base, "a1", "--role", "admin"]).exit_code == 0
    again = runner.invoke(app, [*base, "a1", "--role", "admin"])
    assert again.exit_code == 1 and "用户名 a1 已存在" in again.output
    clerk = runner.invoke(app, [*base, "c1", "--role", "clerk", "--county", "350404"])
    assert clerk.exit_code == 1 and "学校标识码" in clerk.output
    bad = runner.invoke(app, [*base, "x1", "--role", "boss"])
    assert bad.exit_code == 2
    short = tmp_path / "short.txt"
    short.write_text("abc", encoding="utf-8")
    weak = runner.invoke(app, ["user", "add", "w1", "--role", "admin", "--password-file", str(short)])
    assert weak.exit_code == 1 and "至少 8 位" in weak.output
    # the same policy as every web form: kinds, the user name, the common list
    for password, says in (("abcdefgh1", "至少 3 种"), ("Zhang-san-2026", "不能包含用户名"),
                           ("P@ssw0rd", "常用密码"), ("Admin@2025", "常用密码")):
        short.write_text(password, encoding="utf-8")
        r = runner.invoke(app, ["user", "add", "zhang-san", "--role", "admin", "--password-file", str(short)])
        assert r.exit_code == 1 and says in r.output, (password, r.output)


def test_user_add_can_require_a_change_at_first_sign_in(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'web.db'}"
    monkeypatch.setenv("JUNHENG_DATABASE_URL", url)
    secret = tmp_path / "pw.txt"
    secret.write_text("Temp-pass-2026", encoding="utf-8")
    r = runner.invoke(app, ["user", "add", "li", "--role", "admin", "--must-change", "--password-file", str(secret)])
    assert r.exit_code == 0, r.output
    engine = make_engine(url=url)
    assert sign_in(engine, "li", "Temp-pass-2026").principal.must_change_password
    engine.dispose()


def test_serve_help_is_chinese():
    r = runner.invoke(app, ["serve", "--help"])
    assert r.exit_code == 0 and "网页系统" in r.output and "--workers" in r.output


def test_serve_says_so_when_the_port_is_taken(tmp_path, monkeypatch):
    import socket

    monkeypatch.setenv("JUNHENG_DATABASE_URL", f"sqlite:///{tmp_path / 'web.db'}")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        r = runner.invoke(app, ["serve", "--port", str(taken.getsockname()[1])])
    assert r.exit_code == 1 and "端口可能已被占用" in r.output


def test_serve_with_several_workers_answers(tmp_path):
    """The multi-process path (each worker builds its app from JUNHENG_*)."""
    import os
    import subprocess
    import sys
    import time
    from pathlib import Path

    import httpx

    from .test_browser import free_port

    root = Path(__file__).resolve().parents[2]
    port = free_port()
    env = {**os.environ, "JUNHENG_DATA_DIR": str(tmp_path), "PYTHONPATH": str(root / "src")}
    env.pop("JUNHENG_DATABASE_URL", None)
    proc = subprocess.Popen([sys.executable, "-m", "junheng", "serve", "--port", str(port), "--workers", "2"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        answered = None
        while answered is None and time.monotonic() < deadline and proc.poll() is None:
            try:
                answered = httpx.get(f"http://127.0.0.1:{port}/api/me", timeout=2)
            except httpx.TransportError:
                time.sleep(0.2)
        assert answered is not None, proc.stderr.read() if proc.poll() is not None else "no answer"
        assert answered.status_code == 401 and answered.json()["error"]["code"] == "unauthenticated"
    finally:
        proc.terminate()
        proc.wait(timeout=30)

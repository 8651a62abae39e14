"""Settings: built, never imported as a global (DESIGN.md practice 7).

Every field reads from an environment variable with the prefix ``JUNHENG_``
(``JUNHENG_DATABASE_URL``, ``JUNHENG_DATA_DIR``, ...). Build one with
``Settings()`` at the edge (a CLI command, ``create_app``) and pass it down.
"""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_dir
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_data_dir() -> Path:
    return Path(user_data_dir("junheng", appauthor=False))


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="JUNHENG_", extra="ignore")

    # Where junheng keeps its files (the default SQLite database among them).
    data_dir: Path = Field(default_factory=default_data_dir)
    # SQLAlchemy URL. Empty: SQLite file ``junheng.db`` under ``data_dir``.
    # PostgreSQL: ``postgresql+psycopg://user:password@host:5432/dbname``.
    database_url: str | None = None
    # Echo SQL statements (debugging).
    database_echo: bool = False
    # How long (seconds) SQLite waits for another writer before giving up.
    sqlite_busy_timeout: float = 60.0
    # SQLite connections kept open for reuse (the web app's worker threads share them).
    sqlite_pool_size: int = 20
    # The standard a county evaluates against: a shipped id (``yzjh-2017``) or the path
    # of its own YAML file (``junheng standard new``). Empty: yzjh-2017. Used by
    # import, serve, evaluate, plan and report; their ``--standard`` takes precedence.
    standard: str | None = None
    # The bureau's own font files or folders for the PDF reports and charts, separated by
    # os.pathsep (";" on Windows, ":" elsewhere), e.g. a folder holding 方正小标宋简体 and
    # 仿宋_GB2312. Read by junheng.reports.fonts. Empty: the 公文 fonts of the system, or
    # another CJK font of the system, or the Noto fonts installed with junheng.
    report_fonts: str | None = None
    # Decimal places per kind of figure in every output (reports, workbooks, JSON texts,
    # pages), as JSON: JUNHENG_PLACES='{"cv": 4, "percent": 2}'. Kinds: count, percent,
    # ratio, money, cv, limit; the rest keep their defaults (cv 3, percent 1, ratio 2,
    # money 2, limit 2). Rounding is always half-up on the decimal value (Excel's ROUND).
    places: dict[str, int] = Field(default_factory=dict)
    # The teacher-supply settings file (workload norms, tolerance, retirement ages, the
    # curriculum file; docs/teachers.md), JUNHENG_TEACHER_SUPPLY=path. Read by
    # analysis.teacher_supply for every output (fact sheet, reports, junheng teachers,
    # the web page) so that they agree; the web app checks it at start.
    teacher_supply: str | None = None

    # --- web app (junheng serve) ---
    # Session cookies only over HTTPS. Empty: decided per request (HTTPS gives a
    # Secure cookie); set true behind an HTTPS proxy, false never needed.
    web_cookie_secure: bool | None = None
    # Hours a sign-in lasts.
    web_session_hours: float = 12.0
    # Largest upload accepted (workbooks, evidence files), in MB.
    web_max_upload_mb: float = 20.0
    # Largest total size an uploaded .xlsx may unpack to, in MB (zip-bomb guard).
    web_max_unpacked_mb: float = 300.0
    # Most rows a sheet of an uploaded workbook may have.
    web_max_rows: int = 500_000
    # Failed sign-ins allowed per user name and address within the window below.
    web_login_max_failures: int = 5
    # The window (seconds) of the sign-in limit.
    web_login_window_seconds: float = 300.0
    # Consecutive failed sign-ins of one account (from anywhere) before each further
    # attempt must wait (1 s, 2 s, 4 s, ... up to 15 min) ...
    web_login_delay_after: int = 3
    # ... and before the account is locked until an admin lifts the lock (0: never).
    web_login_lock_after: int = 10
    # Reverse proxies whose X-Forwarded-For / Forwarded headers name the client: addresses
    # or CIDRs, comma-separated (``127.0.0.1,10.0.0.0/8``). Empty: the peer is the client.
    trusted_proxies: str = ""
    # Minutes without a request after which a sign-in ends (besides web_session_hours).
    web_session_idle_minutes: float = 30.0
    # Days a password may be used before it must be changed (0: no expiry).
    web_password_max_age_days: int = 0
    # Days audit lines are kept (older ones are deleted at start and daily); 0: forever.
    # 等保 and the 网络安全法 ask for at least 180 days.
    web_audit_retention_days: int = 0
    # Worker processes the web app starts for reports, plans and imports (jobs); 0: none,
    # run `junheng worker` yourself (the queue is in the database either way).
    web_job_workers: int = Field(default=2, ge=0, le=32)

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'junheng.db'}"

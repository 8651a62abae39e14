"""The one error hierarchy. Bad *data* gives issues, not exceptions; these are for a
broken standard file, a missing file, a storage conflict and the like. Every message
is Simplified Chinese, ready for a user."""

from __future__ import annotations


class JunhengError(Exception):
    """Base of every error junheng reports to a user (CLI exit 1, HTTP 4xx)."""

    exit_code = 1
    http_status = 400
    code = "error"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class StandardError(JunhengError):
    """A standard file cannot be used; the message names the file and the key path."""

    code = "standard-invalid"

    def __init__(self, file: str, key_path: str, detail: str, line: int | None = None):
        where = f" 的 {key_path}" if key_path else ""
        at = f"（第 {line} 行）" if line else ""
        super().__init__(f"标准文件 {file}{where} 有误{at}：{detail}")
        self.file, self.key_path, self.detail, self.line = file, key_path, detail, line


class NotFoundError(JunhengError):
    code = "not-found"
    http_status = 404


class ConflictError(JunhengError):
    code = "conflict"
    http_status = 409


class PermissionDeniedError(JunhengError):
    code = "forbidden"
    http_status = 403


class ConcurrentImportError(ConflictError):
    """Two imports of the same county-year raced; this one lost and stored nothing."""

    code = "import-conflict"

    def __init__(self, county_code: str, school_year: int):
        super().__init__(
            f"县区 {county_code} {school_year} 学年的数据正在被另一次导入更新（或刚刚更新），"
            "本次导入未保存任何数据，请稍后重试"
        )
        self.county_code, self.school_year = county_code, school_year


class ReportError(JunhengError):
    """A report cannot be produced (no CJK font installed, an output we cannot write)."""

    code = "report-failed"
    http_status = 500


class InvalidWorkbookError(JunhengError):
    """A workbook an analysis needs has errors; ``junheng validate`` lists them."""

    code = "workbook-invalid"
    http_status = 422

    def __init__(self, file: str, errors: int):
        super().__init__(f"工作簿 {file} 有 {errors} 处错误，无法分析；请先运行 junheng validate {file} 查看并修改")
        self.file, self.errors = file, errors


class NotAuthenticatedError(JunhengError):
    """No live sign-in: the web app asks to sign in (pages) or answers 401 (API)."""

    code = "unauthenticated"
    http_status = 401

    def __init__(self, message: str = "请先登录"):
        super().__init__(message)


class TooManyAttemptsError(JunhengError):
    code = "too-many-attempts"
    http_status = 429

    def __init__(self, retry_after: int):
        wait = f"{retry_after} 秒" if retry_after < 60 else f"{max(1, -(-retry_after // 60))} 分钟"
        super().__init__(f"登录失败次数过多，请 {wait}后再试")
        self.retry_after = retry_after


class AccountLockedError(JunhengError):
    """Too many failed sign-ins: only an admin can lift the lock (users page)."""

    code = "account-locked"
    http_status = 423

    def __init__(self) -> None:
        super().__init__("该账号因连续登录失败次数过多已被锁定，请联系系统管理员或县教育局管理员解锁")


class PasswordChangeRequiredError(JunhengError):
    """Signed in, but the password must be changed first (new account, reset, expired)."""

    code = "password-change-required"
    http_status = 403

    def __init__(self, message: str = "请先修改密码：新建或被重置的账号第一次登录、或密码已过期时，须先设置新密码") -> None:
        super().__init__(message)


class InvalidRequestError(JunhengError):
    """A request the app cannot act on as sent (bad form value, wrong state, bad upload).
    ``details``: located problems (issues of a submission, fields of a form)."""

    code = "invalid-request"
    http_status = 422

    def __init__(self, message: str, details: list | None = None, code: str | None = None):
        super().__init__(message)
        self.details = details or []
        if code:
            self.code = code


class RefusedFileError(InvalidRequestError):
    """A workbook refused before it is unpacked (too large, a zip bomb, XML entity
    declarations): not bad data to list cell by cell, a file not to be opened at all.
    CLI exit code 2; HTTP 422 (413 when the file itself is too large)."""

    code = "upload-rejected"
    exit_code = 2

    def __init__(self, message: str, code: str | None = None):
        super().__init__(message, code=code)
        if code == "too-large":
            self.http_status = 413


class PlanSettingsError(JunhengError):
    """A plan-settings file cannot be used; the message names the file and the key."""

    code = "plan-settings-invalid"
    exit_code = 2


class PlanningError(JunhengError):
    """No plan can be made for these data (missing indicator data, nothing to plan)."""

    code = "planning-failed"
    http_status = 422


class SupplySettingsError(JunhengError):
    """A teacher-supply settings or curriculum file cannot be used (names the file and key)."""

    code = "supply-settings-invalid"
    exit_code = 2


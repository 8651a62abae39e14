"""The audit log: every change with who, when, what, and old → new.

``record`` is called inside the change's own write transaction, so a change and its
log line are stored together or not at all.
"""

from __future__ import annotations

from contextvars import ContextVar
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, delete, insert

from junheng.core.yearly import jsonable
from junheng.storage.engine import write_transaction
from junheng.storage.web_models import AuditEntry

# The client address of the request being served (set by the web app for each request,
# after JUNHENG_TRUSTED_PROXIES): every line records where it came from.
CLIENT_ADDRESS: ContextVar[str | None] = ContextVar("junheng_client_address", default=None)

ACTION_ZH = {
    "create": "新建", "update": "修改", "login": "登录", "open": "开启填报", "save": "保存",
    "submit": "提交", "return": "退回", "approve": "通过", "publish": "汇总入库",
    "import": "导入工作簿", "upload": "上传", "judge": "认定", "delete": "删除",
    "logout": "退出登录", "logout_all": "退出全部登录", "login_failed": "登录失败",
    "login_refused": "登录被拒绝", "lock": "锁定账号", "unlock": "解锁账号",
    "denied": "越权访问被拒绝", "download": "下载", "export": "导出", "expire": "登录超时",
    "approve_refused": "审核被拒绝（职责分离）",
    "confirm": "确认数值",
}

ENTITY_ZH = {
    "user": "用户", "session": "账号", "round": "填报轮次", "submission": "学校填报",
    "ledger": "整改台账", "evidence": "佐证材料", "county_year": "县域数据",
    "kindergartens": "幼儿园填报", "county_notes": "县级说明", "audit": "审计日志", "file": "文件", "page": "页面",
    "confirmation": "超出合理范围的数值",
}


def record(conn: Connection, actor: str, action: str, entity: str, key: str,
           old: Any, new: Any, *, county_code: str | None = None, address: str | None = None) -> None:
    where = address or CLIENT_ADDRESS.get()
    conn.execute(insert(AuditEntry).values(
        at=datetime.now(UTC), actor=actor, action=action, entity=entity, entity_key=key,
        county_code=county_code, old=jsonable(old), new=jsonable(new),
        address=where[:64] if where else None))


def record_now(engine: Engine, actor: str, action: str, entity: str, key: str, old: Any = None,
               new: Any = None, *, county_code: str | None = None, address: str | None = None) -> None:
    """A line on its own (an event that changes nothing: a failure, a denial, a download)."""
    with write_transaction(engine) as conn:
        record(conn, actor, action, entity, key, old, new, county_code=county_code, address=address)


def prune(engine: Engine, keep_days: int) -> int:
    """Delete lines older than ``keep_days`` (0: keep everything); the number deleted."""
    if keep_days <= 0:
        return 0
    cutoff = datetime.now(UTC) - timedelta(days=keep_days)
    with write_transaction(engine) as conn:
        return conn.execute(delete(AuditEntry).where(AuditEntry.at < cutoff)).rowcount or 0

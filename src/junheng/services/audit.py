"""The audit log: every change with who, when, what, and old → new.

``record`` is called inside the change's own write transaction, so a change and its
log line are stored together or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, insert, select

from junheng.core.yearly import jsonable
from junheng.storage.engine import read_connection
from junheng.storage.web_models import AuditEntry

if TYPE_CHECKING:
    from junheng.services.accounts import Principal

ACTION_ZH = {
    "create": "新建", "update": "修改", "login": "登录", "open": "开启填报", "save": "保存",
    "submit": "提交", "return": "退回", "approve": "通过", "publish": "汇总入库",
    "import": "导入工作簿", "upload": "上传", "judge": "认定", "delete": "删除",
    "confirm": "确认数值",
}

ENTITY_ZH = {
    "user": "用户", "session": "登录", "round": "填报轮次", "submission": "学校填报",
    "ledger": "整改台账", "evidence": "佐证材料", "county_year": "县域数据",
    "kindergartens": "幼儿园填报", "confirmation": "超出合理范围的数值",
}


def record(conn: Connection, actor: str, action: str, entity: str, key: str,
           old: Any, new: Any, *, county_code: str | None = None) -> None:
    conn.execute(insert(AuditEntry).values(
        at=datetime.now(UTC), actor=actor, action=action, entity=entity, entity_key=key,
        county_code=county_code, old=jsonable(old), new=jsonable(new)))


@dataclass(frozen=True, slots=True)
class AuditLine:
    id: int
    at: datetime
    actor: str
    action: str
    entity: str
    entity_key: str
    county_code: str | None
    old: Any
    new: Any

    @property
    def action_zh(self) -> str:
        return ACTION_ZH.get(self.action, self.action)

    @property
    def entity_zh(self) -> str:
        return ENTITY_ZH.get(self.entity, self.entity)

    def public(self) -> dict[str, Any]:
        return {"id": self.id, "at": self.at.isoformat(), "actor": self.actor, "action": self.action,
                "action_zh": self.action_zh, "entity": self.entity, "entity_zh": self.entity_zh, "entity_key": self.entity_key,
                "county_code": self.county_code, "old": self.old, "new": self.new}


def audit_lines(engine: Engine, actor: Principal, *, county_code: str | None = None,
                limit: int = 200) -> list[AuditLine]:
    """The newest lines first: all of them for an admin, one county's for its bureau."""
    from junheng.services.accounts import require

    if county_code is None:
        require(actor.is_admin, "查看全部审计日志")
    else:
        require(actor.can_read_collection(county_code), "查看该县区的审计日志")
    q = select(AuditEntry.__table__).order_by(AuditEntry.id.desc()).limit(max(1, min(limit, 1000)))
    if county_code is not None:
        q = q.where(AuditEntry.county_code == county_code)
    with read_connection(engine) as conn:
        rows = conn.execute(q).all()
    return [AuditLine(r.id, r.at if r.at.tzinfo else r.at.replace(tzinfo=UTC), r.actor, r.action,
                      r.entity, r.entity_key, r.county_code, r.old, r.new) for r in rows]

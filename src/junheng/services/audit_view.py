"""The audit log as the security officer reads it: in Chinese (who, when, from where,
what, and each changed field by its name in the template — 「学校.教学及辅助用房面积（㎡）」,
not ``schools.teaching_area``), filtered, and exported as CSV or .xlsx.

Writing lines is services.audit (inside each change's own transaction); reading is here.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import Engine, select

from junheng.services.accounts import Principal, require
from junheng.services.audit import ACTION_ZH, ENTITY_ZH
from junheng.services.submission_forms import spec
from junheng.storage.engine import read_connection
from junheng.storage.web_models import AuditEntry

CHINA = timezone(timedelta(hours=8), "北京时间")
MAX_EXPORT = 100_000

# Keys that are not template fields, by their Chinese name.
FIELD_ZH = {
    "username": "用户名", "display_name": "姓名", "role": "角色", "region_code": "地区代码",
    "school_code": "学校标识码", "active": "启用", "password": "密码", "status": "状态",
    "comment": "意见", "school_name": "学校名称", "owner": "责任人", "deadline": "整改期限",
    "note": "备注", "closed_year": "销号学年", "met": "认定结论", "file_name": "文件名",
    "size": "大小（字节）", "sha256": "SHA-256", "version": "版本", "school_year": "学年",
    "county_name": "县区名称", "schools": "学校数", "说明": "警告说明", "path": "地址",
    "reason": "原因", "failed_sign_ins": "连续失败次数", "from_year": "数据来源学年", "locked": "已锁定", "retry_after": "需等待（秒）",
    "must_change_password": "须修改密码", "sessions": "结束的登录数", "filters": "筛选条件",
    "rows": "行数", "format": "格式", "kindergartens": "幼儿园数", "kindergarten_classes": "幼儿园班级数",
}
STATUS_ZH = {"draft": "未提交", "submitted": "待审核", "returned": "已退回", "approved": "已通过",
             "open": "未销号", "in_progress": "整改中", "closed": "已销号", "published": "已汇总"}
_PATH = re.compile(r"^(?P<table>[^.\[]+)(?P<index>\[\d+\])?\.(?P<field>.+)$")


@functools.cache
def _template_names() -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """(field key → header over all sheets, sheet name → {field key → header})."""
    flat: dict[str, str] = {}
    by_sheet: dict[str, dict[str, str]] = {}
    for sheet in spec().sheets:
        names = {f.key: f.display_header for f in sheet.fields}
        by_sheet[sheet.name] = names
        for k, v in names.items():
            flat.setdefault(k, v)
    return flat, by_sheet


def field_zh(key: str) -> str:
    """``学校.teaching_area`` → ``学校.教学及辅助用房面积（㎡）``; ``display_name`` → ``姓名``."""
    if key in FIELD_ZH:
        return FIELD_ZH[key]
    flat, by_sheet = _template_names()
    m = _PATH.match(key)
    if m and m["table"] in by_sheet:
        name = by_sheet[m["table"]].get(m["field"], FIELD_ZH.get(m["field"], m["field"]))
        return f"{m['table']}{m['index'] or ''}.{name}"
    return flat.get(key, key)


def value_zh(value: Any) -> str:
    if value is None or value == "":
        return "（空）"
    if value is True:
        return "是"
    if value is False:
        return "否"
    if isinstance(value, str):
        return STATUS_ZH.get(value, value)
    if isinstance(value, dict):
        return "；".join(f"{field_zh(str(k))}：{value_zh(v)}" for k, v in value.items()) or "（空）"
    if isinstance(value, list):
        return "、".join(value_zh(v) for v in value) or "（空）"
    return str(value)


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
    address: str | None = None

    @property
    def action_zh(self) -> str:
        return ACTION_ZH.get(self.action, self.action)

    @property
    def entity_zh(self) -> str:
        return ENTITY_ZH.get(self.entity, self.entity)

    @property
    def at_zh(self) -> str:
        return self.at.astimezone(CHINA).strftime("%Y-%m-%d %H:%M:%S")

    def changes(self) -> list[tuple[str, str, str]]:
        """(field, before, after) by field name; a line that is not a change of fields
        (a sign-in, a download) gives its details as (field, "", value)."""
        old = self.old if isinstance(self.old, dict) else ({} if self.old is None else {"": self.old})
        new = self.new if isinstance(self.new, dict) else ({} if self.new is None else {"": self.new})
        keys = list(dict.fromkeys([*old, *new]))
        return [(field_zh(k) if k else "内容", value_zh(old.get(k)) if k in old else "",
                 value_zh(new.get(k)) if k in new else "") for k in keys]

    def changes_text(self) -> str:
        return "；".join(f"{f}：{a} → {b}" if a else f"{f}：{b}" for f, a, b in self.changes())

    def public(self) -> dict[str, Any]:
        return {"id": self.id, "at": self.at.isoformat(), "actor": self.actor, "action": self.action,
                "action_zh": self.action_zh, "entity": self.entity, "entity_zh": self.entity_zh,
                "entity_key": self.entity_key, "county_code": self.county_code, "address": self.address,
                "old": self.old, "new": self.new,
                "changes": [{"field": f, "old": a, "new": b} for f, a, b in self.changes()]}


@dataclass(frozen=True, slots=True)
class AuditFilter:
    actor: str | None = None
    action: str | None = None
    entity: str | None = None
    key: str | None = None  # part of the entity key (a school code, a user name)
    address: str | None = None
    since: date | None = None  # Beijing dates, inclusive
    until: date | None = None

    def query_string(self) -> str:
        from urllib.parse import urlencode

        return urlencode({k: str(getattr(self, k)) for k in self.__slots__ if getattr(self, k)})


def audit_lines(engine: Engine, actor: Principal, *, county_code: str | None = None,
                limit: int = 200, where: AuditFilter | None = None) -> list[AuditLine]:
    """The newest lines first, for the security officer (安全审计员) alone: every line
    for one without a region, its region's counties' lines otherwise; ``county_code``
    narrows to one county. Admins and county bureaus do not read the log of what they
    did (docs/security-checklist.md)."""
    require(actor.can_read_audit(county_code), "查看审计日志" if county_code is None else "查看该县区的审计日志")
    t = AuditEntry.__table__
    q = select(t).order_by(t.c.id.desc()).limit(max(1, min(limit, MAX_EXPORT)))
    if county_code is not None:
        q = q.where(t.c.county_code == county_code)
    elif actor.region_code:
        q = q.where(t.c.county_code.startswith(actor.region_code, autoescape=True))
    f = where or AuditFilter()
    if f.actor:
        q = q.where(t.c.actor == f.actor)
    if f.action:
        q = q.where(t.c.action == f.action)
    if f.entity:
        q = q.where(t.c.entity == f.entity)
    if f.key:
        q = q.where(t.c.entity_key.contains(f.key, autoescape=True))
    if f.address:
        q = q.where(t.c.address == f.address)
    if f.since:
        q = q.where(t.c.at >= datetime.combine(f.since, datetime.min.time(), CHINA).astimezone(UTC))
    if f.until:
        end = datetime.combine(f.until + timedelta(days=1), datetime.min.time(), CHINA)
        q = q.where(t.c.at < end.astimezone(UTC))
    with read_connection(engine) as conn:
        rows = conn.execute(q).all()
    return [AuditLine(r.id, r.at if r.at.tzinfo else r.at.replace(tzinfo=UTC), r.actor, r.action,
                      r.entity, r.entity_key, r.county_code, r.old, r.new, r.address) for r in rows]


EXPORT_HEADERS = ("编号", "时间（北京时间）", "操作人", "来源地址", "操作", "对象", "对象标识", "县区代码", "内容（原值 → 新值）")


def _row(line: AuditLine) -> list[Any]:
    return [line.id, line.at_zh, line.actor, line.address or "", line.action_zh, line.entity_zh,
            line.entity_key, line.county_code or "", line.changes_text()]


def _safe(value: Any) -> Any:
    """A cell Excel would run as a formula (=, +, -, @) is written as text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def export_csv(lines: list[AuditLine]) -> bytes:
    """UTF-8 with a byte-order mark: Excel and WPS open it in Chinese."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EXPORT_HEADERS)
    for line in lines:
        writer.writerow([_safe(v) for v in _row(line)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def export_xlsx(lines: list[AuditLine]) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False})
    sheet = book.add_worksheet("审计日志")
    bold = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    for c, (header, width) in enumerate(zip(EXPORT_HEADERS, (8, 20, 14, 16, 12, 12, 26, 10, 70),
                                            strict=True)):
        sheet.write_string(0, c, header, bold)
        sheet.set_column(c, c, width, wrap if c == len(EXPORT_HEADERS) - 1 else None)
    for r, line in enumerate(lines, start=1):
        for c, value in enumerate(_row(line)):
            if isinstance(value, int):
                sheet.write_number(r, c, value)
            else:
                sheet.write_string(r, c, value)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(1, len(lines)), len(EXPORT_HEADERS) - 1)
    book.close()
    return buffer.getvalue()

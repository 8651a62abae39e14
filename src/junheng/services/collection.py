"""Collection rounds (填报): the bureau opens a round for a school year, each school
fills its part, submits, the bureau returns it with a comment or approves it; when
every school is approved the round's data is stored as the county-year (evaluated,
versioned, like an imported workbook) and the ledger follows it. The bureau fills the
county's part: 基本信息, 县级指标 and the kindergartens (学前教育, services.round_kindergartens).

Rules come in two strengths, like the national statistics system: errors (the
importer's) block submission; warnings (the importer's and plausibility.yaml's) need a
written 说明. Every change is audited in its own transaction.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from junheng.core.confirmations import Confirmations
from junheng.core.errors import (
    ConflictError,
    InvalidRequestError,
    NotFoundError,
    PermissionDeniedError,
)
from junheng.core.standard import Standard
from junheng.services import plausibility
from junheng.services import submission_forms as sf
from junheng.services.accounts import Principal, Role, require, utcnow
from junheng.services.audit import record
from junheng.services.duties import changed_by, master_changes
from junheng.services.history import import_county_data
from junheng.storage import repository as repo
from junheng.storage.engine import read_connection, write_transaction
from junheng.storage.web_models import (
    CollectionRound,
    RoundKindergartens,
    Submission,
    SubmissionEvent,
)

EDITABLE = ("draft", "returned")
STATUSES = ("draft", "submitted", "returned", "approved")
MAX_TEXT = 200  # characters in one cell
MAX_EXPLANATION = 1000
_SCHOOL_CODE = re.compile(r"\d{10}")


# ---------------------------------------------------------------- reading


def load_round(conn: Connection, round_id: int, lock: bool = False) -> Any:
    """The round; ``lock`` holds its row until the transaction ends (PostgreSQL; SQLite
    writers are serialised anyway), so decisions on the round's state take turns."""
    q = select(CollectionRound.__table__).where(CollectionRound.id == round_id)
    row = conn.execute(q.with_for_update() if lock else q).first()
    if row is None:
        raise NotFoundError(f"没有编号为 {round_id} 的填报轮次")
    return row


def _submission(conn: Connection, round_id: int, school_code: str) -> Any:
    row = conn.execute(select(Submission.__table__).where(
        Submission.round_id == round_id, Submission.school_code == school_code)).first()
    if row is None:
        raise NotFoundError(f"本轮填报中没有学校 {school_code}")
    return row


def load_kindergartens(conn: Connection, round_id: int) -> Any:
    """The round's kindergarten part, None when it collects no kindergartens."""
    return conn.execute(select(RoundKindergartens.__table__)
                        .where(RoundKindergartens.round_id == round_id)).first()


def round_info(row: Any, counts: dict[str, int] | None = None) -> dict[str, Any]:
    return {"id": row.id, "county_code": row.county_code, "school_year": row.school_year,
            "status": row.status, "county_name": row.county.get("county_name") or row.county_code,
            "opened_by": row.opened_by, "opened_at": row.opened_at.isoformat(),
            "published_version": row.published_version, "counts": counts or {}}


def _counts(conn: Connection, round_id: int) -> dict[str, int]:
    rows = conn.execute(select(Submission.status, func.count()).where(Submission.round_id == round_id)
                        .group_by(Submission.status)).all()
    counts = dict.fromkeys(STATUSES, 0) | {status: n for status, n in rows}
    counts["total"] = sum(counts[s] for s in STATUSES)
    return counts


def list_rounds(engine: Engine, actor: Principal) -> list[dict[str, Any]]:
    """The rounds a user takes part in; a clerk sees its own school's status in each."""
    require(actor.role in (Role.ADMIN, Role.SUPERVISOR, Role.COUNTY_ADMIN, Role.CLERK), "查看数据填报")
    t = CollectionRound.__table__
    q = select(t).order_by(t.c.school_year.desc(), t.c.county_code)
    if not actor.is_admin:
        q = q.where(t.c.county_code.startswith(actor.region_code or "-", autoescape=True))
    with read_connection(engine) as conn:
        rows = conn.execute(q).all()
        out = []
        for row in rows:
            info = round_info(row, _counts(conn, row.id))
            if actor.role is Role.CLERK:
                mine = conn.execute(select(Submission.status, Submission.comment).where(
                    Submission.round_id == row.id, Submission.school_code == actor.school_code)).first()
                if mine is None:
                    continue
                info["counts"] = {}
                info["my_status"], info["my_comment"] = mine.status, mine.comment
            out.append(info)
    return out


def round_detail(engine: Engine, actor: Principal, round_id: int) -> dict[str, Any]:
    with read_connection(engine) as conn:
        row = load_round(conn, round_id)
        require(actor.can_read_collection(row.county_code), "查看该县区的填报进度")
        subs = conn.execute(select(Submission.school_code, Submission.school_name, Submission.status,
                                   Submission.updated_at, Submission.updated_by, Submission.comment,
                                   Submission.submitted_at)
                            .where(Submission.round_id == round_id).order_by(Submission.school_code)).all()
        info = round_info(row, _counts(conn, round_id))
    # the 县级说明 are the bureau's alone (services/round_notes.py), not the clerks'
    info["county"], info["facts"] = row.county, {k: v for k, v in row.facts.items()
                                                 if k not in (sf.NOTES_KEY, sf.PROJECTS_KEY)}
    info["submissions"] = [
        {"school_code": s.school_code, "school_name": s.school_name, "status": s.status,
         "updated_at": s.updated_at.isoformat(), "updated_by": s.updated_by, "comment": s.comment,
         "submitted_at": s.submitted_at.isoformat() if s.submitted_at else None} for s in subs]
    return info


def check_form(round_row: Any, school_code: str, form: dict[str, Any]) -> list[dict[str, Any]]:
    """Every issue of one school's form: the importer's, then the plausibility warnings."""
    # An implausible value of a school's form is a warning that needs a 说明 here; the
    # county's approval of the school is its confirmation (docs/validation.md).
    checked = sf.check(round_row.county, None, [(school_code, form)],
                       confirmations=Confirmations.every_value(review=True))
    issues = checked.issues_json(only_school=school_code)
    if checked.result.data is not None:
        issues += plausibility.warnings(checked.result.data, school_code, round_row.baseline)
    return issues


def submission_view(engine: Engine, actor: Principal, round_id: int, school_code: str) -> dict[str, Any]:
    with read_connection(engine) as conn:
        rnd = load_round(conn, round_id)
        require(actor.is_clerk_of(rnd.county_code, school_code)
                or actor.can_read_collection(rnd.county_code), "查看该学校的填报")
        sub = _submission(conn, round_id, school_code)
        events = conn.execute(select(SubmissionEvent.__table__)
                              .where(SubmissionEvent.submission_id == sub.id)
                              .order_by(SubmissionEvent.id)).all()
        editors = changed_by(conn, rnd.county_code, _key(rnd, school_code))
        master = master_changes(conn, rnd.county_code, _key(rnd, school_code), sub.data)
    issues = check_form(rnd, school_code, sub.data)
    return {
        "round": round_info(rnd), "school_code": school_code, "school_name": sub.school_name,
        "status": sub.status, "data": sub.data, "explanations": sub.explanations,
        "comment": sub.comment, "revision": sub.revision, "issues": issues,
        "errors": sum(1 for i in issues if i["severity"] == "error"),
        "unexplained": [i["key"] for i in issues
                        if i["severity"] == "warning" and not sub.explanations.get(i["key"], "").strip()],
        "can_edit": actor.can_edit_school(rnd.county_code, school_code) and sub.status in EDITABLE,
        "can_review": actor.can_manage_county(rnd.county_code),
        # separation of duties: whoever filled or changed the values may not approve them
        "may_approve": actor.can_manage_county(rnd.county_code) and actor.actor not in editors,
        "editors": sorted(editors), "master_changes": master,
        "updated_at": sub.updated_at.isoformat(), "updated_by": sub.updated_by,
        "events": [{"at": e.at.isoformat(), "actor": e.actor, "action": e.action, "comment": e.comment}
                   for e in events],
    }


# ---------------------------------------------------------------- opening a round


def open_round(engine: Engine, actor: Principal, county_code: str, school_year: int,
               county_name: str | None = None) -> int:
    """Open a round; schools, their figures, the county's facts and its kindergartens
    start from the latest stored earlier year (the clerk updates last year's numbers)."""
    require(actor.can_manage_county(county_code), "为该县区开启填报")
    if not (len(county_code) == 6 and county_code.isdigit()):
        raise InvalidRequestError(f"县区代码应为 6 位数字：{county_code}")
    if not 2000 <= school_year <= 2100:
        raise InvalidRequestError(f"学年应在 2000—2100 之间：{school_year}")
    with read_connection(engine) as conn:
        earlier = [v for v in repo.county_years(conn, county_code) if v.school_year < school_year]
        base = repo.load_version(conn, earlier[-1].id) if earlier else None
    if base is not None:
        county = sf.county_cells(base) | {"school_year": school_year}
        facts = sf.facts_cells(base)
        if notes := sf.notes_rows(base):
            facts[sf.NOTES_KEY] = notes
        if projects := sf.project_rows(base):
            facts[sf.PROJECTS_KEY] = projects
        forms = [(s.code, s.name, sf.school_form(base, s.code)) for s in base.schools]
        kindergartens = sf.kindergarten_form(base) if base.extra_tables.get("kindergartens") else None
    else:
        if not (county_name or "").strip():
            raise InvalidRequestError("数据库中没有该县区上一学年的数据，请填写县区名称")
        county = {"county_code": county_code, "county_name": county_name.strip(), "school_year": school_year}
        facts, forms, kindergartens = {}, [], None
    if county_name and county_name.strip():
        county["county_name"] = county_name.strip()
    now = utcnow()
    try:
        with write_transaction(engine) as conn:
            round_id = conn.execute(insert(CollectionRound).values(
                county_code=county_code, school_year=school_year, status="open", county=county,
                facts=facts, baseline=plausibility.baseline(base), opened_by=actor.actor,
                opened_at=now).returning(CollectionRound.id)).scalar_one()
            if forms:
                conn.execute(insert(Submission), [
                    dict(round_id=round_id, school_code=code, school_name=name, status="draft",
                         data=form, explanations={}, revision=1, updated_at=now, updated_by=actor.actor)
                    for code, name, form in forms])
            if kindergartens is not None:
                conn.execute(insert(RoundKindergartens).values(
                    round_id=round_id, data=kindergartens, revision=1, updated_at=now, updated_by=actor.actor))
            record(conn, actor.actor, "open", "round", f"{county_code}/{school_year}", None,
                   {"schools": len(forms), "from_year": base.county.school_year if base else None,
                    **({"kindergartens": len(kindergartens["kindergartens"])} if kindergartens else {})},
                   county_code=county_code)
    except IntegrityError:
        raise ConflictError(f"县区 {county_code} {school_year} 学年的填报已经开启") from None
    return round_id


def add_school(engine: Engine, actor: Principal, round_id: int, school_code: str, name: str) -> None:
    school_code, name = school_code.strip(), name.strip()
    if not _SCHOOL_CODE.fullmatch(school_code):
        raise InvalidRequestError(f"学校标识码应为 10 位数字：{school_code}")
    if not name or len(name) > MAX_TEXT:
        raise InvalidRequestError("请填写学校名称（不超过 200 字）")
    now = utcnow()
    try:
        with write_transaction(engine) as conn:
            rnd = load_round(conn, round_id)
            require(actor.can_manage_county(rnd.county_code), "为该县区添加学校")
            conn.execute(insert(Submission).values(
                round_id=round_id, school_code=school_code, school_name=name, status="draft",
                data=sf.blank_form(school_code, name), explanations={}, revision=1, updated_at=now,
                updated_by=actor.actor))
            reopen_round(conn, rnd)
            record(conn, actor.actor, "create", "submission", f"{rnd.county_code}/{rnd.school_year}/{school_code}",
                   None, {"school_name": name}, county_code=rnd.county_code)
    except IntegrityError:
        raise ConflictError(f"本轮填报中已有学校 {school_code}") from None


def reopen_round(conn: Connection, rnd: Any) -> None:
    """A change after publishing opens the round again (the next publish is a new version)."""
    if rnd.status != "open":
        conn.execute(update(CollectionRound).where(CollectionRound.id == rnd.id).values(status="open"))


# ---------------------------------------------------------------- the school's part


def clean_form(form: Any) -> dict[str, Any]:
    """The form's shape, or a Chinese error: tables of records of plain cells."""
    if not isinstance(form, dict):
        raise InvalidRequestError("填报数据应为对象")
    out: dict[str, Any] = {}
    school = form.get("schools") or {}
    if not isinstance(school, dict):
        raise InvalidRequestError("「学校」应为一条记录")
    out["schools"] = {k: clean_cell(v) for k, v in school.items()}
    return out | clean_tables(form, sf.SCHOOL_TABLES[1:], sf.MAX_RECORDS)


def clean_tables(form: dict[str, Any], keys: tuple[str, ...], max_rows: int) -> dict[str, Any]:
    """Tables of a form as lists of records of plain cells, or a Chinese error."""
    out = {}
    for key in keys:
        rows = form.get(key) or []
        if not isinstance(rows, list) or any(not isinstance(r, dict) for r in rows):
            raise InvalidRequestError(f"「{sf.spec().sheet(key).name}」应为记录的列表")
        if len(rows) > max_rows:
            raise InvalidRequestError(f"「{sf.spec().sheet(key).name}」最多 {max_rows} 行")
        out[key] = [{k: clean_cell(v) for k, v in r.items()} for r in rows]
    return out


def clean_cell(value: Any) -> Any:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        if value != value or abs(value) > 1e15:  # NaN, or beyond any cell: kept as typed text
            return None if value != value else str(value)[:MAX_TEXT]
        return value
    if isinstance(value, str):
        return value[:MAX_TEXT]
    raise InvalidRequestError("单元格的值应为文字、数字或是/否")


def validate_form(engine: Engine, actor: Principal, round_id: int, school_code: str,
                  form: Any) -> list[dict[str, Any]]:
    """Check a form as typed, without saving (live messages)."""
    with read_connection(engine) as conn:
        rnd = load_round(conn, round_id)
        require(actor.can_edit_school(rnd.county_code, school_code), "填报该学校的数据")
        _submission(conn, round_id, school_code)
    return check_form(rnd, school_code, clean_form(form))


def save_form(engine: Engine, actor: Principal, round_id: int, school_code: str, form: Any,
              explanations: dict[str, str] | None = None, revision: int | None = None) -> dict[str, Any]:
    form = clean_form(form)
    notes = {str(k)[:200]: str(v)[:MAX_EXPLANATION] for k, v in (explanations or {}).items()
             if str(v).strip()}
    with write_transaction(engine) as conn:
        rnd = load_round(conn, round_id)
        require(actor.can_edit_school(rnd.county_code, school_code), "填报该学校的数据")
        sub = _submission(conn, round_id, school_code)
        _require_editable(sub)
        if revision is not None and revision != sub.revision:
            raise ConflictError("本校数据已被他人修改，请刷新页面后再保存（您的修改未保存）")
        old, new = form_changes(sub.data, form)
        # the school list keeps the approved name until the bureau approves a clerk's change
        name = str(form["schools"].get("name") or sub.school_name)[:MAX_TEXT]
        if not actor.can_manage_county(rnd.county_code):
            name = sub.school_name
        _update_if_unchanged(conn, sub, data=form, explanations=notes, revision=sub.revision + 1,
                             updated_at=utcnow(), updated_by=actor.actor, school_name=name)
        if old or new or notes != sub.explanations:
            if notes != sub.explanations:
                old["说明"], new["说明"] = sub.explanations, notes
            record(conn, actor.actor, "save", "submission", _key(rnd, school_code), old, new,
                   county_code=rnd.county_code)
    return submission_view(engine, actor, round_id, school_code)


def _update_if_unchanged(conn: Connection, sub: Any, **values: Any) -> None:
    """Write only over the revision that was read: of two changes racing from the same
    revision (PostgreSQL runs them side by side) one wins, the other is told to reload."""
    done = conn.execute(update(Submission).where(
        Submission.id == sub.id, Submission.revision == sub.revision).values(**values))
    if done.rowcount != 1:
        raise ConflictError("本校数据刚刚被他人修改，请刷新页面后重试（本次修改未保存）")


def _key(rnd: Any, school_code: str) -> str:
    return f"{rnd.county_code}/{rnd.school_year}/{school_code}"


def _require_editable(sub: Any) -> None:
    if sub.status not in EDITABLE:
        state = "已提交，正在等待审核" if sub.status == "submitted" else "已通过审核"
        raise ConflictError(f"本校数据{state}，不能修改；如需修改请联系县教育局退回")


def form_changes(old: dict[str, Any], new: dict[str, Any], tables: tuple[str, ...] = sf.SCHOOL_TABLES
                 ) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only what changed, by path (学校.teaching_area, 教师[3].degree): the audit's old → new."""
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for key in tables:
        name = sf.spec().sheet(key).name
        a, b = old.get(key), new.get(key)
        pairs = [(name, a or {}, b or {})] if key == "schools" else [
            (f"{name}[{i + 1}]", (a or [])[i] if i < len(a or []) else None,
             (b or [])[i] if i < len(b or []) else None)
            for i in range(max(len(a or []), len(b or [])))]
        for path, x, y in pairs:
            if x == y:
                continue
            if x is None or y is None:
                before[path], after[path] = x, y
                continue
            for k in sorted(set(x) | set(y)):
                if x.get(k) != y.get(k):
                    before[f"{path}.{k}"], after[f"{path}.{k}"] = x.get(k), y.get(k)
    return before, after


def submit(engine: Engine, actor: Principal, round_id: int, school_code: str) -> dict[str, Any]:
    """Submit for review: no errors, and a 说明 for every warning."""
    with read_connection(engine) as conn:
        rnd = load_round(conn, round_id)
        require(actor.can_edit_school(rnd.county_code, school_code), "提交该学校的数据")
        sub = _submission(conn, round_id, school_code)
    _require_editable(sub)
    issues = check_form(rnd, school_code, sub.data)
    errors = [i for i in issues if i["severity"] == "error"]
    if errors:
        raise InvalidRequestError(f"还有 {len(errors)} 处错误，改正后才能提交", errors, "submission-invalid")
    missing = [i for i in issues if i["severity"] == "warning"
               and not sub.explanations.get(i["key"], "").strip()]
    if missing:
        raise InvalidRequestError(f"有 {len(missing)} 条警告需要填写说明后才能提交", missing,
                                  "explanation-required")
    with write_transaction(engine) as conn:
        now = conn.execute(select(Submission.revision, Submission.status).where(Submission.id == sub.id)).one()
        if now.revision != sub.revision or now.status != sub.status:
            raise ConflictError("本校数据刚刚被修改，请刷新页面后再提交")
        _set_status(conn, actor, rnd, sub, "submitted", None, submitted_at=utcnow())
    return submission_view(engine, actor, round_id, school_code)


def _set_status(conn: Connection, actor: Principal, rnd: Any, sub: Any, status: str,
                note: str | None, **values: Any) -> None:
    now = utcnow()
    _update_if_unchanged(conn, sub, status=status, revision=sub.revision + 1, **values)
    action = {"submitted": "submit", "returned": "return", "approved": "approve"}[status]
    conn.execute(insert(SubmissionEvent).values(submission_id=sub.id, at=now, actor=actor.actor,
                                                action=action, comment=note))
    record(conn, actor.actor, action, "submission", _key(rnd, sub.school_code),
           {"status": sub.status}, {"status": status, **({"comment": note} if note else {})},
           county_code=rnd.county_code)


def review(engine: Engine, actor: Principal, round_id: int, school_code: str, decision: str,
           comment: str | None = None, *, standard: Standard | None = None) -> dict[str, Any]:
    """Return with a comment, or approve. The last approval publishes the round
    (evaluated against ``standard``, default yzjh-2017)."""
    comment = (comment or "").strip()[:MAX_EXPLANATION] or None
    if decision not in ("return", "approve"):
        raise InvalidRequestError("审核结论应为 return（退回）或 approve（通过）")
    with write_transaction(engine) as conn:
        # locked: the approval that leaves nothing pending is known to be the last one
        rnd = load_round(conn, round_id, lock=True)
        require(actor.can_manage_county(rnd.county_code), "审核该县区的填报")
        sub = _submission(conn, round_id, school_code)
        if decision == "return":
            if not comment:
                raise InvalidRequestError("退回时请填写退回意见，说明需要修改什么")
            if sub.status not in ("submitted", "approved"):
                raise ConflictError("只有已提交或已通过的数据可以退回")
            _set_status(conn, actor, rnd, sub, "returned", comment, comment=comment,
                        reviewed_at=utcnow(), reviewed_by=actor.actor)
            reopen_round(conn, rnd)
        else:
            if sub.status != "submitted":
                raise ConflictError("只有已提交的数据可以审核通过")
            if actor.actor in changed_by(conn, rnd.county_code, _key(rnd, school_code)):
                raise PermissionDeniedError(
                    "您在本轮填报中修改过该校的数据，按职责分离要求不能由您审核通过；"
                    "请由本县另一位教育局管理员审核（可以退回）")
            name = str(sub.data.get("schools", {}).get("name") or sub.school_name)[:MAX_TEXT]
            _set_status(conn, actor, rnd, sub, "approved", comment, reviewed_at=utcnow(),
                        reviewed_by=actor.actor, school_name=name)
        pending = conn.execute(select(func.count()).where(
            Submission.round_id == round_id, Submission.status != "approved")).scalar_one()
    published, blocked = None, None
    if decision == "approve" and pending == 0:
        try:
            published = publish(engine, actor, round_id, standard=standard)
        except InvalidRequestError as exc:  # the approval stands; the bureau fixes its part first
            blocked = exc.message
    view = submission_view(engine, actor, round_id, school_code)
    view["published"], view["publish_blocked"] = published, blocked
    return view


# ---------------------------------------------------------------- the bureau's part


def update_county_part(engine: Engine, actor: Principal, round_id: int, county: dict[str, Any],
                       facts: dict[str, Any]) -> dict[str, Any]:
    """基本信息 and 县级指标 of the round, checked by the importer."""
    with read_connection(engine) as conn:
        rnd = load_round(conn, round_id)
    require(actor.can_manage_county(rnd.county_code), "修改该县区的基本信息和县级指标")
    county = {k: clean_cell(v) for k, v in county.items()} | {
        "county_code": rnd.county_code, "school_year": rnd.school_year}
    facts = {k: clean_cell(v) for k, v in facts.items() if v not in (None, "")}
    checked = sf.check(county, facts, [])
    problems = [i for i in checked.issues_json() if i["table"] in ("county", "facts")]
    errors = [i for i in problems if i["severity"] == "error"]
    if errors:
        raise InvalidRequestError(f"基本信息或县级指标有 {len(errors)} 处错误", errors)
    with write_transaction(engine) as conn:
        rnd = load_round(conn, round_id)
        for key in (sf.NOTES_KEY, sf.PROJECTS_KEY):  # kept: not part of the facts form
            if key in rnd.facts:
                facts[key] = rnd.facts[key]
        conn.execute(update(CollectionRound).where(CollectionRound.id == round_id)
                     .values(county=county, facts=facts))
        old = {k: v for k, v in {**rnd.county, **rnd.facts}.items() if {**county, **facts}.get(k) != v}
        new = {k: v for k, v in {**county, **facts}.items() if {**rnd.county, **rnd.facts}.get(k) != v}
        if old or new:
            record(conn, actor.actor, "update", "round", f"{rnd.county_code}/{rnd.school_year}", old, new,
                   county_code=rnd.county_code)
            reopen_round(conn, rnd)
    return {"warnings": [i for i in problems if i["severity"] == "warning"]}


def publish(engine: Engine, actor: Principal, round_id: int, *,
            standard: Standard | None = None) -> dict[str, Any]:
    """Store the approved data as the county-year (a new version), evaluated against
    ``standard`` (default yzjh-2017), and follow the ledger."""
    from junheng.services.ledger import sync_ledger

    with read_connection(engine) as conn:
        rnd = load_round(conn, round_id)
        require(actor.can_manage_county(rnd.county_code), "汇总该县区的数据")
        subs = conn.execute(select(Submission.school_code, Submission.school_name, Submission.status,
                                   Submission.data).where(Submission.round_id == round_id)
                            .order_by(Submission.school_code)).all()
        kindergartens = load_kindergartens(conn, round_id)
    pending = [s for s in subs if s.status != "approved"]
    if not subs or pending:
        names = "、".join(s.school_name for s in pending[:10]) + ("等" if len(pending) > 10 else "")
        raise ConflictError(f"还有 {len(pending)} 所学校未通过审核（{names}），不能汇总入库"
                            if pending else "本轮还没有学校，不能汇总入库")
    label = f"{rnd.county.get('county_name', rnd.county_code)}{rnd.school_year}学年网页填报"
    checked = sf.check(rnd.county, rnd.facts, [(s.school_code, s.data) for s in subs], file_name=label,
                       kindergartens=kindergartens.data if kindergartens is not None else None,
                       confirmations=Confirmations.every_value(
                           by=actor.actor, reason="学校已填写说明，县教育局审核通过"))
    if checked.result.data is None:
        errors = [i for i in checked.issues_json() if i["severity"] == "error"]
        in_kindergartens = [i for i in errors if i["table"] in sf.KINDERGARTEN_TABLES]
        if in_kindergartens and len(in_kindergartens) == len(errors):
            raise InvalidRequestError(f"幼儿园数据有 {len(errors)} 处错误，请先在「幼儿园」页改正后再汇总入库",
                                      errors, "kindergartens-invalid")
        raise InvalidRequestError(f"汇总后的数据有 {len(errors)} 处错误，请先改正", errors)
    outcome = import_county_data(engine, checked.result.data, by=actor.actor, file_name=label,
                                 standard=standard)
    stored = outcome.stored or outcome.previous
    sync_ledger(engine, rnd.county_code)
    with write_transaction(engine) as conn:
        conn.execute(update(CollectionRound).where(CollectionRound.id == round_id).values(
            status="published", published_version=stored.version, published_at=utcnow()))
        record(conn, actor.actor, "publish", "round", f"{rnd.county_code}/{rnd.school_year}", None,
               {"version": stored.version, "recognised": stored.recognised}, county_code=rnd.county_code)
    return {"county_code": rnd.county_code, "school_year": rnd.school_year, "version": stored.version,
            "recognised": stored.recognised}

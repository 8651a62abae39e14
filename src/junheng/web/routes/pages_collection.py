"""Pages of the collection workflow, the evidence, the ledger and uploads.

The school's form page draws its editable tables with a small script that calls the
JSON API (live checks as the clerk types, save, submit); everything else is plain
HTML forms answered with a redirect.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import Response

from junheng.core.errors import InvalidRequestError, JunhengError
from junheng.services import (
    collection,
    confirmations,
    evidence,
    ledger,
    round_kindergartens,
    round_notes,
    uploads,
)
from junheng.services.accounts import Role, require
from junheng.services.submission_forms import KINDERGARTEN_TABLES, form_schema
from junheng.web.deps import CurrentUser, EngineDep, Id, SettingsDep, StandardDep
from junheng.web.routes.api_collection import limits, read_file
from junheng.web.routes.pages import redirect, render

router = APIRouter(include_in_schema=False)


def _uploaded(request: Request, back: str, run: Callable[[], Any],
              confirm_county: str | None = None) -> Any:
    """Run an upload: the issues found in the workbook are listed on an error page,
    other refusals the user can fix go back to ``back`` with the message. With
    ``confirm_county``, each implausible value gets a 确认 button."""
    try:
        return run()
    except InvalidRequestError as exc:
        if exc.details:
            return render(request, "error.html", status=422, message=exc.message, details=exc.details,
                          confirm_county=confirm_county)
        return _or_back(back, exc)
    except JunhengError as exc:
        return _or_back(back, exc)


def _or_back(url: str, exc: JunhengError) -> Response:
    """A request the user can fix goes back to the page with the message; a refusal
    (403/404) is an error page."""
    if exc.http_status in (403, 404):
        raise exc
    return redirect(url, exc.message, "bad")


@router.get("/collection")
def rounds_page(request: Request, engine: EngineDep, user: CurrentUser) -> Response:
    rounds = collection.list_rounds(engine, user)
    if user.role is Role.CLERK:
        current = [r for r in rounds if r["status"] == "open"] or rounds
        if len(current) >= 1:
            return redirect(f"/rounds/{current[0]['id']}/schools/{user.school_code}")
    return render(request, "rounds.html", rounds=rounds, title="数据填报")


@router.post("/collection/rounds")
def open_round(request: Request, engine: EngineDep, user: CurrentUser,
               school_year: int = Form(ge=2000, le=2100), county_code: str = Form("", max_length=6),
               county_name: str = Form("", max_length=100)) -> Response:
    code = county_code.strip() if user.is_admin else (user.region_code or "")
    try:
        round_id = collection.open_round(engine, user, code, school_year, county_name or None)
    except JunhengError as exc:
        return _or_back("/collection", exc)
    return redirect(f"/rounds/{round_id}", f"已开启 {school_year} 学年填报")


@router.get("/rounds/{round_id}")
def round_page(request: Request, round_id: Id, engine: EngineDep, user: CurrentUser) -> Response:
    r = collection.round_detail(engine, user, round_id)
    can_manage = user.can_manage_county(r["county_code"])
    kg = round_kindergartens.kindergarten_view(engine, user, round_id) if can_manage else None
    notes = round_notes.notes_view(engine, user, round_id) if can_manage else None
    return render(request, "round.html", r=r, can_manage=can_manage, kg=kg, notes=notes,
                  title=f"{r['county_name']} {r['school_year']} 学年填报")


@router.post("/rounds/{round_id}/schools")
def add_school(request: Request, round_id: Id, engine: EngineDep, user: CurrentUser,
               school_code: str = Form(max_length=10), name: str = Form(max_length=200)) -> Response:
    try:
        collection.add_school(engine, user, round_id, school_code, name)
    except JunhengError as exc:
        return _or_back(f"/rounds/{round_id}", exc)
    return redirect(f"/rounds/{round_id}", f"已添加学校 {name}")


@router.post("/rounds/{round_id}/notes")
async def notes_save(request: Request, round_id: Id, engine: EngineDep, user: CurrentUser) -> Response:
    """The 县级说明 text blocks of the round page (one textarea per chapter)."""
    form = await request.form()
    texts = {c: str(form.get(f"note.{c}", "")) for c in round_notes.chapters() if f"note.{c}" in form}
    url = f"/rounds/{round_id}#notes"
    try:
        from starlette.concurrency import run_in_threadpool

        done = await run_in_threadpool(round_notes.save_notes, engine, user, round_id, texts)
    except JunhengError as exc:
        return _or_back(url, exc)
    if not done["changed"]:
        return redirect(url, "县级说明没有改动")
    return redirect(url, f"已保存县级说明：{'、'.join(done['changed'])}")


@router.post("/rounds/{round_id}/publish")
def publish(request: Request, round_id: Id, engine: EngineDep, user: CurrentUser,
            standard: StandardDep) -> Response:
    try:
        done = collection.publish(engine, user, round_id, standard=standard)
    except JunhengError as exc:
        return _or_back(f"/rounds/{round_id}", exc)
    return redirect(f"/counties/{done['county_code']}?year={done['school_year']}",
                    f"已汇总入库（第 {done['version']} 版）")


@router.get("/rounds/{round_id}/schools/{school_code}")
def submission_page(request: Request, round_id: Id, school_code: str, engine: EngineDep,
                    user: CurrentUser) -> Response:
    view = collection.submission_view(engine, user, round_id, school_code)
    return render(request, "submission.html", v=view, schema=form_schema(),
                  page={"api": f"/api/rounds/{round_id}/schools/{school_code}", "view": view,
                        "schema": form_schema(), "record": "schools",
                        "tables": ["teachers", "classes", "rooms", "health"], "explain": True},
                  title=f"{view['school_name']} 填报")


@router.post("/rounds/{round_id}/schools/{school_code}/review")
def review(request: Request, round_id: Id, school_code: str, engine: EngineDep, user: CurrentUser,
           standard: StandardDep, decision: str = Form(max_length=10),
           comment: str = Form("", max_length=1000)) -> Response:
    url = f"/rounds/{round_id}/schools/{school_code}"
    try:
        view = collection.review(engine, user, round_id, school_code, decision, comment, standard=standard)
    except JunhengError as exc:
        return _or_back(url, exc)
    if view.get("published"):
        p = view["published"]
        verdict = "达到" if p["recognised"] else "未达到"
        return redirect(f"/counties/{p['county_code']}?year={p['school_year']}",
                        f"全部学校已通过审核，数据已汇总入库（第 {p['version']} 版）：{verdict}优质均衡")
    if view.get("publish_blocked"):
        return redirect(f"/rounds/{round_id}", f"已审核通过，全部学校均已通过，但未能汇总入库：{view['publish_blocked']}",
                        "warn")
    return redirect(f"/rounds/{round_id}", "已退回" if decision == "return" else "已审核通过")


@router.post("/rounds/{round_id}/schools/{school_code}/upload")
def upload_school(request: Request, round_id: Id, school_code: str, engine: EngineDep,
                  user: CurrentUser, settings: SettingsDep, file: UploadFile = File(...)) -> Response:
    url = f"/rounds/{round_id}/schools/{school_code}"
    done = _uploaded(request, url, lambda: uploads.import_school_upload(
        engine, user, round_id, school_code, read_file(file, settings), file.filename or "上传.xlsx",
        limits(settings)))
    if isinstance(done, Response):
        return done
    return redirect(url, "已读入工作簿中的本校数据，请检查后提交")


@router.get("/rounds/{round_id}/county")
def county_part_page(request: Request, round_id: Id, engine: EngineDep, user: CurrentUser) -> Response:
    r = collection.round_detail(engine, user, round_id)
    return render(request, "county_part.html", r=r, schema=form_schema(),
                  can_manage=user.can_manage_county(r["county_code"]), title="基本信息和县级指标")


@router.post("/rounds/{round_id}/county")
async def county_part_save(request: Request, round_id: Id, engine: EngineDep, user: CurrentUser) -> Response:
    form = await request.form()
    schema = form_schema()
    county = {f["key"]: str(form.get(f"county.{f['key']}", "")).strip() for f in schema["county"]["fields"]}
    facts = {f["key"]: str(form.get(f"facts.{f['key']}", "")).strip() for f in schema["facts"]["fields"]}
    url = f"/rounds/{round_id}/county"
    try:
        from starlette.concurrency import run_in_threadpool

        result = await run_in_threadpool(collection.update_county_part, engine, user, round_id,
                                         {k: v for k, v in county.items() if v}, facts)
    except InvalidRequestError as exc:
        if exc.details:
            return render(request, "error.html", status=422, message=exc.message, details=exc.details)
        return _or_back(url, exc)
    note = f"（{len(result['warnings'])} 条警告）" if result["warnings"] else ""
    return redirect(url, f"已保存{note}")


@router.get("/rounds/{round_id}/kindergartens")
def kindergartens_page(request: Request, round_id: Id, engine: EngineDep, user: CurrentUser) -> Response:
    view = round_kindergartens.kindergarten_view(engine, user, round_id)
    return render(request, "kindergartens.html", v=view, schema=form_schema(),
                  page={"api": f"/api/rounds/{round_id}/kindergartens", "view": view, "schema": form_schema(),
                        "record": None, "tables": list(KINDERGARTEN_TABLES), "explain": False},
                  title="幼儿园（学前教育）")


@router.post("/rounds/{round_id}/kindergartens/upload")
def kindergartens_upload(request: Request, round_id: Id, engine: EngineDep, user: CurrentUser,
                         settings: SettingsDep, file: UploadFile = File(...)) -> Response:
    url = f"/rounds/{round_id}/kindergartens"
    view = _uploaded(request, url, lambda: round_kindergartens.import_upload(
        engine, user, round_id, read_file(file, settings), file.filename or "上传.xlsx", limits(settings)))
    if isinstance(view, Response):
        return view
    counts = view["counts"]
    return redirect(url, f"已读入幼儿园 {counts['kindergartens']} 所、班级 {counts['kindergarten_classes']} 个，"
                         "请检查后汇总入库")


@router.get("/rounds/{round_id}/evidence")
def evidence_page(request: Request, round_id: Id, engine: EngineDep, user: CurrentUser,
                  standard: StandardDep) -> Response:
    e = evidence.round_evidence(engine, user, round_id, standard=standard)
    return render(request, "evidence.html", e=e, can_manage=user.can_manage_county(e["county_code"]),
                  title="佐证材料")


@router.post("/rounds/{round_id}/evidence/{item_id}/files")
def evidence_upload(request: Request, round_id: Id, item_id: str, engine: EngineDep, user: CurrentUser,
                    settings: SettingsDep, standard: StandardDep, file: UploadFile = File(...)) -> Response:
    url = f"/rounds/{round_id}/evidence"
    try:
        evidence.add_file(engine, user, round_id, item_id, file.filename or "附件",
                          read_file(file, settings), limits(settings).max_bytes, standard=standard)
    except JunhengError as exc:
        return _or_back(url, exc)
    return redirect(url, "已上传")


@router.post("/rounds/{round_id}/evidence/{item_id}/judgement")
def evidence_judge(request: Request, round_id: Id, item_id: str, engine: EngineDep, user: CurrentUser,
                   standard: StandardDep, met: str = Form(max_length=5),
                   comment: str = Form("", max_length=1000)) -> Response:
    url = f"/rounds/{round_id}/evidence"
    try:
        evidence.judge(engine, user, round_id, item_id, met == "yes", comment, standard=standard)
    except JunhengError as exc:
        return _or_back(url, exc)
    return redirect(url, f"已认定 {item_id}")


@router.get("/ledger")
def ledger_home(request: Request, user: CurrentUser) -> Response:
    require(user.role in (Role.ADMIN, Role.COUNTY_ADMIN, Role.SUPERVISOR), "查看整改台账")
    if user.region_code and len(user.region_code) == 6:
        return redirect(f"/counties/{user.region_code}/ledger")
    return redirect("/collection", "请从填报轮次或县区页面进入该县区的整改台账", "warn")


@router.get("/counties/{county_code}/ledger")
def ledger_page(request: Request, county_code: str, engine: EngineDep, user: CurrentUser) -> Response:
    entries = ledger.ledger_entries(engine, user, county_code)
    return render(request, "ledger.html", entries=entries, county_code=county_code,
                  can_manage=user.can_manage_county(county_code), title="整改台账")


@router.post("/ledger/{entry_id}")
def ledger_save(request: Request, entry_id: Id, engine: EngineDep, user: CurrentUser,
                owner: str = Form(max_length=100), deadline: date = Form(),
                status: str = Form(max_length=12), note: str = Form("", max_length=1000),
                back: str = Form("/ledger", max_length=100)) -> Response:
    back = back if back.startswith("/counties/") else "/ledger"
    try:
        ledger.update_entry(engine, user, entry_id, owner=owner, deadline=deadline, status=status, note=note)
    except JunhengError as exc:
        return _or_back(back, exc)
    return redirect(back, "已保存")


@router.post("/counties/{county_code}/confirmations")
def confirm_value(request: Request, county_code: str, engine: EngineDep, user: CurrentUser,
                  sheet: str = Form(max_length=100), cell: str = Form(max_length=10),
                  value: str = Form(max_length=100), reason: str = Form("", max_length=500)) -> Response:
    try:
        done = confirmations.confirm_value(engine, user, county_code, sheet=sheet, cell=cell,
                                           value=value, reason=reason)
    except JunhengError as exc:
        return _or_back("/collection", exc)
    return redirect("/collection", f"已确认 {done['sheet']}!{done['cell']} 的值 {done['value']}，"
                                   "请重新上传该工作簿（同一单元格为同一数值时不再报错）")

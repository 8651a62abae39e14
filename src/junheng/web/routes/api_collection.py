"""JSON API: collection rounds, school submissions and their review, the county's
kindergarten part, evidence files."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from junheng.services import (
    collection,
    downloads,
    evidence,
    round_kindergartens,
    round_notes,
    uploads,
)
from junheng.services.submission_forms import form_schema
from junheng.settings import Settings
from junheng.web.deps import CurrentUser, EngineDep, Id, SettingsDep, StandardDep

router = APIRouter(prefix="/api", tags=["数据填报"])


class RoundCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    county_code: str = Field(max_length=6)
    school_year: int = Field(ge=2000, le=2100)
    county_name: str | None = Field(default=None, max_length=100)


class RoundCreated(BaseModel):
    id: int


class SchoolAdd(BaseModel):
    model_config = ConfigDict(extra="forbid")
    school_code: str = Field(max_length=10)
    name: str = Field(max_length=200)


class CountyPart(BaseModel):
    model_config = ConfigDict(extra="forbid")
    county: dict[str, Any] = {}
    facts: dict[str, Any] = {}


class FormIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    data: dict[str, Any]
    explanations: dict[str, str] = {}
    revision: int | None = Field(default=None, ge=0, le=2_147_483_647)


class FormCheck(BaseModel):
    model_config = ConfigDict(extra="forbid")
    data: dict[str, Any]


class KindergartensIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    data: dict[str, Any]
    revision: int | None = Field(default=None, ge=0, le=2_147_483_647)


class ReviewIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    decision: Literal["return", "approve"]
    comment: str | None = Field(default=None, max_length=1000)


class JudgementIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    met: bool
    comment: str | None = Field(default=None, max_length=1000)


def limits(settings: Settings) -> uploads.ArchiveLimits:
    return uploads.web_limits(settings)


def read_file(file: UploadFile, settings: Settings) -> bytes:
    """At most one byte over the limit is read: enough to know it is too big."""
    return file.file.read(limits(settings).max_bytes + 1)


def attachment(content: bytes, name: str, media_type: str) -> Response:
    from urllib.parse import quote

    return Response(content, media_type=media_type, headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"})


@router.get("/form-schema", summary="填报表的列、类型和可选值")
def schema(user: CurrentUser) -> dict[str, Any]:
    return form_schema()


@router.get("/rounds", summary="填报轮次")
def list_rounds(engine: EngineDep, user: CurrentUser) -> list[dict[str, Any]]:
    return collection.list_rounds(engine, user)


@router.post("/rounds", response_model=RoundCreated, status_code=201, summary="开启填报（县教育局）")
def open_round(body: RoundCreate, engine: EngineDep, user: CurrentUser) -> RoundCreated:
    return RoundCreated(id=collection.open_round(engine, user, body.county_code, body.school_year,
                                                 body.county_name))


@router.get("/rounds/{round_id}", summary="填报进度：各校状态")
def round_detail(round_id: Id, engine: EngineDep, user: CurrentUser) -> dict[str, Any]:
    return collection.round_detail(engine, user, round_id)


@router.put("/rounds/{round_id}/county", summary="修改基本信息和县级指标")
def update_county(round_id: Id, body: CountyPart, engine: EngineDep, user: CurrentUser) -> dict[str, Any]:
    return collection.update_county_part(engine, user, round_id, body.county, body.facts)


@router.post("/rounds/{round_id}/schools", status_code=201, summary="添加学校")
def add_school(round_id: Id, body: SchoolAdd, engine: EngineDep, user: CurrentUser) -> dict[str, Any]:
    collection.add_school(engine, user, round_id, body.school_code, body.name)
    return collection.round_detail(engine, user, round_id)


@router.post("/rounds/{round_id}/publish", summary="汇总入库（全部学校通过审核后）")
def publish(round_id: Id, engine: EngineDep, user: CurrentUser, standard: StandardDep) -> dict[str, Any]:
    return collection.publish(engine, user, round_id, standard=standard)


@router.get("/rounds/{round_id}/schools/{school_code}", summary="学校填报数据、问题和审核记录")
def get_submission(round_id: Id, school_code: str, engine: EngineDep, user: CurrentUser) -> dict[str, Any]:
    return collection.submission_view(engine, user, round_id, school_code)


@router.put("/rounds/{round_id}/schools/{school_code}", summary="保存学校填报数据（草稿）")
def save_submission(round_id: Id, school_code: str, body: FormIn, engine: EngineDep,
                    user: CurrentUser) -> dict[str, Any]:
    return collection.save_form(engine, user, round_id, school_code, body.data, body.explanations,
                                body.revision)


@router.post("/rounds/{round_id}/schools/{school_code}/validate", summary="校验（不保存）")
def validate_submission(round_id: Id, school_code: str, body: FormCheck, engine: EngineDep,
                        user: CurrentUser) -> dict[str, Any]:
    issues = collection.validate_form(engine, user, round_id, school_code, body.data)
    return {"issues": issues, "errors": sum(1 for i in issues if i["severity"] == "error")}


@router.post("/rounds/{round_id}/schools/{school_code}/submit", summary="提交审核")
def submit(round_id: Id, school_code: str, engine: EngineDep, user: CurrentUser) -> dict[str, Any]:
    return collection.submit(engine, user, round_id, school_code)


@router.post("/rounds/{round_id}/schools/{school_code}/review", summary="审核：退回或通过")
def review(round_id: Id, school_code: str, body: ReviewIn, engine: EngineDep,
           user: CurrentUser, standard: StandardDep) -> dict[str, Any]:
    return collection.review(engine, user, round_id, school_code, body.decision, body.comment,
                             standard=standard)


@router.post("/rounds/{round_id}/schools/{school_code}/upload", summary="上传本校的工作簿填入表单")
def upload_school(round_id: Id, school_code: str, engine: EngineDep, user: CurrentUser,
                  settings: SettingsDep, file: UploadFile = File(...)) -> dict[str, Any]:
    return uploads.import_school_upload(engine, user, round_id, school_code, read_file(file, settings),
                                        file.filename or "上传.xlsx", limits(settings))


@router.get("/rounds/{round_id}/schools/{school_code}/workbook.xlsx", summary="下载本校填报工作簿")
def school_workbook(round_id: Id, school_code: str, engine: EngineDep, user: CurrentUser) -> Response:
    content = downloads.school_part(engine, user, round_id, school_code)
    return attachment(content, f"{school_code}-填报.xlsx", downloads.XLSX)


@router.get("/rounds/{round_id}/kindergartens", summary="幼儿园填报数据和检查结果（县教育局）")
def get_kindergartens(round_id: Id, engine: EngineDep, user: CurrentUser) -> dict[str, Any]:
    return round_kindergartens.kindergarten_view(engine, user, round_id)


@router.put("/rounds/{round_id}/kindergartens", summary="保存幼儿园和幼儿园班级（县教育局）")
def save_kindergartens(round_id: Id, body: KindergartensIn, engine: EngineDep,
                       user: CurrentUser) -> dict[str, Any]:
    return round_kindergartens.save_part(engine, user, round_id, body.data, body.revision)


@router.post("/rounds/{round_id}/kindergartens/validate", summary="校验幼儿园数据（不保存）")
def validate_kindergartens(round_id: Id, body: FormCheck, engine: EngineDep, user: CurrentUser) -> dict[str, Any]:
    issues = round_kindergartens.validate_part(engine, user, round_id, body.data)
    return {"issues": issues, "errors": sum(1 for i in issues if i["severity"] == "error")}


@router.post("/rounds/{round_id}/kindergartens/upload", summary="上传工作簿中的幼儿园工作表填入表格")
def upload_kindergartens(round_id: Id, engine: EngineDep, user: CurrentUser, settings: SettingsDep,
                         file: UploadFile = File(...)) -> dict[str, Any]:
    return round_kindergartens.import_upload(engine, user, round_id, read_file(file, settings),
                                             file.filename or "上传.xlsx", limits(settings))


@router.get("/rounds/{round_id}/kindergartens/workbook.xlsx", summary="下载幼儿园填报工作簿")
def kindergartens_workbook(round_id: Id, engine: EngineDep, user: CurrentUser) -> Response:
    content = downloads.kindergarten_part(engine, user, round_id)
    return attachment(content, "幼儿园-填报.xlsx", downloads.XLSX)


class NotesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    notes: dict[str, str] = Field(description="章节（中文名）→ 文字，每行一段；未列出的章节不变，空文字清空该章节")


@router.get("/rounds/{round_id}/notes", summary="县级说明（自评报告中由县教育局撰写的章节）")
def get_notes(round_id: Id, engine: EngineDep, user: CurrentUser) -> dict[str, Any]:
    return round_notes.notes_view(engine, user, round_id)


@router.put("/rounds/{round_id}/notes", summary="保存县级说明（县教育局）")
def save_notes(round_id: Id, body: NotesIn, engine: EngineDep, user: CurrentUser) -> dict[str, Any]:
    return round_notes.save_notes(engine, user, round_id, body.notes)


@router.get("/rounds/{round_id}/evidence", summary="佐证材料与认定")
def round_evidence(round_id: Id, engine: EngineDep, user: CurrentUser, standard: StandardDep) -> dict[str, Any]:
    return evidence.round_evidence(engine, user, round_id, standard=standard)


@router.post("/rounds/{round_id}/evidence/{item_id}/files", status_code=201, summary="上传佐证材料")
def add_evidence(round_id: Id, item_id: str, engine: EngineDep, user: CurrentUser,
                 settings: SettingsDep, standard: StandardDep, file: UploadFile = File(...)) -> dict[str, Any]:
    file_id = evidence.add_file(engine, user, round_id, item_id, file.filename or "附件",
                                read_file(file, settings), limits(settings).max_bytes, standard=standard)
    return {"id": file_id}


@router.put("/rounds/{round_id}/evidence/{item_id}/judgement", summary="认定佐证项目是否达标")
def judge(round_id: Id, item_id: str, body: JudgementIn, engine: EngineDep,
          user: CurrentUser, standard: StandardDep) -> dict[str, Any]:
    evidence.judge(engine, user, round_id, item_id, body.met, body.comment, standard=standard)
    return evidence.round_evidence(engine, user, round_id, standard=standard)


@router.get("/evidence/{file_id}", summary="下载佐证材料")
def get_evidence(file_id: Id, engine: EngineDep, user: CurrentUser) -> Response:
    name, media_type, content = evidence.get_file(engine, user, file_id)
    return attachment(content, name, media_type)


@router.delete("/evidence/{file_id}", status_code=204, summary="删除佐证材料")
def delete_evidence(file_id: Id, engine: EngineDep, user: CurrentUser, request: Request) -> Response:
    evidence.delete_file(engine, user, file_id)
    return Response(status_code=204)

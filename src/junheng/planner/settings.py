"""Plan settings: what each action costs, what is allowed, how long to search.

The shipped ``plan-settings.yaml`` is the single source of the defaults; a user's file
only lists what it changes and is merged over them (``hires``, a list, is replaced as
a whole). Errors name the file and the key, in Chinese.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from junheng.core.errors import PlanSettingsError
from junheng.core.facts import BackboneLevel, Degree, RoomType, TeacherTitle
from junheng.core.yamltext import load_yaml

DEFAULT_FILE = "plan-settings.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


Cost = float | None  # 元; None: the action is not used


class Costs(_Strict):
    transfer: Cost = Field(ge=0)
    teaching_area: Cost = Field(ge=0)  # per ㎡
    sports_area: Cost = Field(ge=0)  # per ㎡
    equipment: Cost = Field(ge=0)  # per 元 of equipment value
    multimedia_room: Cost = Field(ge=0)
    room_build: dict[RoomType, Cost]
    room_refit: dict[RoomType, Cost]
    years: int = Field(default=1, ge=1, le=10)  # yearly costs (new teachers' pay) count this many years
    post_fill: Cost = Field(default=None, ge=0)  # 有编不补: yearly pay of one 在编 teacher recruited to a vacant post
    source: str = ""  # where the unit prices come from (e.g. 某县 2025 年造价信息)
    source_year: int | None = None
    examples: bool = False  # the shipped defaults: examples, to be replaced by local prices


class HireKind(_Strict):
    """A kind of new teacher: the standard's own filters decide what it counts for."""

    key: str
    name: str
    cost: Cost = Field(ge=0)
    degree: Degree
    backbone_level: BackboneLevel = BackboneLevel.NONE
    subject: str
    title: TeacherTitle | None = None


class Limits(_Strict):
    budget: float | None = Field(default=None, ge=0)
    yearly_budget: tuple[Annotated[float, Field(ge=0)], ...] | None = Field(default=None, min_length=1, max_length=10)  # a multi-year plan: each year's budget (元)
    first_year: int | None = Field(default=None, ge=2000, le=2100)  # its first calendar year
    target_year: int | None = Field(default=None, ge=2000, le=2100)  # 认定 by this year (default the last)
    max_extra_teaching_area: float | None = Field(default=None, ge=0)
    max_extra_sports_area: float | None = Field(default=None, ge=0)
    max_hires_per_school: int | None = Field(default=None, ge=0)
    max_transfers_in_per_school: int | None = Field(default=None, ge=0)
    max_transfers_out_per_school: int | None = Field(default=None, ge=0)
    transfer_public_only: bool = True
    transfer_share: float | None = Field(default=0.15, ge=0, le=1)  # spread: share of a school's teachers
    transfer_floor: int = Field(default=2, ge=0)  # … but at least this many
    # Which teacher goes where (issue 14 §1): pair senders and receivers in the same 乡镇
    # (township), 教育集团 (group) first, or anywhere (none). Subjects: ``required`` (a
    # rule: every transfer moves a teacher of a subject the receiver lacks, by the
    # teacher-supply analysis), ``preferred`` (such a teacher first, when the kind the
    # plan moves has one), ``off``. true/false of older files read as required/off.
    prefer_nearby: Literal["township", "group", "none"] = "township"
    match_subjects: Literal["required", "preferred", "off"] = "required"
    new_teacher_training_hours: float = Field(default=360, ge=0)

    @field_validator("match_subjects", mode="before")
    @classmethod
    def _old_bool(cls, value: Any) -> Any:
        return {True: "required", False: "off"}.get(value, value) if isinstance(value, bool) else value


class Steps(_Strict):
    area_m2: float = Field(gt=0)
    equipment_yuan: float = Field(gt=0)
    min_area_m2: float = Field(default=0, ge=0)  # the least area one construction adds (a classroom)


class Goals(_Strict):
    rooms: bool = True
    rotation: bool = True


class SolverOptions(_Strict):
    time_limit: float = Field(gt=0)
    mip_gap: float = Field(ge=0, lt=1)
    cv_margin: float = Field(ge=0, lt=0.1)
    cv_watch: float = Field(ge=0)
    max_rounds: int = Field(ge=1)
    optimal_gap: float = Field(default=1e-4, ge=0, lt=1)  # a gap up to this is called a proven optimum
    # Candidate senders per stage and kind of teacher (issue 14 §5) in a county of more
    # than ``large_county`` school parts: all of them up to ``sender_min``; beyond that
    # the richest ones until they hold
    # ``sender_pool`` × the teachers receivers could take, plus the richest of each
    # receiver's own area. None: every school with such teachers (the model grows with
    # every school of the county). A rule of the bound when it leaves senders out.
    sender_min: int | None = Field(default=40, ge=1)
    sender_pool: float = Field(default=4.0, ge=1)
    # Large counties (more than ``large_county`` school parts): a CV more than ``cv_lazy``
    # below its limit is modelled only once a plan breaks it (None: always all of them), and
    # the sender pool applies (smaller ones always consider every sender: under a tight CV
    # limit a 150-school county needed senders the pool left out, 59 s and 34× the cost).
    cv_lazy: float | None = Field(default=0.1, ge=0)
    large_county: int = Field(default=1000, ge=0)


class PlanSettings(_Strict):
    costs: Costs
    hires: tuple[HireKind, ...]
    limits: Limits
    steps: Steps
    goals: Goals
    solver: SolverOptions

    @field_validator("hires")
    @classmethod
    def _unique_keys(cls, hires: tuple[HireKind, ...]) -> tuple[HireKind, ...]:
        keys = [h.key for h in hires]
        dup = sorted({k for k in keys if keys.count(k) > 1})
        if dup:
            raise ValueError(f"新聘教师类别的 key 重复：{'、'.join(dup)}")
        return hires

    def with_budget(self, budget: float | None) -> PlanSettings:
        return self.model_copy(update={"limits": self.limits.model_copy(update={"budget": budget})})

    def with_years(self, **update: Any) -> PlanSettings:
        """Set any of ``yearly_budget``, ``first_year``, ``target_year``."""
        if "yearly_budget" in update:
            update["yearly_budget"] = tuple(update["yearly_budget"])
        return self.model_copy(update={"limits": self.limits.model_copy(update=update)})

    def with_time_limit(self, seconds: float) -> PlanSettings:
        return self.model_copy(update={"solver": self.solver.model_copy(update={"time_limit": seconds})})


def default_settings_text() -> str:
    return resources.files("junheng.planner").joinpath(DEFAULT_FILE).read_text("utf-8")


def default_settings() -> PlanSettings:
    return _validate(load_yaml(default_settings_text()), DEFAULT_FILE)


def load_plan_settings(path: str | Path | None = None) -> PlanSettings:
    """The defaults, with a user's file merged over them when ``path`` is given."""
    base = load_yaml(default_settings_text())
    if path is None:
        return _validate(base, DEFAULT_FILE)
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PlanSettingsError(f"找不到方案设置文件：{path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PlanSettingsError(f"无法读取方案设置文件 {path.name}（{exc}）") from None
    try:
        own = load_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f"第 {mark.line + 1} 行" if mark is not None else ""
        raise PlanSettingsError(f"方案设置文件 {path.name} {at}不是有效的 YAML：{exc}") from None
    if own is None:
        own = {}
    if not isinstance(own, dict):
        raise PlanSettingsError(f"方案设置文件 {path.name} 应为“项目: 值”的映射")
    return _validate(_merge(base, own), path.name)


def _merge(base: dict[str, Any], own: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in own.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            out[key] = _merge(base[key], value)
        else:
            out[key] = value
    return out


def _validate(raw: Any, origin: str) -> PlanSettings:
    try:
        return PlanSettings.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "（顶层）"
        raise PlanSettingsError(
            f"方案设置文件 {origin} 的 {where} 有误：{_message(first)}（值：{first.get('input')!r}）"
        ) from None


_MESSAGES = {
    "extra_forbidden": "不认识的项目",
    "missing": "缺少该项目",
    "greater_than_equal": "不能小于 {ge}",
    "greater_than": "应大于 {gt}",
    "less_than": "应小于 {lt}",
    "float_parsing": "应为数值",
    "float_type": "应为数值",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "enum": "应为以下之一：{expected}",
    "literal_error": "应为以下之一：{expected}",
}


def _message(error: dict[str, Any]) -> str:
    template = _MESSAGES.get(error["type"])
    if template is None:
        return str(error.get("msg", "")).removeprefix("Value error, ")
    ctx = {k: f"{v:g}" if isinstance(v, float) else v for k, v in (error.get("ctx") or {}).items()}
    return template.format(**ctx)

"""Read a workbook of survey responses exported from another tool (问卷星, a paper
survey typed into Excel …): one row per respondent.

Columns (the header row is the first row whose cells name the group column):
``群体`` (学生/家长/教师/校长/人大代表/政协委员/其他群众), ``学校代码`` (for 学生、家长、
教师、校长; blank for the others), then one column per item, headed by its number
(``1``, ``第1题``, ``题1``), its id (``gov_priority``) or its full text. An answer is
its value (5) or its label (非常满意); blank is not answered. Every problem is
reported with its sheet, row, column and value; the caller stores nothing when
there is any.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zipfile import BadZipFile

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from junheng.analysis.survey_design import GROUP_BY_ZH, GROUPS, SCHOOL_GROUPS, Questionnaire
from junheng.intake.archive import check_archive

GROUP_HEADERS = ("群体", "调查对象", "身份")
SCHOOL_HEADERS = ("学校代码", "学校标识码")
_NUMBERED = re.compile(r"^(?:第\s*)?(?:题\s*)?(\d{1,3})\s*(?:题)?$")


@dataclass(slots=True)
class ResponseProblem:
    sheet: str
    row: int
    column: str | None
    header: str | None
    value: Any
    message: str

    def __str__(self) -> str:
        if not self.sheet:  # the file itself
            return self.message
        where = f"「{self.sheet}」表 第{self.row}行"
        if self.column:
            where += f" {self.column}列"
        if self.header:
            where += f"「{self.header}」"
        shown = "" if self.value is None else f" 的值 \"{self.value}\""
        return f"{where}{shown}：{self.message}"


@dataclass(slots=True)
class ReadResponses:
    rows: list[tuple[int, str, str, dict[str, int | None]]] = field(default_factory=list)
    problems: list[ResponseProblem] = field(default_factory=list)
    sheet: str = ""


def _item_column(header: str, q: Questionnaire) -> str | None:
    h = re.sub(r"\s+", "", header)
    m = _NUMBERED.match(h)
    if m and 1 <= int(m.group(1)) <= len(q.items):
        return q.items[int(m.group(1)) - 1].id
    for i in q.items:
        if h in (i.id, re.sub(r"\s+", "", i.text), re.sub(r"\s+", "", i.student_text or "\0")):
            return i.id
    return None


def read_responses(path: str | Path, questionnaire: Questionnaire, schools: dict[str, str],
                   groups: tuple[str, ...]) -> ReadResponses:
    """``schools``: code → name of the county's schools; ``groups``: the survey's groups."""
    out = ReadResponses()
    check_archive(path)  # a zip bomb or XML entities: RefusedFileError before openpyxl reads it
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, KeyError, OSError, ValueError):
        out.problems.append(ResponseProblem("", 0, None, None, None,
                                            "不是有效的 Excel 工作簿（.xlsx），请用 Excel 或 WPS 另存为 .xlsx 后再导入"))
        return out
    try:
        ws = wb.worksheets[0]
        out.sheet = ws.title
        rows = list(ws.iter_rows(values_only=True))
    finally:
        wb.close()
    header_at = next((n for n, r in enumerate(rows[:10])
                      if any(str(c).strip() in GROUP_HEADERS for c in r if c is not None)), None)
    if header_at is None:
        out.problems.append(ResponseProblem(out.sheet, 1, None, None, None,
                                            f"找不到表头：须有一列名为「{GROUP_HEADERS[0]}」"))
        return out
    header = [("" if c is None else str(c).strip()) for c in rows[header_at]]
    group_col = next(i for i, h in enumerate(header) if h in GROUP_HEADERS)
    school_col = next((i for i, h in enumerate(header) if h in SCHOOL_HEADERS), None)
    items: dict[int, str] = {}
    for i, h in enumerate(header):
        if i in (group_col, school_col) or not h:
            continue
        item = _item_column(h, questionnaire)
        if item is not None:
            items[i] = item
    missing = [f"{n + 1}" for n, it in enumerate(questionnaire.items) if it.id not in items.values()]
    if missing:
        out.problems.append(ResponseProblem(out.sheet, header_at + 1, None, None, None,
                                            f"缺少第 {'、'.join(missing)} 题的列（列名可写题号、如「第1题」，或题目原文）"))
        return out
    for n, r in enumerate(rows[header_at + 1:], start=header_at + 2):
        if all(c is None or str(c).strip() == "" for c in r):
            continue
        _row(out, n, r, header, group_col, school_col, items, questionnaire, schools, groups)
    if not out.rows and not out.problems:
        out.problems.append(ResponseProblem(out.sheet, header_at + 1, None, None, None, "表头下没有任何答卷"))
    return out


def _cell(r: tuple, i: int | None) -> Any:
    return r[i] if i is not None and i < len(r) else None


def _row(out: ReadResponses, n: int, r: tuple, header: list[str], group_col: int, school_col: int | None,
         items: dict[int, str], q: Questionnaire, schools: dict[str, str], groups: tuple[str, ...]) -> None:
    def problem(col: int | None, value: Any, message: str) -> None:
        out.problems.append(ResponseProblem(out.sheet, n, None if col is None else get_column_letter(col + 1),
                                            None if col is None else header[col], value, message))

    raw_group = _cell(r, group_col)
    group = GROUP_BY_ZH.get(str(raw_group).strip()) if raw_group is not None else None
    if group is None:
        problem(group_col, raw_group, f"群体应为{'、'.join(GROUPS.values())}之一")
        return
    if group not in groups:
        problem(group_col, raw_group, "本次调查不包括这个群体（见调查设置 groups）")
        return
    school = _cell(r, school_col)
    code = "" if school is None else str(int(school) if isinstance(school, float) and school.is_integer()
                                           else school).strip()
    if group in SCHOOL_GROUPS:
        if school_col is None:
            problem(None, None, f"{GROUPS[group]}的答卷须有「学校代码」列")
            return
        if code not in schools:
            problem(school_col, school, "不是本县区学校的代码" if code else f"{GROUPS[group]}的答卷须填学校代码")
            return
    answers: dict[str, int | None] = {}
    asked = {i.id for i in q.items_for(group)}
    for col, item in items.items():
        value = _cell(r, col)
        if value is None or str(value).strip() == "":
            answers[item] = None
            continue
        parsed = q.answer_value(value)
        if parsed is None:
            labels = "、".join(f"{a.value}（{a.label}）" for a in q.scale)
            problem(col, value, f"答案应为 {labels} 之一，或留空")
            continue
        if item in asked:
            answers[item] = parsed
    out.rows.append((n, code if group in SCHOOL_GROUPS else "", group,
                     {k: v for k, v in answers.items() if k in asked}))

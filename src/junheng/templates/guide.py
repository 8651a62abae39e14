"""Human-readable descriptions of the template, generated from the template spec.

The template writer puts them in header comments, input messages, the 说明 column of
the key-value sheets and the 填表说明 sheet, so that what a user reads about a field
can never drift from what the importer checks.
"""

from __future__ import annotations

from junheng.templates.spec import FieldSpec, SheetSpec, TemplateSpec

GUIDE_SHEET = "填表说明"

_TYPE_ZH = {
    "text": "文本",
    "code": "编码（按文本填写）",
    "int": "整数",
    "number": "数值",
    "bool": "是/否",
    "enum": "下拉选择",
}

# One line per sheet of the canonical template, keyed by sheet key; a sheet of a
# later template version without a line here gets a generic one.
_SHEET_PURPOSE = {
    "county": "县（区）的基本情况：每个项目在「值」列填写一个值。",
    "schools": "每所义务教育学校（含教学点、特殊教育学校）填写一行。",
    "teachers": "每名专任教师填写一行，按其任教学段填写；不需要姓名和身份证号。",
    "classes": "每个班级填写一行；各校各学段的在校生数须等于本表该校该学段各班学生数之和。",
    "rooms": "每间音乐、美术专用教室填写一行，面积按实际使用面积填写。",
    "facts": "全县层面的政府保障、教育质量、社会认可度和一票否决事项：每个项目在「值」列填写一个值。",
    "projects": ("可选表：每个新建、改扩建、加层、运动场、宿舍、幼儿园建设项目填写一行；已立项、在建、已竣工的项目"
                 "按竣工年份计入学位预测、整改方案和年度答卷“重点项目进展”，竣工年份不晚于本学年的项目应已计入「学校」表。"),
}


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def type_text(field: FieldSpec) -> str:
    text = _TYPE_ZH[field.type]
    if field.type == "code" and field.digits:
        text = f"{field.digits} 位数字编码（按文本填写，保留开头的 0）"
    return text


def allowed_text(field: FieldSpec, sheet: SheetSpec, spec: TemplateSpec) -> str:
    """The allowed values in words: 城区、镇区、乡村 / ≥ 0 / 0—100 / 是 或 否."""
    if field.type == "enum" and field.enum:
        return "、".join(spec.enum_labels(field.enum))
    if field.type == "bool":
        return "是 或 否"
    parts: list[str] = []
    if field.min is not None and field.max is not None and not field.exclusive_min:
        parts.append(f"{_number(field.min)}—{_number(field.max)}")
    else:
        if field.min is not None:
            parts.append(f"{'>' if field.exclusive_min else '≥'} {_number(field.min)}")
        if field.max is not None:
            parts.append(f"≤ {_number(field.max)}")
    if field.max_field:
        other = sheet.field(field.max_field)
        parts.append(f"不超过「{other.header}」")
    if field.type == "code" and field.digits:
        parts.append(f"{field.digits} 位数字")
    return "，".join(parts)


def required_text(field: FieldSpec) -> str:
    if field.required:
        return "必填"
    if field.feeds:
        # County facts are optional to the importer, but a blank one leaves its item
        # unevaluable and the county cannot be recognised.
        return "应填（留空则对应项目无法评估）"
    return "选填"


def field_description(field: FieldSpec, sheet: SheetSpec, spec: TemplateSpec) -> str:
    """Everything a user needs about one field, in one line of Chinese."""
    parts = [required_text(field), type_text(field)]
    if field.unit:
        parts.append(f"单位：{field.unit}")
    allowed = allowed_text(field, sheet, spec)
    if allowed and field.type != "code":
        parts.append(f"取值：{allowed}")
    if field.references:
        parts.append(f"须是「{spec.sheet(field.references).name}」表中已有的学校")
    if field.note:
        parts.append(field.note)
    if field.feeds:
        parts.append(f"用于评估 {field.feeds}")
    return "；".join(parts) + "。"


def sheet_purpose(sheet: SheetSpec) -> str:
    purpose = _SHEET_PURPOSE.get(sheet.key)
    if purpose:
        return purpose
    if sheet.layout == "key_value":
        return "每个项目在「值」列填写一个值。"
    return "每条记录填写一行。"


def guide_lines(spec: TemplateSpec) -> list[str]:
    """The general instructions at the top of 填表说明 (the field table follows)."""
    sheet_names = "、".join(f"「{s.name}」" for s in spec.sheets)
    true_spellings = "、".join(spec.bool_true)
    false_spellings = "、".join(spec.bool_false)
    lines = [
        f"{spec.title}（模板 {spec.id}）填表说明",
        "",
        "一、总体要求",
        "1. 一个工作簿填写一个县（区）一个学年的数据。",
        f"2. 工作簿包含{sheet_names}共 {len(spec.sheets)} 张数据表；"
        "请不要修改工作表名称和第 1 行的表头，也不要在表头上方插入行。",
        "3. 每张表从第 2 行开始逐行填写，空行会被忽略；可以从其他表格复制粘贴数值（请粘贴为数值）。",
        "4. 带下拉箭头的列请从下拉列表中选择；鼠标停在表头上可以看到该列的填写说明。",
        "5. 编码列（学校标识码、县区代码、教师编号）已设置为文本格式，请保留开头的 0，不要写成科学计数法。",
        "6. 不适用的数值填 0（例如小学没有初中学生时「初中在校生数」填 0）；选填项不清楚时可以留空。",
        "",
        "二、各工作表",
    ]
    for i, sheet in enumerate(spec.sheets, start=1):
        lines.append(f"{i}. 「{sheet.name}」：{sheet_purpose(sheet)}")
    lines += [
        "",
        "三、单位",
        "1. 面积以平方米（㎡）计；学校的设备资产值和经费以万元计，可以带小数。",
        "2. 「县级指标」中的生均公用经费基准定额和工资收入以元计，教育支出以万元计。",
        "3. 比例（%）填写百分数的数值，例如 95% 填 95。",
        "",
        "四、是/否的写法",
        f"1. 表示「是」：{true_spellings}。",
        f"2. 表示「否」：{false_spellings}。",
        "",
        "五、一致性要求",
        "1. 每所学校的小学、初中在校生数，必须分别等于「班级」表中该校小学、初中各班学生数之和，"
        "不一致时系统会给出提示并列出两个数字。",
        "2. 小学不应有初中学生，初中不应有小学学生，九年一贯制学校两个学段都有学生；"
        "高中在校生数只有完全中学和十二年一贯制学校填写。",
        "3. 「教师」「班级」「专用教室」表中的学校标识码必须在「学校」表中存在；教师编号在全县唯一。",
        "4. 「其中」项不能大于其总数，例如教师培训经费预算不能大于公用经费预算。",
        "",
        "六、各项目的含义（见下表）",
    ]
    return lines


def field_rows(spec: TemplateSpec) -> list[tuple[str, str, str, str, str, str, str]]:
    """(工作表, 列名或项目, 类型, 必填, 单位, 取值, 说明与用途) for every field of every sheet."""
    rows = []
    for sheet in spec.sheets:
        for f in sheet.fields:
            notes = []
            if f.references:
                notes.append(f"须是「{spec.sheet(f.references).name}」表中已有的学校")
            if f.note:
                notes.append(f.note)
            if f.feeds:
                notes.append(f"用于评估 {f.feeds}")
            rows.append(
                (
                    sheet.name,
                    f.display_header,
                    type_text(f),
                    required_text(f),
                    f.unit or "",
                    allowed_text(f, sheet, spec),
                    "；".join(notes),
                )
            )
    return rows

"""A valid workbook imports to exactly the expected CountyData; tolerated variants."""

from __future__ import annotations

from junheng.core.facts import (
    BackboneLevel,
    County,
    CountyData,
    Degree,
    Ownership,
    Ref,
    Room,
    RoomType,
    School,
    SchoolClass,
    SchoolType,
    Stage,
    Teacher,
    UrbanRural,
)
from junheng.intake import read_county_workbook

from .books import SCHOOL_HEADERS, book, valid_sheets


def expected_data() -> CountyData:
    P, J = Stage.PRIMARY, Stage.JUNIOR
    return CountyData(
        county=County("350404", "三元区", 2025, city="三明市", province="福建省",
                      basic_balance_year=2015),
        schools=[
            School("3504040001", "城关小学", SchoolType.PRIMARY, UrbanRural.URBAN,
                   Ownership.PUBLIC, False, 80, 0, 3000.5, 5000.0, 120.25, 12, 50.0, 3.0, 49.5,
                   senior_students=0, indoor_sports_area=400.0, group="城关教育集团", row=2),
            School("3504040002", "岩前学校", SchoolType.NINE_YEAR, UrbanRural.RURAL,
                   Ownership.PUBLIC, True, 40, 50, 2500.0, 4000.0, 80.0, 8, 30.0, 1.5, 30.0,
                   senior_students=0, indoor_sports_area=None, group=None, row=3),
        ],
        teachers=[
            Teacher("T001", "3504040001", P, Degree.BACHELOR, BackboneLevel.COUNTY, "语文",
                    True, 360.0, True, False, row=2),
            Teacher("T002", "3504040001", P, Degree.COLLEGE, BackboneLevel.NONE, "体育",
                    True, 120.5, False, False, row=3),
            Teacher("T003", "3504040002", P, Degree.POSTGRADUATE, BackboneLevel.CITY, "音乐",
                    False, 0.0, True, True, row=4),
            Teacher("T004", "3504040002", J, Degree.BACHELOR, BackboneLevel.NONE, "数学",
                    True, 400.0, False, False, row=5),
            Teacher("T005", "3504040002", J, Degree.HIGH_SCHOOL_OR_BELOW,
                    BackboneLevel.NATIONAL, "美术", True, 72.0, False, False, row=6),
        ],
        classes=[
            SchoolClass("3504040001", P, 1, "一年级1班", 40, row=2),
            SchoolClass("3504040001", P, 2, "二年级1班", 40, row=3),
            SchoolClass("3504040002", P, 3, "三年级1班", 40, row=4),
            SchoolClass("3504040002", J, 7, "七年级1班", 50, row=5),
        ],
        rooms=[
            Room("3504040001", RoomType.MUSIC, 96.0, row=2),
            Room("3504040001", RoomType.ART, 90.5, row=3),
            Room("3504040002", RoomType.MUSIC, 100.0, row=4),
        ],
        facts={
            "layout_ok": True,
            "primary_funding_quota": 650.0,
            "catchment_primary_pct": 98.5,
            "migrant_eligible": 1200,
            "migrant_in_public": 1100,
            "monitoring_gap_rate": 0.12,
            "veto_exam_admission": False,
        },
        fact_refs={
            "layout_ok": Ref("县级指标", 2, "B", "规划布局合理"),
            "primary_funding_quota": Ref("县级指标", 3, "B", "小学生均公用经费基准定额（元）"),
            "catchment_primary_pct": Ref("县级指标", 4, "B", "城区镇区公办小学就近划片入学比例（%）"),
            "migrant_eligible": Ref("县级指标", 5, "B", "符合条件随迁子女数"),
            "migrant_in_public": Ref("县级指标", 6, "B", "在公办及政府购买服务民办学校就读随迁子女数"),
            "monitoring_gap_rate": Ref("县级指标", 7, "B", "质量监测校际差异率"),
            "veto_exam_admission": Ref("县级指标", 8, "B", "以考试方式招生"),
            "county_code": Ref("基本信息", 2, "B", "县区代码"),
            "county_name": Ref("基本信息", 3, "B", "县区名称"),
            "city": Ref("基本信息", 4, "B", "所属地市"),
            "province": Ref("基本信息", 5, "B", "所属省份"),
            "school_year": Ref("基本信息", 6, "B", "学年"),
            "basic_balance_year": Ref("基本信息", 7, "B", "基本均衡认定年份"),
        },
        columns={
            "schools": {
                key: ("学校", chr(65 + i), SCHOOL_HEADERS[i])
                for i, key in enumerate([
                    "school_code", "name", "school_type", "urban_rural", "ownership", "boarding",
                    "group", "primary_students", "junior_students", "senior_students",
                    "teaching_area", "indoor_sports_area", "sports_area", "equipment_value",
                    "multimedia_rooms", "public_funds_budget", "training_budget",
                    "public_funds_allocated",
                ])
            },
            "teachers": {
                "teacher_id": ("教师", "A", "教师编号"),
                "school_code": ("教师", "B", "学校标识码"),
                "stage": ("教师", "C", "任教学段"),
                "degree": ("教师", "D", "最高学历"),
                "backbone_level": ("教师", "E", "骨干教师级别"),
                "subject": ("教师", "F", "任教学科"),
                "certified": ("教师", "G", "教师资格证"),
                "training_hours_5y": ("教师", "H", "近五年培训学时（学时）"),
                "rotation_eligible": ("教师", "I", "符合交流条件"),
                "rotated": ("教师", "J", "本学年交流轮岗"),
            },
            "classes": {
                "school_code": ("班级", "A", "学校标识码"),
                "stage": ("班级", "B", "学段"),
                "grade": ("班级", "C", "年级"),
                "class_name": ("班级", "D", "班级名称"),
                "students": ("班级", "E", "学生数（人）"),
            },
            "rooms": {
                "school_code": ("专用教室", "A", "学校标识码"),
                "room_type": ("专用教室", "B", "类型"),
                "area": ("专用教室", "C", "面积（㎡）"),
            },
        },
        source="county.xlsx",
        # optional columns this workbook leaves out: unknown to the standards, not blank
        absent_columns={
            "schools": frozenset({"group_lead", "computers", "books", "primary_standard_classes",
                                  "junior_standard_classes", "afterschool", "afterschool_students",
                                  "max_extra_teaching_area", "max_extra_sports_area",
                                  "township", "staff_quota", "boarders"}),
            "teachers": frozenset({"title", "movable", "staffing", "birth_year", "gender"}),
        },
    )


def test_valid_workbook_imports_to_the_exact_county_data(tmp_path):
    result = read_county_workbook(book(tmp_path))
    assert result.report.flattened() == []
    assert result.data == expected_data()
    assert type(result.data.schools[0].school_type) is SchoolType
    assert type(result.data.schools[0].primary_students) is int
    assert type(result.data.schools[0].sports_area) is float


def test_provenance_points_at_the_cell(tmp_path):
    data = read_county_workbook(book(tmp_path)).data
    assert data.ref("schools", 3, "teaching_area") == Ref("学校", 3, "K", "教学及辅助用房面积（㎡）")
    assert str(data.ref("teachers", 5, "stage")) == "教师 第5行 C列「任教学段」"


def test_header_variants_are_accepted(tmp_path):
    sheets = valid_sheets()
    head = sheets["学校"][0]
    head[0] = "  学校标识码 "  # spaces
    head[7] = "小学学生数"  # alias
    head[10] = "教学及辅助用房面积(平方米)"  # half-width brackets, other unit text
    head[12] = "体育运动场(馆)面积（㎡）"  # mixed brackets
    head[11] = "室内体育用房面积"  # alias without 其中：
    head[16] = "*其中:教师培训经费预算(万元)"  # required marker, half-width colon
    sheets["教师"][0][7] = "近五年培训学时"  # no unit
    sheets["专用教室"][0][2] = "面 积（ ㎡ ）"
    sheets["县级指标"][0] = [" 项目 ", "值（填写）"]
    result = read_county_workbook(book(tmp_path, sheets))
    assert result.report.flattened() == []
    expected = expected_data()
    assert result.data.schools == expected.schools
    assert result.data.rooms == expected.rooms
    assert result.data.facts == expected.facts
    assert result.data.columns["schools"]["primary_students"] == ("学校", "H", "小学学生数")


def test_columns_may_come_in_any_order_and_extra_columns_are_ignored(tmp_path):
    sheets = valid_sheets()
    sheets["班级"] = [[row[3], row[4], "备注", row[0], row[2], row[1]] for row in sheets["班级"]]
    sheets["班级"][1][2] = "新开班"
    result = read_county_workbook(book(tmp_path, sheets))
    assert result.report.flattened() == [("班级", 1, "C", "header-unknown")]
    assert result.data.classes == expected_data().classes
    assert result.data.columns["classes"]["stage"] == ("班级", "F", "学段")


def test_blank_rows_and_rows_of_spaces_are_skipped(tmp_path):
    sheets = valid_sheets()
    teachers = sheets["教师"]
    teachers.insert(3, [None] * 10)
    teachers.insert(5, ["  ", None, " ", None, None, None, None, None, None, None])
    result = read_county_workbook(book(tmp_path, sheets))
    assert result.report.flattened() == []
    assert [t.row for t in result.data.teachers] == [2, 3, 5, 7, 8]
    assert [t.teacher_id for t in result.data.teachers] == ["T001", "T002", "T003", "T004", "T005"]


def test_a_title_row_above_the_header_is_tolerated_with_a_warning(tmp_path):
    sheets = valid_sheets()
    sheets["学校"].insert(0, ["三元区学校基本情况表"])
    result = read_county_workbook(book(tmp_path, sheets))
    assert result.report.flattened() == [("学校", 2, None, "header-not-first-row")]
    assert [s.row for s in result.data.schools] == [3, 4]
    assert "第2行" in result.report.issues[0].message


def test_codes_typed_as_numbers_are_read_exactly(tmp_path):
    sheets = valid_sheets()
    for name in ("学校", "教师", "班级", "专用教室"):
        col = 0 if name != "教师" else 1
        for row in sheets[name][1:]:
            row[col] = float(row[col])
    sheets["基本信息"][1][1] = 350404
    sheets["教师"][1][0] = 1001.0  # a teacher id that happens to be a number
    result = read_county_workbook(book(tmp_path, sheets))
    assert result.report.flattened() == []
    assert result.data.county.code == "350404"
    assert result.data.schools[0].code == "3504040001"
    assert result.data.teachers[0].teacher_id == "1001"
    assert result.data.teachers[0].school_code == "3504040001"


def test_numbers_as_text_are_accepted_with_warnings(tmp_path):
    sheets = valid_sheets()
    school = sheets["学校"][1]
    school[7] = " 80 "  # spaces
    school[10] = "3,000.5"  # thousands separator
    school[12] = "５０００"  # full-width digits
    school[14] = "12.0"  # integral text in an int column
    sheets["县级指标"][3][1] = "98.5%"  # percent sign on a % item
    result = read_county_workbook(book(tmp_path, sheets))
    assert result.report.flattened() == [
        ("学校", 2, "H", "number-as-text"),
        ("学校", 2, "K", "number-as-text"),
        ("学校", 2, "M", "number-as-text"),
        ("学校", 2, "O", "number-as-text"),
        ("县级指标", 4, "B", "number-as-text"),
    ]
    assert not result.report.has_errors
    assert result.data.schools == expected_data().schools
    assert result.data.facts["catchment_primary_pct"] == 98.5
    messages = [i.message for i in result.report]
    assert messages[1] == (
        '学校 第2行 K列「教学及辅助用房面积（㎡）」的值 "3,000.5" 是文本格式的数字，'
        "已按 3000.5 读取；建议将单元格改为数值格式"
    )
    assert '"５０００"' in messages[2] and "已按 5000 读取" in messages[2]


def test_bool_and_enum_spellings(tmp_path):
    sheets = valid_sheets()
    sheets["学校"][1][5] = False  # a real Excel boolean
    sheets["学校"][2][5] = 1  # 1 = 是
    sheets["教师"][1][6] = "Y"
    sheets["教师"][2][6] = "√"
    sheets["教师"][3][6] = " no "
    sheets["教师"][4][6] = "ＴＲＵＥ"  # full-width letters
    sheets["教师"][5][2] = " 初中 "
    result = read_county_workbook(book(tmp_path, sheets))
    assert result.report.flattened() == []
    assert [s.boarding for s in result.data.schools] == [False, True]
    assert [t.certified for t in result.data.teachers] == [True, True, False, True, True]
    assert result.data.teachers[4].stage is Stage.JUNIOR


def test_missing_county_facts_are_not_errors(tmp_path):
    sheets = valid_sheets()
    sheets["县级指标"] = [["项目", "值"], ["规划布局合理", None], ["违规择校", "否"]]
    result = read_county_workbook(book(tmp_path, sheets))
    assert result.report.flattened() == []
    assert result.data.facts == {"veto_illegal_choice": False}
    assert set(result.data.fact_refs) >= {"veto_illegal_choice", "county_code"}
    assert "layout_ok" not in result.data.fact_refs


def test_a_missing_facts_sheet_is_only_a_warning(tmp_path):
    sheets = valid_sheets()
    del sheets["县级指标"]
    result = read_county_workbook(book(tmp_path, sheets))
    assert result.report.flattened() == [("县级指标", None, None, "sheet-missing")]
    assert not result.report.has_errors
    assert result.data.facts == {}


def test_key_value_sheet_without_its_header_row(tmp_path):
    sheets = valid_sheets()
    del sheets["基本信息"][0]
    result = read_county_workbook(book(tmp_path, sheets))
    assert result.report.flattened() == [("基本信息", 1, None, "kv-header-missing")]
    assert result.data.county == expected_data().county
    assert result.data.fact_refs["county_code"] == Ref("基本信息", 1, "B", "县区代码")


def test_five_four_system_junior_grade_six_is_accepted(tmp_path):
    sheets = valid_sheets()
    sheets["班级"][4][2] = 6
    result = read_county_workbook(book(tmp_path, sheets))
    assert result.report.flattened() == []
    assert result.data.classes[3].grade == 6


def test_sheet_names_tolerate_spaces(tmp_path):
    sheets = valid_sheets()
    sheets[" 学校 "] = sheets.pop("学校")
    result = read_county_workbook(book(tmp_path, sheets))
    assert result.report.flattened() == []
    assert result.data.columns["schools"]["name"] == (" 学校 ", "B", "学校名称")


def test_issues_on_a_renamed_sheet_sort_in_template_order(tmp_path):
    sheets = valid_sheets()
    sheets[" 学校 "] = sheets.pop("学校")
    sheets[" 学校 "][2][7] = -1
    sheets["基本信息"][5][1] = 1999
    report = read_county_workbook(book(tmp_path, sheets)).report
    assert report.flattened() == [("基本信息", 6, "B", "value-below-min"),
                                  (" 学校 ", 3, "H", "value-below-min")]


def test_file_name_override_for_uploads(tmp_path):
    sheets = valid_sheets()
    sheets["学校"][2][7] = -1
    result = read_county_workbook(book(tmp_path, sheets, "tmp8x7.xlsx"), file_name="三元区2025.xlsx")
    assert result.report.issues[0].file == "三元区2025.xlsx"
    clean = read_county_workbook(book(tmp_path, name="tmp1.xlsx"), file_name="三元区2025.xlsx")
    assert clean.data.source == "三元区2025.xlsx"

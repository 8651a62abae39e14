"""What each figure of the county-year fact sheet means: id, Chinese name, the Chinese
definition printed in docs/figures.md, unit and kind (the kind picks the rounding).

Ids are dotted English nouns (``students.primary``, ``rotation_share``); a share is a
fraction in [0, 1] with unit "%" and kind ``percent``; money is 万元 or 元 with kind
``money``. Targets and progress (issue 15: 大班额比例, 骨干教师占比, 集团化办学覆盖率,
课后服务覆盖率, 毛入园率, 普惠覆盖率, 生均经费) name these ids as their measures.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from junheng.core.facts import SCHOOL_TYPE_ZH, SchoolType

# count: whole numbers; percent: shares shown ×100 with "%"; ratio: 生师比, 平均班额;
# money: 万元 / 元; cv: 差异系数.
Kind = Literal["count", "percent", "ratio", "money", "cv"]

STAGE_IDS = {"primary": "小学", "junior": "初中"}
COMPULSORY_TEACHERS = "小学、初中专任教师（不含高中、幼儿园）"


@dataclass(frozen=True, slots=True)
class Definition:
    id: str
    name: str  # the label printed in tables: 交流轮岗比例
    definition: str  # the Chinese wording used in reports and docs
    unit: str  # 所, 人, 个, %, 万元, 元, 人/班 …
    kind: Kind
    group: str = "基本情况"  # the heading of docs/figures.md it is listed under


def _stage(id_: str, name: str, definition: str, unit: str, kind: Kind, group: str) -> list[Definition]:
    """The county figure and its 小学 / 初中 parts ({学段} in the wording)."""
    out = [Definition(id_, name.format(学段="义务教育"), definition.format(学段="小学、初中"), unit, kind, group)]
    for key, zh in STAGE_IDS.items():
        out.append(Definition(f"{id_}.{key}", name.format(学段=zh), definition.format(学段=zh), unit, kind, group))
    return out


_BASIC = "基本情况"
_CLASSES = "班额与学位"
_TEACHERS = "教师队伍"
_MONEY = "教育投入"
_SERVICE = "集团化办学与“双减”"
_BALANCE = "资源配置均衡"
_PRE = "学前教育"

# ---- 教师配备（按学科和编制，analysis/teacher_supply.py，issue 16 §3） ----
_SUPPLY = "教师配备（按学科和编制）"
_BY_SUBJECT = "按《义务教育课程方案（2022年版）》各科周课时和标准课时量逐校逐科测算"
SUPPLY_DEFINITIONS: list[Definition] = [
    Definition("supply.needed", "按课程方案需配教师", f"{_BY_SUBJECT}的需配专任教师数之和（小学、初中；"
               "劳动、综合实践活动等由其他教师兼任的科目不计）", "人", "count", _SUPPLY),
    Definition("supply.have", "对应学科的现有教师", "任教学科属于上述科目的小学、初中专任教师", "人", "count", _SUPPLY),
    Definition("supply.shortage", "紧缺学科教师数", "各校各学科 需配 − 现有（不足的部分）之和；"
               "一所学校的富余不抵另一所学校的缺口", "人", "count", _SUPPLY),
    Definition("supply.surplus", "富余学科教师数", "各校各学科 现有 − 需配（超出的部分）之和", "人", "count",
               _SUPPLY),
    Definition("supply.shortage_schools", "有紧缺学科的学校", "至少一个学科现有教师少于需配的学校", "所", "count",
               _SUPPLY),
    Definition("staffing.quota", "核定编制数", "「学校」表核定编制数之和（填写了的学校）", "人", "count", _SUPPLY),
    Definition("staffing.established", "在编教师", "「教师」表编制类型为 在编 的教师", "人", "count", _SUPPLY),
    Definition("staffing.contract", "编外教师", "「教师」表编制类型为 编外 的教师（含代课、合同聘用）", "人",
               "count", _SUPPLY),
    Definition("staffing.vacant", "空编数", "各校 核定编制数 − 在编教师（不足 0 计 0）之和", "人", "count", _SUPPLY),
    Definition("staffing.unfilled", "有编不补数", "既有空编、又聘用编外教师的学校（与否决项 V6 的核对口径相同）"
               "的空编数之和", "人", "count", _SUPPLY),
    Definition("staffing.unfilled_schools", "有编不补的学校", "既有空编、又聘用编外教师的学校", "所", "count",
               _SUPPLY),
    Definition("retirements.horizon", "今后五年退休教师", "按「教师」表出生年份、性别和法定退休年龄（含渐进式延迟"
               "退休），在本学年起始年至其后第 4 年退休的小学、初中专任教师", "人", "count", _SUPPLY),
]

_PROJECT = "建设项目"
_FUNDING_STAGES = {"primary": "小学", "junior": "初中", "senior": "高中", "preschool": "学前"}
_FUNDING: list[Definition] = [
    Definition("general_spending", "一般公共预算支出", "「县级指标」表填报的本年本级一般公共预算支出", "万元", "money",
               _MONEY),
    Definition("edu_spending_share", "教育支出占一般公共预算支出比例",
               "一般公共预算教育支出 ÷ 一般公共预算支出（均为「县级指标」表填报的本年数）", "%", "percent", _MONEY),
    # One figure per stage (issue 16): the 教育经费统计 number the bureau types; without it
    # (小学、初中 only) the stage's 一般公共预算教育支出 over its students. The figure's source
    # says which; intake warns when both are given and differ (docs/projects-funding.md).
    *[Definition(f"per_student_spending.{k}", f"{zh}生均一般公共预算教育经费",
                 f"「县级指标」表填报的本年{zh}生均一般公共预算教育经费（教育经费统计口径）"
                 + (f"；未填报时按{zh}一般公共预算教育支出（万元，「县级指标」表可选项）× 10000 ÷ {zh}在校生"
                    "（「学校」表）计算" if k in STAGE_IDS else ""), "元", "money", _MONEY)
      for k, zh in _FUNDING_STAGES.items()],
    *[Definition(f"public_funds_per_student.{k}", f"{zh}生均一般公共预算公用经费",
                 f"「县级指标」表填报的本年{zh}生均一般公共预算公用经费（教育经费统计口径）", "元", "money", _MONEY)
      for k, zh in _FUNDING_STAGES.items()],
    Definition("contract_teacher_pay", "编外教师年平均工资收入",
               "「县级指标」表填报的上年度中小学编制外聘用教师年平均工资收入", "元", "money", _MONEY),
    Definition("contract_teacher_pay_ratio", "编外教师与教师年平均工资之比",
               "编外教师年平均工资收入 ÷ 义务教育学校教师年平均工资收入（「县级指标」表，均为上年度）", "%", "percent",
               _MONEY),
    Definition("contract_teacher_pay_total", "编外教师工资支出",
               "「县级指标」表填报的上年度中小学编制外聘用教师工资支出总额", "万元", "money", _MONEY),
]
_PROJECT_STAGES = {"primary": "小学", "junior": "初中", "senior": "高中"}
_PROJECT_SOURCES = {"central": "中央", "province": "省级", "city": "市级", "county": "县级", "other": "其他"}
_PROJECTS: list[Definition] = [
    Definition("projects", "建设项目", "「项目台账」表中的项目（各种状态）", "个", "count", _PROJECT),
    Definition("projects.committed", "已立项、在建和已竣工项目",
               "「项目台账」表中状态为已立项、在建或已竣工的项目（计入学位预测和整改方案）", "个", "count", _PROJECT),
    Definition("projects.completed", "本学年竣工项目",
               "已立项、在建或已竣工项目中竣工年份等于本学年起始年份的", "个", "count", _PROJECT),
    Definition("projects.ongoing", "在建和已立项项目", "竣工年份晚于本学年的已立项、在建项目", "个", "count", _PROJECT),
    Definition("places_added", "竣工项目新增学位",
               "本学年竣工项目新增的小学、初中、高中学位之和（「项目台账」表；与按标准班数核算的学位变化不同）", "个",
               "count", _PROJECT),
    *[Definition(f"places_added.{k}", f"竣工项目新增{zh}学位", f"本学年竣工项目新增的{zh}学位", "个", "count",
                 _PROJECT) for k, zh in _PROJECT_STAGES.items()],
    Definition("places_coming", "在建和已立项项目将新增学位",
               "竣工年份晚于本学年的已立项、在建项目将新增的小学、初中、高中学位之和", "个", "count", _PROJECT),
    Definition("beds_added", "竣工项目新增宿位", "本学年竣工项目新增的宿位", "个", "count", _PROJECT),
    Definition("kg_places_added", "竣工项目新增幼儿园学位", "本学年竣工项目新增的幼儿园学位", "个", "count", _PROJECT),
    Definition("projects.investment", "本学年竣工和在建项目总投资",
               "竣工年份不早于本学年的已立项、在建、已竣工项目的中央、省级、市级、县级和其他资金之和", "万元", "money",
               _PROJECT),
    *[Definition(f"projects.investment.{k}", f"其中：{zh}资金", f"本学年竣工和在建项目总投资中的{zh}资金", "万元",
                 "money", _PROJECT) for k, zh in _PROJECT_SOURCES.items()],
]

DEFINITIONS: list[Definition] = [
    Definition("schools", "义务教育学校", "「学校」表中有小学或初中在校生的学校，加上特殊教育学校；"
               "一贯制学校、完全中学计 1 所", "所", "count"),
    *[Definition(f"schools.type.{t.value}", SCHOOL_TYPE_ZH[t], f"义务教育学校中办学类型为「{SCHOOL_TYPE_ZH[t]}」的学校",
                 "所", "count") for t in SchoolType],
    Definition("schools.primary", "有小学学生的学校", "小学在校生大于 0 的学校（一贯制学校同时计入小学和初中）",
               "所", "count"),
    Definition("schools.junior", "有初中学生的学校", "初中在校生大于 0 的学校（一贯制学校同时计入小学和初中）",
               "所", "count"),
    *_stage("students", "{学段}在校生", "「学校」表各校{学段}在校生之和（含特殊教育学校）", "人", "count", _BASIC),
    *_stage("teachers", "{学段}专任教师", "「教师」表中任教学段为{学段}的专任教师人数（不含高中）", "人", "count",
            _BASIC),
    *_stage("student_teacher_ratio", "{学段}生师比", "{学段}在校生 ÷ {学段}专任教师", "", "ratio", _BASIC),
    Definition("parts", "纳入资源配置评估的学校（学段）",
               "纳入校际均衡评估的学校按学段计（一贯制学校、完全中学的小学部、初中部各计 1 个）", "个", "count",
               _BALANCE),
    Definition("parts.passed", "资源配置达标的学校（学段）", "纳入评估的学校（学段）中，七项指标达到学校达标要求的",
               "个", "count", _BALANCE),
    *[d for key, zh in STAGE_IDS.items() for d in (
        Definition(f"parts.{key}", f"纳入评估的{zh}", f"纳入资源配置评估的{zh}（含一贯制学校的{zh}部）", "所",
                   "count", _BALANCE),
        Definition(f"parts.passed.{key}", f"达标的{zh}", f"纳入评估的{zh}中资源配置达标的", "所", "count",
                   _BALANCE))],
    Definition("parts.excluded", "不纳入资源配置评估的学校", "按评估办法不纳入资源配置评估的学校（如特殊教育学校）",
               "所", "count", _BALANCE),
    *_stage("classes", "{学段}班级", "「班级」表中{学段}的教学班（不含特殊教育学校）", "个", "count", _CLASSES),
    *_stage("class_size", "{学段}平均班额", "{学段}班级学生数之和 ÷ {学段}班级数（不含特殊教育学校）", "人/班",
            "ratio", _CLASSES),
    Definition("large_classes", "大班额（56—65人）班级", "56—65 人的义务教育班级", "个", "count", _CLASSES),
    Definition("super_large_classes", "超大班额（66人及以上）班级", "66 人及以上的义务教育班级", "个", "count",
               _CLASSES),
    Definition("large_class_share", "大班额比例", "56 人及以上的班级（大班额和超大班额）÷ 义务教育班级数", "%",
               "percent", _CLASSES),
    Definition("super_large_class_share", "超大班额比例", "66 人及以上的班级 ÷ 义务教育班级数", "%", "percent",
               _CLASSES),
    Definition("over_standard_classes", "超过标准班额的班级", "小学超过 45 人、初中超过 50 人的班级", "个", "count",
               _CLASSES),
    Definition("over_standard_share", "超过标准班额的班级比例", "超过标准班额的班级 ÷ 义务教育班级数", "%", "percent",
               _CLASSES),
    *_stage("capacity", "{学段}学位数", "{学段}标准班数 × 标准班额（小学 45 人、初中 50 人）；未填标准班数的学校"
            "按现有班数计（不含特殊教育学校）", "个", "count", _CLASSES),
    Definition("backbone_teachers", "县级以上骨干教师", f"{COMPULSORY_TEACHERS}中县级及以上骨干教师", "人", "count",
               _TEACHERS),
    Definition("backbone_share", "骨干教师占比", f"县级以上骨干教师 ÷ {COMPULSORY_TEACHERS}", "%", "percent",
               _TEACHERS),
    Definition("above_degree_teachers", "高于规定学历的教师", f"{COMPULSORY_TEACHERS}中学历高于规定学历的",
               "人", "count", _TEACHERS),
    Definition("rotation_eligible", "符合交流条件的教师", f"{COMPULSORY_TEACHERS}中符合交流轮岗条件的", "人",
               "count", _TEACHERS),
    Definition("rotated", "交流轮岗教师", f"{COMPULSORY_TEACHERS}中本学年交流轮岗的", "人", "count", _TEACHERS),
    Definition("rotation_share", "交流轮岗比例", "交流轮岗教师 ÷ 符合交流条件的教师（均为义务教育专任教师）", "%",
               "percent", _TEACHERS),
    Definition("rotated_backbone", "交流轮岗的骨干教师", "交流轮岗教师中的县级以上骨干教师", "人", "count",
               _TEACHERS),
    Definition("rotated_backbone_share", "交流轮岗教师中骨干教师占比", "交流轮岗的骨干教师 ÷ 交流轮岗教师", "%",
               "percent", _TEACHERS),
    Definition("spending", "一般公共预算教育支出", "「县级指标」表填报的本年一般公共预算教育支出", "万元", "money",
               _MONEY),
    Definition("students_declared", "在校学生数（县级填报）", "「县级指标」表填报的本年在校学生数（各级各类）", "人",
               "count", _MONEY),
    Definition("per_student_spending", "生均一般公共预算教育支出",
               "一般公共预算教育支出（万元）× 10000 ÷ 在校学生数（县级填报）", "元", "money", _MONEY),
    Definition("groups", "教育集团", "「学校」表「教育集团」列中不同集团名称的个数", "个", "count", _SERVICE),
    Definition("group_schools", "集团化办学覆盖学校", "填有教育集团的学校", "所", "count", _SERVICE),
    Definition("group_coverage", "集团化办学覆盖率", "集团化办学覆盖学校 ÷ 义务教育学校", "%", "percent", _SERVICE),
    Definition("afterschool_schools", "开展课后服务的学校", "开展课后服务的义务教育学校（不含特殊教育学校）", "所",
               "count", _SERVICE),
    Definition("afterschool_students", "参加课后服务的学生", "各校参加课后服务的学生之和", "人", "count", _SERVICE),
    Definition("afterschool_share", "参加课后服务学生占比",
               "参加课后服务的学生 ÷ 这些学校的义务教育在校生（不含特殊教育学校）", "%", "percent", _SERVICE),
    Definition("tutoring_now", "学科类校外培训机构", "现有学科类校外培训机构（线下、线上合计）", "个", "count",
               _SERVICE),
    Definition("tutoring_before", "“双减”前学科类校外培训机构", "“双减”前学科类校外培训机构（线下、线上合计）", "个",
               "count", _SERVICE),
    Definition("tutoring_reduction", "学科类校外培训机构压减率", "（“双减”前 − 现有）÷ “双减”前", "%", "percent",
               _SERVICE),
    Definition("preschool.gross_enrolment", "学前三年毛入园率", "按《县域学前教育普及普惠督导评估办法》计算的"
               "在园幼儿 ÷ 3—5 岁常住人口", "%", "percent", _PRE),
    Definition("preschool.inclusive_coverage", "普惠性幼儿园覆盖率", "公办园和普惠性民办园在园幼儿 ÷ 在园幼儿",
               "%", "percent", _PRE),
    # ---- issue 15: the measures a bureau's 行动方案 names (analysis/factsheet_measures.py) ----
    Definition("parts.passed_share", "资源配置达标学校比例", "资源配置达标的学校（学段）÷ 纳入资源配置评估的学校（学段）",
               "%", "percent", _BALANCE),
    *_stage("parts.passed_share", "{学段}资源配置达标学校比例",
            "资源配置达标的{学段} ÷ 纳入资源配置评估的{学段}", "%", "percent", _BALANCE)[1:],
    Definition("above_degree_share", "高学历教师占比", f"高于规定学历的教师 ÷ {COMPULSORY_TEACHERS}", "%", "percent",
               _TEACHERS),
    Definition("group_students", "集团化办学覆盖学生", "填有教育集团的学校的义务教育在校生之和", "人", "count",
               _SERVICE),
    Definition("group_student_coverage", "集团化办学覆盖率（按学生）", "集团化办学覆盖学生 ÷ 义务教育在校生", "%",
               "percent", _SERVICE),
    Definition("afterschool_known_schools", "填报课后服务情况的学校",
               "「开展课后服务」一栏已填写的义务教育学校（不含特殊教育学校）", "所", "count", _SERVICE),
    Definition("afterschool_coverage", "课后服务覆盖率",
               "开展课后服务的学校 ÷ 填报课后服务情况的学校（空白的学校不计入）", "%", "percent", _SERVICE),
    Definition("spending_prev", "上年一般公共预算教育支出", "「县级指标」表填报的上年一般公共预算教育支出", "万元",
               "money", _MONEY),
    Definition("spending_growth", "一般公共预算教育支出增长", "本年一般公共预算教育支出 − 上年（“两个只增不减”之一）",
               "万元", "money", _MONEY),
    Definition("per_student_spending_prev", "上年生均一般公共预算教育支出",
               "上年一般公共预算教育支出（万元）× 10000 ÷ 上年在校学生数（县级填报）", "元", "money", _MONEY),
    Definition("per_student_spending_growth", "生均一般公共预算教育支出增长",
               "生均一般公共预算教育支出 − 上年（“两个只增不减”之二）", "元", "money", _MONEY),
    *[Definition(f"spending.{key}", f"{zh}一般公共预算教育支出", f"「县级指标」表填报的{zh}一般公共预算教育支出（可选项）",
                 "万元", "money", _MONEY) for key, zh in STAGE_IDS.items()],
    *SUPPLY_DEFINITIONS,
    Definition("preschool.public_share", "公办园在园幼儿占比", "公办园在园幼儿 ÷ 在园幼儿", "%", "percent", _PRE),
    # ---- 教育经费（issue 16 §5；analysis/factsheet_funding.py）----
    *_FUNDING,
    # ---- 建设项目（issue 16 §2；analysis/factsheet_projects.py）----
    *_PROJECTS,
]

# ---- 学生健康 (junheng.analysis.factsheet_health; docs/health.md) ----
_HEALTH = "学生健康"
_HSRC = "「学生健康」表"
DEFINITIONS += [
    Definition("health.schools", "填报学生健康数据的学校", f"{_HSRC}中有一行的学校", "所", "count", _HEALTH),
    Definition("health.fitness_tested", "体质健康测试人数", f"{_HSRC}各校按《国家学生体质健康标准》参加测试的小学、初中学生之和",
               "人", "count", _HEALTH),
    Definition("health.fitness_passed", "体质健康达标人数", "各校测试总分 60 分及以上的学生之和（只填达标率的学校按 "
               "测试人数 × 达标率 四舍五入为人数）", "人", "count", _HEALTH),
    Definition("health.fitness_pass_rate", "体质健康达标率", "达标人数之和 ÷ 测试人数之和（只计两项都有的学校；按人数汇总，"
               "不是各校比率的平均）", "%", "percent", _HEALTH),
    Definition("health.fitness_good", "体质健康优良人数", "各校测试总分 80 分及以上的学生之和（只填优良率的学校按 "
               "测试人数 × 优良率 四舍五入为人数）", "人", "count", _HEALTH),
    Definition("health.fitness_good_rate", "体质健康优良率", "优良人数之和 ÷ 测试人数之和（只计两项都有的学校）", "%",
               "percent", _HEALTH),
    *_stage("health.screened", "{学段}视力筛查人数", "各校参加近视（视力）筛查的{学段}学生之和", "人", "count", _HEALTH),
    *_stage("health.myopic", "{学段}近视人数", "各校筛查检出近视的{学段}学生之和（只填近视率的学校按 筛查人数 × 近视率 "
            "四舍五入为人数）", "人", "count", _HEALTH),
    *_stage("health.myopia_rate", "{学段}近视率", "{学段}近视人数之和 ÷ {学段}视力筛查人数之和（按人数汇总）", "%",
            "percent", _HEALTH),
    Definition("health.psych_full_time", "专职心理健康教育教师", "各校专职心理健康教育教师之和", "人", "count", _HEALTH),
    Definition("health.psych_part_time", "兼职心理健康教育教师", "各校兼职心理健康教育教师之和", "人", "count", _HEALTH),
    Definition("health.psych_schools", "配备专职心理健康教育教师的学校", "专职心理健康教育教师不少于 1 名的学校", "所",
               "count", _HEALTH),
    Definition("health.psych_school_share", "专职心理健康教育教师配备率", "配备专职心理健康教育教师的学校 ÷ 填报了专职"
               "心理健康教育教师数的学校", "%", "percent", _HEALTH),
    Definition("health.psych_staffed_share", "心理健康教育教师（专兼职）配备率", "有专职或兼职心理健康教育教师的学校 ÷ "
               "填报了专职心理健康教育教师数的学校", "%", "percent", _HEALTH),
    Definition("health.pe_ok_schools", "体育课时达标的学校", "所开各年级段体育与健康每周课时都不少于《义务教育课程方案"
               "（2022年版）》（小学1—2年级 4 课时、3—6年级 3 课时、初中 3 课时）的学校（不含特殊教育学校）", "所", "count",
               _HEALTH),
    Definition("health.pe_ok_share", "体育课时达标学校比例", "体育课时达标的学校 ÷ 填报了所开学段体育课时的学校"
               "（不含特殊教育学校）", "%", "percent", _HEALTH),
    Definition("health.labour_ok_schools", "劳动课时达标的学校", "所开学段劳动课每周课时都不少于 1 课时的学校"
               "（不含特殊教育学校）", "所", "count", _HEALTH),
    Definition("health.labour_ok_share", "劳动课时达标学校比例", "劳动课时达标的学校 ÷ 填报了所开学段劳动课时的学校"
               "（不含特殊教育学校）", "%", "percent", _HEALTH),
]

# Per-stage CVs are figures too, named from the standard's indicators: "cv.primary.R1".
CV_DEFINITION = Definition("cv.{学段}.{指标}", "{学段}{指标}校际差异系数",
                           "纳入评估的该学段学校该项指标的标准差 ÷ 平均值（按在校生加权，评估办法规定的算法）",
                           "", "cv", _BALANCE)

# The loaded standard's indicators and items are figures too (issue 15: every one is a
# trackable measure): "indicator.R1" is the share of school parts meeting R1's threshold,
# "item.G11" the value the item was judged on (its unit as the standard writes it).
INDICATOR_DEFINITION = Definition("indicator.{指标}", "{指标}达标学校比例",
                                  "纳入评估的学校（学段）中该项指标达到学校达标要求的比例（按评估办法的学校达标值）",
                                  "%", "percent", _BALANCE)
ITEM_DEFINITION = Definition("item.{评估项}", "{评估项}", "评估办法该项评估内容据以判定的数值（如比例、金额、人数），"
                             "单位同评估办法；只含数值型的评估项", "", "ratio", "评估内容")
# 社会认可度 (issue 16 §1): the survey's result, or the typed value of 县级指标 without one.
_SURVEY = "社会认可度"
DEFINITIONS += [
    Definition("satisfaction", "社会认可度", "已结束的社会认可度调查的总体认可度（各群体认可度按调查设置的权重合计）；"
               "没有已结束的调查时为「县级指标」表填报的社会认可度", "%", "percent", _SURVEY),
    Definition("satisfaction.low", "社会认可度置信区间下限", "总体认可度的置信区间下限（按分层抽样方差，置信水平见调查设置）",
               "%", "percent", _SURVEY),
    Definition("satisfaction.high", "社会认可度置信区间上限", "总体认可度的置信区间上限", "%", "percent", _SURVEY),
    Definition("survey.valid", "社会认可度有效问卷", "社会认可度调查收回的有效问卷份数（网页答卷和导入的答卷）", "份",
               "count", _SURVEY),
    Definition("survey.response_rate", "社会认可度问卷回收率", "凭调查码在网页收回的问卷 ÷ 发放的调查码（导入的答卷不计）", "%",
               "percent", _SURVEY),
]

BY_ID: dict[str, Definition] = {d.id: d for d in DEFINITIONS}


def indicator_definition(indicator: str, name: str) -> Definition:
    return Definition(f"indicator.{indicator}", f"{name}达标学校比例", INDICATOR_DEFINITION.definition, "%",
                      "percent", _BALANCE)


def item_definition(item: str, name: str, unit: str = "") -> Definition:
    return Definition(f"item.{item}", f"{item} {name}", ITEM_DEFINITION.definition, unit, "ratio", "评估内容")


def cv_definition(stage: str, indicator: str, name: str) -> Definition:
    zh = STAGE_IDS.get(stage, stage)
    return Definition(f"cv.{stage}.{indicator}", f"{zh}{name}校际差异系数", CV_DEFINITION.definition, "", "cv",
                      _BALANCE)


def markdown() -> str:
    """docs/figures.md: every figure's name, id, unit and definition, by group
    (``python -m junheng.analysis.figure_catalogue > docs/figures.md``; a test keeps it current)."""
    out = ["# 数字的口径：县域年度主要数据（由代码生成，请勿手改）", "",
           "自评报告、年度答卷、评估结果工作簿（「主要数据」表）、JSON（`figures`）、网页报告和终端中的每一个",
           "数字都取自同一张“县域年度数据表”（`junheng.analysis.factsheet`），每个学年只计算一次；表中列出",
           "各项数字的名称、编号、单位和口径。**教师**一律只计小学、初中专任教师（不含高中、幼儿园），",
           "与评估办法“义务教育学校教师”的口径一致。", "",
           "**数字的写法（同一条舍入规则）**：按 Excel 的 ROUND 函数四舍五入（如 3.825 → 3.83），",
           "以十进制数值计算（不受二进制浮点误差影响）；小数位数按数字的种类设定——人数、学校数等取整，",
           "百分比 1 位，比值（生师比、平均班额）2 位，金额 2 位，差异系数 3 位，限值 2 位。",
           "可用环境变量 `JUNHENG_PLACES` 调整，如 `JUNHENG_PLACES='{\"cv\": 4}'` 把差异系数改为 4 位。",
           "“变化”一列由两边**显示的数值**相减得出，不会与旁边的数字矛盾。", ""]
    groups: dict[str, list[Definition]] = {}
    for d in [*DEFINITIONS, CV_DEFINITION, INDICATOR_DEFINITION, ITEM_DEFINITION]:
        groups.setdefault(d.group, []).append(d)
    kinds = {"count": "整数", "percent": "百分比", "ratio": "比值", "money": "金额", "cv": "差异系数"}
    for group, defs in groups.items():
        out += [f"## {group}", "", "| 名称 | 编号 | 单位 | 种类 | 口径 |", "| --- | --- | --- | --- | --- |"]
        out += [f"| {d.name} | `{d.id}` | {d.unit or '—'} | {kinds[d.kind]} | {d.definition} |" for d in defs]
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    print(markdown(), end="")

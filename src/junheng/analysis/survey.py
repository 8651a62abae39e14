"""The 社会认可度 survey's result: 认可度 per group and overall, with confidence intervals.

A respondent's score is the share of the items they answered with a 认可 answer
(settings.recognised_answers; by default 非常满意 and 满意). A questionnaire is valid
when at least ``min_answered_share`` of its group's items are answered. A group's
认可度 is the mean score of its valid questionnaires (with every item answered, that
is the share of 认可 answers). Its variance is ``(1 − n/N)·s²/n`` (s²: the sample
variance of the scores; the finite population correction when N is known). Overall
认可度 = Σ W_h·p_h over the groups with valid questionnaires, the weights equal or
by population and summing to 1; its variance Σ W_h²·Var(p_h) (stratified sampling).
Intervals are normal, clipped to [0, 1].
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from junheng.analysis.survey_design import GROUPS, Questionnaire, SurveySettings


@dataclass(slots=True)
class Response:
    group: str
    answers: dict[str, int | None]
    school_code: str = ""
    coded: bool = False  # answered with a one-time code (the web page); False: imported


def score(response: Response, questionnaire: Questionnaire, settings: SurveySettings) -> float | None:
    """The respondent's share of 认可 answers, or None for an invalid questionnaire."""
    items = questionnaire.items_for(response.group)
    if not items:
        return None
    given = [response.answers.get(i.id) for i in items]
    answered = [a for a in given if a is not None]
    if not answered or len(answered) < settings.min_answered_share * len(items) - 1e-9:
        return None
    yes = set(settings.recognised_answers)
    return sum(1 for a in answered if a in yes) / len(answered)


@dataclass(slots=True)
class GroupResult:
    group: str
    population: int | None
    required: int  # valid questionnaires the design asked for
    issued: int | None  # codes handed out (None: no codes, e.g. only imported answers)
    received: int  # questionnaires received
    valid: int
    share: float | None  # 认可度 (0–1)
    variance: float | None
    low: float | None
    high: float | None
    weight: float = 0.0
    coded: int = 0  # of the received: answered with a code

    @property
    def name(self) -> str:
        return GROUPS[self.group]

    @property
    def response_rate(self) -> float | None:
        """Questionnaires answered with a code ÷ codes issued (imported answers came
        through another channel and have no codes)."""
        return self.coded / self.issued if self.issued else None

    @property
    def below_minimum(self) -> bool:
        return self.valid < self.required

    def to_dict(self) -> dict[str, Any]:
        return {"group": self.group, "name": self.name, "population": self.population, "required": self.required,
                "issued": self.issued, "received": self.received, "valid": self.valid, "share": self.share,
                "low": self.low, "high": self.high, "weight": self.weight, "response_rate": self.response_rate,
                "below_minimum": self.below_minimum}


@dataclass(slots=True)
class SurveyResult:
    settings: SurveySettings
    groups: list[GroupResult]
    share: float | None  # overall 认可度 (0–1)
    low: float | None
    high: float | None
    notes: list[str] = field(default_factory=list)

    @property
    def received(self) -> int:
        return sum(g.received for g in self.groups)

    @property
    def valid(self) -> int:
        return sum(g.valid for g in self.groups)

    @property
    def issued(self) -> int | None:
        known = [g.issued for g in self.groups if g.issued is not None]
        return sum(known) if known else None

    @property
    def coded(self) -> int:
        return sum(g.coded for g in self.groups)

    @property
    def response_rate(self) -> float | None:
        issued = self.issued
        return self.coded / issued if issued else None

    @property
    def below_minimum(self) -> list[GroupResult]:
        return [g for g in self.groups if g.below_minimum]

    @property
    def percent(self) -> float | None:
        return None if self.share is None else self.share * 100

    def group(self, gid: str) -> GroupResult | None:
        return next((g for g in self.groups if g.group == gid), None)

    def to_dict(self) -> dict[str, Any]:
        s = self.settings
        return {"share": self.share, "low": self.low, "high": self.high, "received": self.received,
                "valid": self.valid, "issued": self.issued, "response_rate": self.response_rate,
                "weights": s.weights, "confidence": s.confidence, "recognised_answers": list(s.recognised_answers),
                "groups": [g.to_dict() for g in self.groups], "notes": list(self.notes)}


def _interval(p: float, var: float, z: float) -> tuple[float, float]:
    half = z * math.sqrt(max(var, 0.0))
    return max(0.0, p - half), min(1.0, p + half)


def group_estimate(scores: list[float], population: int | None) -> tuple[float | None, float | None]:
    """(mean, variance of the mean) of one group's scores."""
    n = len(scores)
    if n == 0:
        return None, None
    mean = sum(scores) / n
    if n == 1:
        return mean, 0.0
    s2 = sum((x - mean) ** 2 for x in scores) / (n - 1)
    fpc = 1 - n / population if population else 1.0
    return mean, max(fpc, 0.0) * s2 / n


def compute_result(responses: list[Response], questionnaire: Questionnaire, settings: SurveySettings,
                   required: dict[str, int], issued: dict[str, int | None] | None = None,
                   populations: dict[str, int | None] | None = None) -> SurveyResult:
    """``required``/``issued``/``populations``: per group, from the design."""
    issued = issued or {}
    populations = populations or {}
    by_group: dict[str, list[Response]] = {g: [] for g in settings.groups}
    for r in responses:
        by_group.setdefault(r.group, []).append(r)
    z = settings.z
    results: list[GroupResult] = []
    for g, mine in by_group.items():
        scores = [s for s in (score(r, questionnaire, settings) for r in mine) if s is not None]
        pop = populations.get(g)
        mean, var = group_estimate(scores, pop)
        low, high = _interval(mean, var, z) if mean is not None and var is not None else (None, None)
        results.append(GroupResult(g, pop, required.get(g, 0), issued.get(g), len(mine), len(scores),
                                   mean, var, low, high, coded=sum(1 for r in mine if r.coded)))
    notes: list[str] = []
    answered = [g for g in results if g.share is not None]
    for g in results:
        if g.share is None:
            notes.append(f"{g.name}没有有效问卷，未计入总体认可度")
    if not answered:
        return SurveyResult(settings, results, None, None, None, notes)
    if settings.weights == "population":
        missing = [g.name for g in answered if not g.population]
        if missing:
            raise ValueError(f"按总体人数加权时须填写{'、'.join(missing)}的总体人数（调查设置 populations）")
        total = sum(g.population or 0 for g in answered)
        for g in answered:
            g.weight = (g.population or 0) / total
    else:
        for g in answered:
            g.weight = 1 / len(answered)
    share = sum(g.weight * (g.share or 0.0) for g in answered)
    var = sum(g.weight ** 2 * (g.variance or 0.0) for g in answered)
    low, high = _interval(share, var, z)
    return SurveyResult(settings, results, share, low, high, notes)


@dataclass(slots=True)
class SurveySummary:
    """What the outputs say of the survey S1 took its value from (kept with the
    county-year's data as ``extra_tables["survey"]``, one row)."""

    school_year: int
    questionnaire_title: str
    items: int
    dimensions: list[str]
    schools: int  # schools in the sampling list
    required: dict[str, int]  # per group: valid questionnaires the design asked for
    result: SurveyResult
    web_answers: int
    imported_answers: int
    typed_pct: float | None  # the 县级指标 value the survey replaced, if any

"""What a plan is: concrete actions, their costs, and the county re-evaluated after them.

Actions name real things — teacher ids, schools, rooms — so that applying them to the
data (``junheng.planner.apply``) is deterministic and the result can be checked by the
evaluation engine. Every figure a user reads about the county after the plan comes
from that re-evaluation (``Plan.after``), never from the optimisation model.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from junheng.core.facts import RoomType, Stage
from junheng.core.result import Evaluation


@dataclass(frozen=True, slots=True)
class FieldAddition:
    """Add ``amount`` (in the workbook's unit: ㎡, 万元, 间) to a school field."""

    school_code: str
    field: str  # teaching_area | sports_area | equipment_value | multimedia_rooms
    amount: float
    cost: float


@dataclass(frozen=True, slots=True)
class Hire:
    school_code: str
    stage: Stage
    kind: str  # key of a HireKind in the plan settings
    count: int
    cost: float
    teacher_ids: tuple[str, ...] = ()  # ids given to the new teachers
    subject: str = ""  # their subject: the school's shortage subject (curriculum name), else the kind's


@dataclass(frozen=True, slots=True)
class Transfer:
    """One teacher moves between two schools (same stage). ``rotation_only``: part of an
    exchange (对口交流) that only serves the rotation rule, two teachers of the same kind
    swapping schools."""

    teacher_id: str
    stage: Stage
    from_code: str
    to_code: str
    cost: float
    rotation_only: bool = False
    counts_for: tuple[str, ...] = ()  # indicators the teacher counts for (Chinese short names)
    subject: str = ""  # the teacher's subject (the curriculum's name where it maps)


@dataclass(frozen=True, slots=True)
class RoomWork:
    """Music/art rooms: refit small rooms to the minimum area, or build new ones."""

    school_code: str
    room_type: RoomType
    refit: int
    build: int
    area: float  # the area a refitted or new room gets
    cost: float


@dataclass(frozen=True, slots=True)
class PostFill:
    """有编不补 at a school (核定编制数 given): posts still vacant after the plan's own hires
    and moves while 编外 teachers work there; ``hires`` 在编 teachers to recruit in their
    place (min of the two). Head count unchanged, so the evaluation is unchanged. ``cost``:
    their pay per year (``costs.post_fill``; None when not priced), shown apart from the
    plan's cost (it fixes no indicator) and scheduled in a multi-year plan like a hire."""

    school_code: str
    staff_quota: int
    established: int  # 在编 now
    contract: int  # 编外 now
    vacant: int  # after the plan's hires and transfers
    hires: int
    cost: float | None = None  # per year


@dataclass
class Actions:
    """A plan's actions. Building, equipment, rooms and transfer subsidies are paid once
    (``one_off``); a new teacher's pay is paid every year (``annual``). ``cost`` adds
    them over ``years`` years (the settings' ``costs.years``) — never without saying so."""

    fields: list[FieldAddition] = field(default_factory=list)
    hires: list[Hire] = field(default_factory=list)  # Hire.cost: per year
    transfers: list[Transfer] = field(default_factory=list)
    rooms: list[RoomWork] = field(default_factory=list)
    years: int = 1

    @property
    def one_off(self) -> float:
        return sum(a.cost for group in (self.fields, self.transfers, self.rooms) for a in group)

    @property
    def annual(self) -> float:
        return sum(h.cost for h in self.hires)

    @property
    def cost(self) -> float:
        return self.one_off + self.years * self.annual

    def is_empty(self) -> bool:
        return not (self.fields or self.hires or self.transfers or self.rooms)


@dataclass(frozen=True, slots=True)
class Goal:
    """Something the plan sets out to fix: a school part, a CV, a room need, rotation."""

    kind: str  # school | cv | rooms | rotation
    key: tuple[str, ...]
    label: str  # Chinese


@dataclass(frozen=True, slots=True)
class YearResult:
    """One year of a multi-year plan: what is spent, and the county re-evaluated by the
    engine with this year's and the earlier years' actions applied."""

    year: int  # 1-based: 第N年
    calendar_year: int
    budget: float
    one_off: float  # the one-off costs of the actions done this year
    annual: float  # the yearly costs running this year (actions done this year or earlier)
    schools: list[str]  # schools with actions done this year
    recognised: bool
    resource_passed: bool
    failing_schools: int
    still_failing: list[str]  # Chinese
    post_fill: float = 0.0  # 有编不补's pay running this year (included in ``annual``)

    @property
    def spent(self) -> float:
        return self.one_off + self.annual


@dataclass(frozen=True, slots=True)
class Schedule:
    results: list[YearResult]
    year_of: dict[tuple[str, int], int]  # (Actions group or "post_fills", index) -> its year (absent: not done)
    target: int  # the year by which everything should be done (1-based)
    fits: bool  # every action fits by the target year
    shortfall: float  # when it does not: the cost of the actions left over (元)
    late_schools: list[str]  # schools whose actions are not done by the target year


@dataclass
class Plan:
    status: str  # optimal | feasible | partial | unreachable | nothing_to_do | timeout
    actions: Actions
    before: Evaluation
    after: Evaluation
    goals: list[Goal]  # everything that failed before and the plan could address
    claimed: list[Goal]  # what the plan says it fixes (checked against ``after``)
    still_failing: list[str]  # Chinese, from ``after``
    unreachable: list[str]  # goals no plan can reach, with the reason (Chinese)
    notes: list[str]  # what the plan leaves alone, and why (Chinese)
    warnings: list[str]  # anything unexpected found in the re-evaluation (Chinese)
    budget: float | None
    lower_bound: float | None  # proven by the solver, over the modelled actions
    solve_seconds: float
    rounds: int  # MILP solves (CV cuts added between them)
    school_names: dict[str, str]
    hire_names: dict[str, str]
    resource_dimension: str = "resource"
    source: str = "solver"  # solver | topup (the top-up plan, when the solver found nothing better in time)
    topup_cost: float | None = None  # the top-up plan's cost (the yardstick; it may not pass the CVs)
    budget_fits: bool | None = None  # with a budget: whether a plan passing every goal fits in it
    needed: float | None = None  # with a budget too small: the proven minimum cost of passing every goal
    needed_above_budget: bool = False  # proven: passing every goal costs more than the budget
    full_cost: float | None = None  # with a budget too small: the cost of the full plan found
    optimal_gap: float = 1e-4  # a gap up to this is a proven optimum
    time_limit: float | None = None
    rules: list[str] = field(default_factory=list)  # what the bound assumes (Chinese)
    settings: dict | None = None  # the settings the plan was made with (JSON-ready)
    schedule: Schedule | None = None  # the plan over several years (``junheng.planner.years``)
    post_fills: list[PostFill] = field(default_factory=list)  # 有编不补: 在编 hires in place of 编外 teachers

    @property
    def cost(self) -> float:
        return self.actions.cost

    @property
    def post_fill_annual(self) -> float:
        """有编不补's yearly pay (not in ``cost``: it fixes no indicator)."""
        return sum(f.cost or 0.0 for f in self.post_fills)

    @property
    def gap(self) -> float | None:
        if self.lower_bound is None:
            return None
        if self.cost <= 0:
            return 0.0
        return max(0.0, (self.cost - self.lower_bound) / self.cost)

    @property
    def resource_passes(self) -> bool:
        dim = self.after.dimensions.get(self.resource_dimension)
        return dim is not None and dim.passed is True

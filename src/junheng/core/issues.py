"""Located, coded problems found in input data.

Validation never raises for bad data: it returns an :class:`IssueReport`. Each issue
has a stable ``code`` (see ``junheng/templates/messages_zh.yaml``), a severity, the
place it was found (file, sheet, Excel row, column letter, header), the offending
value and a message in Simplified Chinese.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


SEVERITY_ZH = {Severity.ERROR: "错误", Severity.WARNING: "警告"}


@dataclass(frozen=True, slots=True)
class Issue:
    code: str
    severity: Severity
    message: str  # Simplified Chinese, complete sentence including the location
    category: str = "data"  # structure | type | range | enum | reference | consistency | data
    file: str | None = None
    sheet: str | None = None
    row: int | None = None  # Excel row number (1-based)
    column: str | None = None  # Excel column letter
    header: str | None = None
    value: Any = None

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def location(self) -> str:
        parts = []
        if self.sheet:
            parts.append(self.sheet)
        if self.row:
            parts.append(f"第{self.row}行")
        if self.column:
            parts.append(f"{self.column}列")
        text = " ".join(parts)
        if self.header:
            text += f"「{self.header}」"
        return text

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["severity"] = str(self.severity)
        v = d["value"]
        if v is not None and not isinstance(v, (str, int, float, bool)):
            d["value"] = str(v)
        return d


@dataclass(slots=True)
class IssueReport:
    issues: list[Issue] = field(default_factory=list)

    def add(self, issue: Issue) -> None:
        self.issues.append(issue)

    def extend(self, issues: Iterable[Issue]) -> None:
        self.issues.extend(issues)

    def __iter__(self) -> Iterator[Issue]:
        return iter(self.issues)

    def __len__(self) -> int:
        return len(self.issues)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.is_error]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if not i.is_error]

    @property
    def has_errors(self) -> bool:
        return any(i.is_error for i in self.issues)

    def flattened(self) -> list[tuple[str | None, int | None, str | None, str]]:
        """``[(sheet, row, column, code)]`` — the view tests compare against."""
        return [(i.sheet, i.row, i.column, i.code) for i in self.issues]

    def codes(self) -> set[str]:
        return {i.code for i in self.issues}

    def sorted(self) -> list[Issue]:
        return sorted(
            self.issues,
            key=lambda i: (i.severity is not Severity.ERROR, i.sheet or "", i.row or 0, i.column or ""),
        )

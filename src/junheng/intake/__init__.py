"""Reading and validating the county workbook (TEMPLATE.md) into core facts.

``read_county_workbook(path)`` returns an :class:`IntakeResult`: the county's
:class:`~junheng.core.facts.CountyData` (None when there is any error) and an
:class:`~junheng.core.issues.IssueReport` with every problem found, located to the
cell and worded in Chinese. It never raises for bad data or a bad file.
"""

from junheng.intake.reader import IntakeResult, read_county_rows, read_county_workbook

__all__ = ["IntakeResult", "read_county_rows", "read_county_workbook"]

"""The pure core imports no outer layer and no infrastructure library (DESIGN.md)."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "junheng"

FORBIDDEN_FOR_CORE = (
    "junheng.web",
    "junheng.cli",
    "junheng.storage",
    "junheng.intake",
    "junheng.services",
    "junheng.reports",
    "junheng.planner",
    "fastapi",
    "starlette",
    "sqlalchemy",
    "alembic",
    "python_calamine",
    "openpyxl",
    "xlsxwriter",
    "docx",
    "typer",
    "rich",
    "highspy",
)


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def violations(package: str, forbidden: tuple[str, ...]) -> list[str]:
    found = []
    for path in sorted((SRC / package).rglob("*.py")):
        for name in imported_modules(path):
            if any(name == f or name.startswith(f + ".") for f in forbidden):
                found.append(f"{path.relative_to(SRC)} imports {name}")
    return found


def test_core_is_pure():
    assert violations("core", FORBIDDEN_FOR_CORE) == []


def test_analysis_is_pure_too():
    assert violations("analysis", FORBIDDEN_FOR_CORE) == []


def test_standards_loader_stays_below_outer_layers():
    outer = ("junheng.web", "junheng.cli", "junheng.storage", "junheng.services", "fastapi", "sqlalchemy")
    assert violations("standards", outer) == []


def test_lower_layers_never_import_web_or_cli():
    for package in ("intake", "storage", "planner", "reports", "services"):
        assert violations(package, ("junheng.web", "junheng.cli")) == [], package


def test_the_check_itself_catches_an_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import sqlalchemy\nfrom junheng.web import app\n", encoding="utf-8")
    assert {"sqlalchemy", "junheng.web"} <= imported_modules(bad)


def test_web_goes_through_services():
    """Routes call use cases; tables, the importer and renderers are the services' business."""
    below = ("junheng.storage", "junheng.intake", "junheng.reports", "junheng.analysis", "junheng.planner")
    assert violations("web", below) == []

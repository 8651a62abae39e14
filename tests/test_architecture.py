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


def test_documents_never_import_renderers():
    """What a document says is format-free: renderers read documents, never the other way."""
    assert violations("reports/documents", ("junheng.reports.renderers",)) == []


def module_name(path: Path, src: Path = SRC) -> str:
    parts = list(path.relative_to(src.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def absolute_imports(path: Path, src: Path = SRC) -> set[str]:
    """Every module a file imports, relative imports resolved and ``from a import b``
    counted as ``a.b`` too (b may be a module) — at module level or inside functions."""
    package = module_name(path, src).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                root = package[: len(package) - node.level + 1]
                base = ".".join([*root, base] if base else root)
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def import_graph(src: Path = SRC) -> dict[str, set[str]]:
    modules = {module_name(p, src): p for p in src.rglob("*.py")}
    return {name: (absolute_imports(path, src) & modules.keys()) - {name} for name, path in modules.items()}


def mutual_imports(graph: dict[str, set[str]]) -> list[tuple[str, str]]:
    return sorted((a, b) for a, targets in graph.items() for b in targets if a < b and a in graph.get(b, ()))


def test_no_two_modules_import_each_other():
    """DESIGN.md: no two modules import each other (not even inside a function)."""
    assert mutual_imports(import_graph()) == []


def test_the_circle_check_finds_a_circle(tmp_path):
    pkg = tmp_path / "junheng" / "demo"
    pkg.mkdir(parents=True)
    (pkg.parent / "__init__.py").write_text("", encoding="utf-8")
    (pkg / "__init__.py").write_text("", encoding="utf-8")
    (pkg / "a.py").write_text("def f():\n    from junheng.demo import b\n", encoding="utf-8")
    (pkg / "b.py").write_text("from .a import f\n", encoding="utf-8")
    (pkg / "c.py").write_text("import junheng.demo.a\n", encoding="utf-8")
    assert mutual_imports(import_graph(pkg.parent)) == [("junheng.demo.a", "junheng.demo.b")]

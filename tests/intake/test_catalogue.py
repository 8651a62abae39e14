"""The message catalogue, the checks and docs/validation.md agree on the codes."""

from __future__ import annotations

import re
from pathlib import Path

from junheng.templates.messages import load_messages

ROOT = Path(__file__).resolve().parents[2]
INTAKE = ROOT / "src" / "junheng" / "intake"


def codes_used_in_source() -> set[str]:
    used: set[str] = set()
    for path in INTAKE.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"""(?:add|flag)\(\s*"([a-z][a-z-]+)\"""", text))
    return used


def test_every_code_raised_has_a_catalogue_entry():
    used = codes_used_in_source()
    assert len(used) > 25
    assert used <= set(load_messages())


def test_every_catalogue_code_is_raised_somewhere():
    literals: set[str] = set()
    for path in INTAKE.glob("*.py"):
        literals |= set(re.findall(r'"([a-z]+(?:-[a-z]+)+)"', path.read_text(encoding="utf-8")))
    assert set(load_messages()) <= literals


def test_every_code_is_documented_for_users():
    doc = (ROOT / "docs" / "validation.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z][a-z-]+)` \|", doc, flags=re.M))
    assert documented == set(load_messages())


def test_messages_are_chinese_and_well_formed():
    for entry in load_messages().values():
        assert entry.severity in ("error", "warning")
        assert entry.category in (
            "structure", "type", "range", "enum", "reference", "consistency", "data"
        )
        for text in entry.messages.values():
            assert re.search(r"[\u4e00-\u9fff]", text), entry.code

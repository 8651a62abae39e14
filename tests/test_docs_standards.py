"""docs/standards.md documents every formula kind and data field, and its examples of
a user's own item load and evaluate."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from junheng.core.engine import evaluate
from junheng.core.fields import TABLE_RECORDS, table_fields
from junheng.core.formulas import KINDS
from junheng.samples import generate_county
from junheng.standards import parse_standard, standard_text

DOC = (Path(__file__).resolve().parents[1] / "docs" / "standards.md").read_text("utf-8")


def test_every_formula_kind_is_documented():
    documented = set(re.findall(r"^\| `([a-z_]+)` \|", DOC, flags=re.M))
    assert set(KINDS) <= documented


def test_every_data_field_is_documented():
    for table in TABLE_RECORDS:
        section = DOC.split(f"#### {table}（", 1)[1].split("####", 1)[0]
        listed = set(re.findall(r"^\| `([a-z_0-9]+)` \|", section, flags=re.M))
        assert listed == set(table_fields(table)), table


def test_the_examples_of_an_own_item_work():
    blocks = re.findall(r"```yaml\n(  - id: H\d.*?)```", DOC, flags=re.S)
    assert len(blocks) == 2
    data = generate_county(schools=20, seed=1)
    for block, base in zip(blocks, ("yzjh-2017", "xqpp-2020"), strict=True):
        text, _ = standard_text(base)
        std = parse_standard(text + block, "example.yaml")
        item = yaml.safe_load(block)[0]
        result = evaluate(data, std).items[item["id"]]
        assert result.evaluable, result.message

"""The ledger from stored evaluation documents: keys, and a sync that is idempotent."""

from __future__ import annotations

from junheng.services.ledger import shortfall_keys

DOC = {
    "schools": [{"school_code": "3504040001", "name": "一小"}],
    "shortfalls": [
        {"item_id": "R4", "text": "缺教学及辅助用房 300 ㎡", "school_code": "3504040001", "blocking": True},
        {"item_id": "R4", "text": "缺教学及辅助用房 120 ㎡", "school_code": "3504040001", "blocking": True},
        {"item_id": "G5", "text": "超过 45 人的班 3 个", "school_code": None, "blocking": True},
    ],
    "items": {"G5": {"name": "班额", "passed": False, "message": "x"},
              "G8": {"name": "教师工资", "passed": False, "message": "低于公务员"},
              "G9": {"name": "培训", "passed": True, "message": ""}},
    "dispersion": {"junior": {"R3": {"cv": 0.512, "limit": 0.45, "passed": False},
                              "R4": {"cv": 0.2, "limit": 0.45, "passed": True}}},
}


def test_shortfall_keys():
    keys = shortfall_keys(DOC)
    assert set(keys) == {"R4|3504040001", "G5|", "G8|", "CV-junior-R3|"}
    assert keys["R4|3504040001"]["texts"] == ["缺教学及辅助用房 300 ㎡", "缺教学及辅助用房 120 ㎡"]
    assert keys["R4|3504040001"]["school_name"] == "一小"
    assert keys["G8|"]["texts"] == ["教师工资：低于公务员"]
    assert keys["CV-junior-R3|"]["texts"] == ["初中R3 校际差异系数 0.512，超过限值 0.45"]


def test_sync_is_idempotent(world):
    from junheng.services.ledger import sync_ledger

    from .conftest import HOME

    sync_ledger(world.engine, HOME)
    assert sync_ledger(world.engine, HOME) == 0

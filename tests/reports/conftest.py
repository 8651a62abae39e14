from __future__ import annotations

import pytest

from .results import hand_evaluation


@pytest.fixture(scope="module")
def hand_ev(tmp_path_factory):
    """The hand-checked county: 学校001 meets all seven; 学校002 R4 = 4.00 (under 4.5,
    not under the 85 % floor 3.825: amber, passes 6/7); 学校003 R5 = 5.00 and
    R6 = 1500 (under 6.375 and 1700: red, fails 5/7)."""
    return hand_evaluation(tmp_path_factory.mktemp("hand"))

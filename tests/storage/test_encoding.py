"""Fact values and typed extra tables survive their text/JSON encoding exactly."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from junheng.storage.records import decode_tables, encode_tables
from junheng.storage.repository import _fact_from, _fact_value

from .counties import detailed_county

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.text(),
                    st.floats(allow_nan=False, allow_infinity=False))
values = st.one_of(scalars, st.lists(scalars, max_size=4))


@given(values)
def test_a_fact_comes_back_with_its_value_and_type(value):
    back = _fact_from(*_fact_value(value))
    assert back == value and type(back) is type(value)
    if isinstance(value, float):
        assert repr(back) == repr(value)  # -0.0 and the last bit too


def test_typed_tables_round_trip():
    tables = detailed_county().extra_tables
    assert decode_tables(encode_tables(tables)) == tables
    assert encode_tables({"empty": []}) == {"empty": {"rows": []}}


def test_only_junheng_record_types_are_loaded():
    import pytest

    with pytest.raises(ValueError, match="refusing"):
        decode_tables({"x": {"type": "os:system", "rows": []}})

"""Numbers as the pages show them."""

from junheng.web.presentation import number, verdict


def test_numbers_keep_their_zeros_and_round_half_up():
    assert number(150.0, 0) == "150"
    assert number(100.0, 0) == "100"
    assert number(1234.5, 0) == "1,235"
    assert number(0.1250, 3) == "0.125"
    assert number(0.5, 2) == "0.5"
    assert number(2.0, 2) == "2"
    assert number(None) == "—" and number(True) == "是" and number(40) == "40"
    assert verdict(None) == "无法判断" and verdict(False) == "未达标"

"""Numbers as the pages show them."""

from junheng.web.presentation import number, percent, verdict


def test_numbers_keep_their_zeros_and_round_half_up():
    assert number(150.0, 0) == "150"
    assert number(100.0, 0) == "100"
    assert number(1234.5, 0) == "1,235"
    assert number(0.1250, 3) == "0.125"
    assert number(0.5, 2) == "0.5"
    assert number(2.0, 2) == "2"
    assert number(None) == "—" and number(True) == "是" and number(40) == "40"
    assert verdict(None) == "无法判断" and verdict(False) == "未达标"


def test_the_audit_page_shows_old_and_new_values_in_chinese(clients):
    clients["county_admin"].patch("/api/ledger/1", json={"owner": "王校长"})
    page = clients["auditor"].get("/audit").text
    assert "王校长" in page and "\\u" not in page


def test_percentages_have_one_decimal_and_a_failure_never_reads_100():
    assert percent(0.9962, False) == "99.6"
    assert percent(0.99996, False) == "99.9"  # not "100" next to a ✗
    assert percent(1.00004, False) == "100.1"  # over a maximum (a class size)
    assert percent(1.0, True) == "100.0" and percent(1.5, True) == "150.0"
    assert percent(0.12345, None) == "12.3" and percent(None) == "—"

"""In real headless Chromium: a school clerk adds the 学生健康 row of the school form,
a count above the school's students shows the importer's message on the cell, the
real figures save. A screenshot of the form is kept under artifacts/."""

from __future__ import annotations

import pytest

from .test_browser import ARTIFACTS, open_page, seeded_server

pytestmark = pytest.mark.browser


server = seeded_server("serve-health")


def cell(page, name: str):
    return page.locator(f'[data-table="health"][data-index="0"][data-field="{name}"]')


def test_the_clerk_fills_the_health_row(server, browser):
    base, round_id = server
    errors: list[str] = []
    clerk = open_page(browser, base, "clerk", errors)
    assert "体质健康测试人数（人）" in clerk.inner_text("#table-health")
    clerk.click('button.add-row[data-table="health"]')
    cell(clerk, "fitness_tested").fill("201")  # school A has 200 小学 pupils
    clerk.wait_for_selector("#issues li.error")
    assert "学生健康 第2行 B列「体质健康测试人数（人）」的值 201 大于该校小学与初中在校生数之和 200" in clerk.inner_text("#issues")
    assert "has-error" in cell(clerk, "fitness_tested").get_attribute("class")
    for name, value in (("fitness_tested", "196"), ("fitness_passed", "180"), ("fitness_good", "101"),
                        ("screened_primary", "200"), ("myopia_primary", "66"), ("psych_full_time", "0"),
                        ("psych_part_time", "1"), ("pe_hours_lower", "4"), ("pe_hours_upper", "3"),
                        ("labour_hours_primary", "1")):
        cell(clerk, name).fill(value)
    clerk.wait_for_selector("#issues li.error", state="detached")
    clerk.click("#save")
    clerk.wait_for_selector("#message.ok")
    ARTIFACTS.mkdir(exist_ok=True)
    clerk.locator("#table-health").scroll_into_view_if_needed()
    clerk.screenshot(path=str(ARTIFACTS / "web-health-form.png"), full_page=True)
    clerk.reload()
    assert cell(clerk, "fitness_passed").input_value() == "180"
    assert errors == []

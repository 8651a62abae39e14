"""The terminal summary: verdict and why, dimensions, CVs, failing schools and items."""

from __future__ import annotations

from rich.console import Console

from junheng.reports.renderers.terminal import print_evaluation

from .results import generated_evaluation


def summary(ev, limit: int = 12, width: int = 140) -> str:
    console = Console(record=True, width=width, file=open("/dev/null", "w"), highlight=False)  # noqa: SIM115
    print_evaluation(ev, console, limit=limit)
    return console.export_text()


def test_hand_county_summary(hand_ev):
    text = summary(hand_ev)
    assert "评估结论：不予认定" in text
    assert "资源配置未通过：1 个学校（学段）未达标" in text
    # CVs, half-up to 3 decimals: R4 1/9 = 0.111, R5 0.17918 = 0.179, R6 0.19245 = 0.192.
    for cv in ("0.111", "0.179", "0.192", "0.143"):
        assert cv in text
    assert "学校003" in text and "R5 5.00 / 7.5；R6 1500 / 2000" in text
    assert "学校002" not in text  # passes on the 85 % clause
    assert "整改缺口 3 处（其中影响达标 2 处" in text


def test_long_lists_are_cut_with_a_count():
    ev = generated_evaluation(schools=300, seed=2)
    failing = len(ev.failing_schools())
    assert failing > 5
    text = summary(ev, limit=5)
    assert f"未达标的学校（学段）：{failing} 个" in text
    assert f"另有 {failing - 5} 所" in text
    assert len(text.splitlines()) < 100  # a screen or two


def test_failing_cv_is_red():
    from dataclasses import replace

    ev = generated_evaluation()
    stage = next(iter(ev.dispersion))
    bad = replace(ev.dispersion[stage]["R5"], cv=0.61234, passed=False)
    ev2 = replace(ev, dispersion={**ev.dispersion, stage: {**ev.dispersion[stage], "R5": bad}})
    console = Console(record=True, width=140, file=open("/dev/null", "w"), force_terminal=True)  # noqa: SIM115
    print_evaluation(ev2, console)
    assert "0.612" in console.export_text(clear=False)
    html = console.export_html(inline_styles=True)
    span = html.split("0.612</span>")[0].rsplit("<span", 1)[-1]
    assert "color: #800000" in span and "font-weight: bold" in span  # bold red
    assert "0.134" in html and "0.134</span>" not in html  # a passing CV has no colour

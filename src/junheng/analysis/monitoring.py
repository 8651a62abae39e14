"""Load the monitoring rules (班额 categories, standard class sizes, rotation shares)."""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path

from junheng.core.errors import StandardError
from junheng.core.yamltext import load_yaml
from junheng.core.yearly import MonitoringRules


@cache
def _packaged() -> MonitoringRules:
    text = files("junheng.analysis").joinpath("monitoring.yaml").read_text(encoding="utf-8")
    return _build("monitoring.yaml", load_yaml(text))


def load_monitoring_rules(path: str | Path | None = None) -> MonitoringRules:
    if path is None:
        return _packaged()
    p = Path(path)
    return _build(p.name, load_yaml(p.read_text(encoding="utf-8")))


def _build(name: str, raw: dict) -> MonitoringRules:
    try:
        return MonitoringRules.model_validate(raw)
    except ValueError as exc:
        raise StandardError(name, "", str(exc)) from None

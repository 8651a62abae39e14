"""YAML text to Python values or nodes, with libyaml's C parser when PyYAML has it.

Standard files, the template spec and the message catalogue are read on every run;
the pure-Python parser took most of a `junheng evaluate`'s start-up. The C loaders
are the same safe subset and keep the line marks the error messages cite.
"""

from __future__ import annotations

from typing import Any

import yaml

SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> Any:
    """Like ``yaml.safe_load``."""
    return yaml.load(text, Loader=SafeLoader)  # noqa: S506 - a safe loader


def compose_yaml(text: str) -> yaml.Node | None:
    """The node tree (with start marks) of ``text``."""
    return yaml.compose(text, Loader=SafeLoader)

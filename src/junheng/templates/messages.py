"""The message catalogue for validation issues (``messages_zh.yaml``), keyed by code.

Checks name a stable code and the facts of the case; the catalogue owns the wording,
the default severity and the category, so the Chinese text can be improved without
touching any check and the list of codes can be documented from one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from junheng.core.yamltext import load_yaml


@dataclass(frozen=True, slots=True)
class MessageEntry:
    code: str
    severity: str  # "error" | "warning"
    category: str
    messages: dict[str, str]  # variant -> template; "default" always present

    def render(self, variant: str = "default", **params: Any) -> str:
        template = self.messages.get(variant) or self.messages["default"]
        return template.format(**params)


@lru_cache(maxsize=1)
def load_messages() -> dict[str, MessageEntry]:
    """The shipped catalogue: code -> entry."""
    text = resources.files("junheng.templates").joinpath("messages_zh.yaml").read_text("utf-8")
    raw = load_yaml(text)
    entries = {}
    for code, body in raw.items():
        messages = dict(body.get("messages") or {})
        if "message" in body:
            messages["default"] = body["message"]
        if "default" not in messages:
            raise ValueError(f"messages_zh.yaml: {code} has no default message")
        if body["severity"] not in ("error", "warning"):
            raise ValueError(f"messages_zh.yaml: {code} has severity {body['severity']!r}")
        entries[code] = MessageEntry(code, body["severity"], body["category"], messages)
    return entries

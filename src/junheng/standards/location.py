"""Find the line of a key path (``items[3].params.threshold``) in a standard's YAML text.

Validation reports a key path; a bureau user editing the file needs the line. The
text is composed to YAML nodes (which keep their marks) and walked along the path;
when the path ends at a key the file lacks, the line of the deepest key that exists
is given.
"""

from __future__ import annotations

import re

import yaml

from junheng.core.yamltext import compose_yaml

_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def split_key_path(path: str) -> list[str | int]:
    """``"items[3].params.rules[0]"`` → ``["items", 3, "params", "rules", 0]``."""
    return [int(idx) if idx else name for name, idx in _PART.findall(path)]


def join_key_path(parts: tuple | list) -> str:
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif str(part).startswith("["):
            out += str(part)
        else:
            out += f".{part}" if out else str(part)
    return out


def line_of(text: str, path: str) -> int | None:
    """1-based line of the node at ``path``, or of its deepest existing ancestor."""
    try:
        node = compose_yaml(text)
    except yaml.YAMLError:
        return None
    if node is None:
        return None
    line = None
    for part in split_key_path(path):
        if isinstance(node, yaml.MappingNode):
            found = next(((k, v) for k, v in node.value if k.value == str(part)), None)
            if found is None:
                break
            line = found[0].start_mark.line + 1
            node = found[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                break
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            break
    if line is None:
        line = node.start_mark.line + 1
    return line


def first_duplicate_key(text: str) -> tuple[str, int] | None:
    """(key path, line) of the first key written twice in one mapping. YAML loaders keep
    the last silently; in a standard file that hides an edit (two ``threshold:`` lines)."""
    try:
        root = compose_yaml(text)
    except yaml.YAMLError:
        return None
    stack: list[tuple[yaml.Node, list[str | int]]] = [(root, [])] if root is not None else []
    found: list[tuple[int, str]] = []
    while stack:
        node, path = stack.pop()
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for key, value in node.value:
                name = str(key.value)
                if name in seen and name != "<<":
                    found.append((key.start_mark.line + 1, join_key_path([*path, name])))
                seen.add(name)
                stack.append((value, [*path, name]))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, [*path, i]) for i, item in enumerate(node.value))
    if not found:
        return None
    line, path = min(found)
    return path, line

"""Reading and writing the wizard's raw data by field path (``parties[0].id_number``).

The raw data has the shape of the case JSON, but its leaves are what the clerk typed: a string that
does not parse yet (area ``"12a"``) stays as typed, so reopening a draft shows exactly that. The path
syntax is the one :class:`forms.errors.Issue` uses, so an issue finds its field.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

_TOKEN = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def split_path(path: str) -> list[str | int]:
    """``"parties[0].name"`` → ``["parties", 0, "name"]``."""
    parts: list[str | int] = []
    for name, index in _TOKEN.findall(path):
        parts.append(int(index) if index else name)
    return parts


def join_path(parts: list[str | int] | tuple[str | int, ...]) -> str:
    """``["parties", 0, "name"]`` → ``"parties[0].name"``."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text


def get_path(data: Any, path: str, default: Any = None) -> Any:
    """The value at ``path``, or ``default`` when any step is missing."""
    node = data
    for part in split_path(path):
        if isinstance(part, int):
            if not isinstance(node, list) or part >= len(node):
                return default
            node = node[part]
        else:
            if not isinstance(node, dict) or part not in node:
                return default
            node = node[part]
    return node


def set_path(data: dict[str, Any], path: str, value: Any) -> None:
    """Set the value at ``path``, creating missing dictionaries on the way.

    Raises:
        KeyError: a list index on the way does not exist (lists are built by the pages, not here).
    """
    parts = split_path(path)
    node: Any = data
    for part, following in itertools.pairwise(parts):
        if isinstance(part, int):
            if not isinstance(node, list) or part >= len(node):
                raise KeyError(path)
            node = node[part]
        else:
            child = node.get(part)
            if child is None:
                child = [] if isinstance(following, int) else {}
                node[part] = child
            node = child
    last = parts[-1]
    if isinstance(last, int):
        if not isinstance(node, list) or last >= len(node):
            raise KeyError(path)
        node[last] = value
    else:
        node[last] = value


def is_within(path: str, prefix: str) -> bool:
    """Whether ``path`` is ``prefix`` or lies under it (``parties[0].name`` is within ``parties[0]``)."""
    return path == prefix or path.startswith(prefix + ".") or path.startswith(prefix + "[")

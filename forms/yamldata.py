"""Reading the package's YAML data files with a file and line for every value.

The catalog (:mod:`forms.catalog`) and the working-day calendar (:mod:`forms.calendar`) are data files an
office may override. A mistake in such a file must be reported as "file X, line N: what is wrong, how to fix
it" in Chinese, so the loader keeps the YAML node marks: :func:`load_located` parses with
:func:`yaml.compose` and builds plain dicts and lists (:class:`LocatedDict`, :class:`LocatedList`) that
remember where each key and item was written. :func:`locate` maps a path such as
``("types", 3, "roles", 0, "party_role")`` back to that place, and :func:`pydantic_errors_to_text` turns a
pydantic :class:`~pydantic.ValidationError` raised on such data into located Chinese sentences.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from forms.errors import FormsError


@dataclass(frozen=True)
class Location:
    """A place in a data file.

    Attributes:
        file: the file.
        line: the line, counted from 1.
    """

    file: Path
    line: int

    def __str__(self) -> str:
        return f"{self.file} 第 {self.line} 行"


class LocatedDict(dict[Any, Any]):
    """A YAML mapping as a ``dict`` that remembers where it and each of its keys was written.

    Attributes:
        loc: where the mapping starts.
        key_locs: where each key was written.
    """

    def __init__(self, loc: Location) -> None:
        super().__init__()
        self.loc = loc
        self.key_locs: dict[Any, Location] = {}


class LocatedList(list[Any]):
    """A YAML sequence as a ``list`` that remembers where it and each item was written.

    Attributes:
        loc: where the sequence starts.
        item_locs: where each item was written.
    """

    def __init__(self, loc: Location) -> None:
        super().__init__()
        self.loc = loc
        self.item_locs: list[Location] = []


def _loc(file: Path, node: Node) -> Location:
    return Location(file, node.start_mark.line + 1)


def _build(node: Node, file: Path, constructor: SafeConstructor, error: type[FormsError]) -> Any:
    if isinstance(node, MappingNode):
        constructor.flatten_mapping(node)  # resolves YAML merge keys (<<: *anchor)
        mapping = LocatedDict(_loc(file, node))
        for key_node, value_node in node.value:
            key = _build(key_node, file, constructor, error)
            if isinstance(key, dict | list):
                raise error(f"{_loc(file, key_node)}：键不能是映射或列表，请改为文字。")
            if key in mapping:
                raise error(
                    f"{_loc(file, key_node)}：键“{key}”重复出现"
                    f"（第一次在第 {mapping.key_locs[key].line} 行），"
                    "请删除其中一处。"
                )
            mapping[key] = _build(value_node, file, constructor, error)
            mapping.key_locs[key] = _loc(file, key_node)
        return mapping
    if isinstance(node, SequenceNode):
        sequence = LocatedList(_loc(file, node))
        for item_node in node.value:
            sequence.append(_build(item_node, file, constructor, error))
            sequence.item_locs.append(_loc(file, item_node))
        return sequence
    if isinstance(node, ScalarNode):
        try:
            return constructor.construct_object(node)
        except ValueError:  # e.g. 2026-02-30 looks like a date but does not exist
            raise error(
                f"{_loc(file, node)}：“{node.value}”不是有效的值；日期请写成 YYYY-MM-DD 并确认该日存在。"
            ) from None
    raise error(f"{_loc(file, node)}：无法识别的 YAML 内容，请改为映射、列表或单个值。")  # pragma: no cover


def load_located(path: Path, error: type[FormsError]) -> Any:
    """Parse one YAML file into located data.

    Args:
        path: the file.
        error: the exception class to raise (e.g. ``CatalogError``).

    Returns:
        A :class:`LocatedDict`, :class:`LocatedList` or scalar; an empty file gives an empty
        :class:`LocatedDict`.

    Raises:
        FormsError: (of class ``error``) the file is missing, not UTF-8 or not valid YAML; the message
            names the file and, for syntax errors, the line.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error(f"{path}：找不到文件，请检查路径是否正确。") from None
    except UnicodeDecodeError:
        raise error(f"{path}：文件不是 UTF-8 编码，请用 UTF-8 编码另存后重试。") from None
    except OSError as exc:
        raise error(f"{path}：无法读取文件（{exc.strerror}），请检查文件权限。") from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        if node is None:
            return LocatedDict(Location(path, 1))
        return _build(node, path, SafeConstructor(), error)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        problem = exc.problem or exc.context or "格式错误"
        raise error(
            f"{Location(path, line)}：YAML 格式错误（{problem}）。"
            "请检查该行及上一行的缩进、冒号、引号和括号。"
        ) from None
    except yaml.YAMLError as exc:
        raise error(f"{path}：YAML 格式错误（{exc}），请检查文件内容。") from None


def locate(root: Any, path: Sequence[Any], default: Location) -> Location:
    """Where the value at ``path`` (or the deepest existing part of it) was written.

    Args:
        root: data returned by :func:`load_located` (possibly merged from several files).
        path: keys and list indexes, e.g. ``("types", 2, "fee")``.
        default: returned when ``root`` carries no location at all.

    Returns:
        The location of the deepest element of ``path`` that exists.
    """
    node = root
    found = getattr(root, "loc", default)
    for part in path:
        if isinstance(node, LocatedDict) and part in node:
            found = node.key_locs.get(part, found)
            node = node[part]
        elif isinstance(node, LocatedList) and isinstance(part, int) and 0 <= part < len(node):
            found = node.item_locs[part]
            node = node[part]
        else:
            break
    return found


def format_path(path: Sequence[Any], root: Any = None) -> str:
    """``("types", 2, "fee")`` → ``types[2].fee``.

    With the data (``root``), a list item that is a mapping with an ``id`` is named by it:
    ``types[gift].fee`` — the index of a merged list would not match the line in the office's file.
    """
    text = ""
    node = root
    for part in path:
        item = (
            node[part] if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node) else None
        )
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            text += f"[{item['id']}]"
        elif isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
        if isinstance(node, list):
            node = item
        elif isinstance(node, dict):
            node = node.get(part)
        else:
            node = None
    return text


def _unwrap(annotation: Any) -> Any:
    """Strip ``Optional``/``Annotated`` from an annotation."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return annotation
            annotation = args[0]
        else:
            return annotation


def _model_at(model: type[BaseModel], path: Sequence[Any]) -> type[BaseModel] | None:
    """The pydantic model class that validates the mapping at ``path`` (for listing allowed keys)."""
    current: Any = model
    for part in path:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(str(part))
            if field is None:
                return None
            current = field.annotation
            continue
        origin = typing.get_origin(current)
        if origin in (list, tuple):  # list[X], tuple[X, ...]
            current = typing.get_args(current)[0]
        elif origin is dict:  # dict[K, V]
            current = typing.get_args(current)[1]
        else:
            return None
    current = _unwrap(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


_TYPE_HINTS: dict[str, str] = {
    "int_type": "应为整数，例如 5",
    "int_parsing": "应为整数，例如 5",
    "int_from_float": "应为整数，不能带小数",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "string_type": "应为文字；数字或日期请加引号",
    "decimal_type": '应为金额，例如 80 或 "80.00"',
    "decimal_parsing": '应为金额，例如 80 或 "80.00"',
    "decimal_max_places": "金额最多两位小数",
    "date_type": "应为日期，格式 YYYY-MM-DD，例如 2026-02-15",
    "date_parsing": "应为日期，格式 YYYY-MM-DD，例如 2026-02-15",
    "date_from_datetime_parsing": "应为日期，格式 YYYY-MM-DD，例如 2026-02-15",
    "list_type": "应为列表（每项一行，以“- ”开头）",
    "tuple_type": "应为列表（每项一行，以“- ”开头）",
    "dict_type": "应为映射（“键: 值”的形式）",
    "model_type": "应为映射（“键: 值”的形式）",
    "model_attributes_type": "应为映射（“键: 值”的形式）",
    "too_short": "内容不能为空",
    "string_too_short": "不能为空",
}


def _expected(ctx: Mapping[str, Any]) -> str:
    """Pydantic's ``"'a', 'b' or 'c'"`` → ``a、b、c``."""
    text = str(ctx.get("expected", ""))
    return "、".join(part.strip().strip("'") for part in text.replace(" or ", ", ").split(","))


def _error_text(err: Any, root: Any, root_model: type[BaseModel]) -> str:
    kind = err["type"]
    loc = tuple(err["loc"])
    ctx = err.get("ctx") or {}
    where = format_path(loc, root)
    if kind == "extra_forbidden":
        parent = _model_at(root_model, loc[:-1])
        allowed = "、".join(parent.model_fields) if parent is not None else ""
        hint = f"（允许的键：{allowed}）" if allowed else ""
        return f"未知的键“{where}”，请删除或改正拼写{hint}。"
    if kind in ("literal_error", "enum"):
        return f"“{where}”的值“{err.get('input')}”无效，应为 {_expected(ctx)} 之一，请改正。"
    if kind == "value_error":
        return f"“{where}”：{ctx.get('error', err['msg'])}"
    if kind in ("greater_than_equal", "greater_than"):
        bound = ctx.get("ge", ctx.get("gt"))
        return f"“{where}”的值 {err.get('input')} 太小，应不小于 {bound}，请改正。"
    if kind in ("less_than_equal", "less_than"):
        bound = ctx.get("le", ctx.get("lt"))
        return f"“{where}”的值 {err.get('input')} 太大，应不大于 {bound}，请改正。"
    hint = _TYPE_HINTS.get(kind, "")
    if hint:
        return f"“{where}”的值“{err.get('input')}”格式不对：{hint}。"
    return f"“{where}”的值无效（{err['msg']}），请对照默认数据文件改正。"


def pydantic_errors_to_text(
    exc: ValidationError, root: Any, root_model: type[BaseModel], default: Location
) -> str:
    """Located Chinese sentences, one a line, for every error of a validation.

    Args:
        exc: the error raised when validating ``root`` with ``root_model``.
        root: the located data that was validated.
        root_model: the model class used (to list the allowed keys of a mapping).
        default: the location used when the data carries none.

    Returns:
        ``"<file> 第 N 行：<what is wrong and how to fix it>"`` lines, in file order.
    """
    lines: list[tuple[Location, str]] = []
    missing: dict[tuple[Any, ...], list[str]] = {}
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        if err["type"] == "missing":  # grouped: one line per mapping lacking keys
            missing.setdefault(loc[:-1], []).append(str(loc[-1]))
            continue
        where = locate(root, loc, default)
        lines.append((where, f"{where}：{_error_text(err, root, root_model)}"))
    for parent, keys in missing.items():
        where = locate(root, parent, default)
        name = format_path(parent, root) or "文件顶层"
        lines.append((where, f"{where}：“{name}”缺少必填项 {'、'.join(keys)}，请补上。"))
    lines.sort(key=lambda item: (str(item[0].file), item[0].line))
    return "\n".join(text for _, text in lines)

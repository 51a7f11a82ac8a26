"""Per-card-type layout table of the 256-byte text block (the uncertain offsets are data).

The table is ``layouts.json`` next to this module; each field carries the mark of its source
(idcard-reader.md §5–§6, open questions Q1 and Q3). An office replaces the file, not the code, when a
vendor manual or GA/T 490 corrects an offset: :func:`load_layouts` checks a replacement as strictly as
the shipped one.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

from scanning.errors import CardDataError

DEFAULT_LAYOUTS_FILE: Final = Path(__file__).with_name("layouts.json")

FIELD_NAMES: Final = frozenset(
    {
        "name",  # Chinese name
        "name_en",  # English name (foreign PR cards)
        "name_en_more",  # continuation of the English name (2023 PR card)
        "sex",
        "ethnicity",
        "birth",
        "address",
        "id_number",
        "authority",  # issuing authority, as text
        "authority_code",  # issuing authority, as a code (2017 PR card)
        "valid_from",
        "valid_to",
        "pass_number",  # 通行证号码 (residence permits)
        "issue_count",  # 签发次数 (residence permits)
        "nationality",  # ISO 3166-1 alpha-3 (PR cards)
        "card_version",  # 2017 PR card
        "renewal_count",  # 换证次数 (2023 PR card)
        "previous_number",  # 既往版本证件号码关联项 (2023 PR card)
    }
)
"""Field names a layout may use; the parser knows what each means."""

REQUIRED_FIELDS: Final = frozenset({"sex", "birth", "id_number", "valid_from", "valid_to"})
"""Fields every layout must have (plus ``name`` or ``name_en``)."""


class CardType(StrEnum):
    """Card types the text block can hold, told apart by the type flag (idcard-reader.md §5)."""

    RESIDENT_ID = "resident_id"  # 居民身份证, flag blank
    HMT_RESIDENCE_PERMIT = "hmt_residence_permit"  # 港澳台居民居住证, flag J
    FOREIGN_PR_2017 = "foreign_pr_2017"  # 外国人永久居留身份证 2017 chip, flag I
    FOREIGN_PR_2023 = "foreign_pr_2023"  # 外国人永久居留身份证 2023, flag Y


@dataclass(frozen=True)
class FieldSpan:
    """Where one field sits in the text block.

    Attributes:
        offset: first byte.
        length: number of bytes (two per UCS-2 code unit).
        mark: the source mark of this row.
    """

    offset: int
    length: int
    mark: str = ""

    @property
    def end(self) -> int:
        """One past the last byte."""
        return self.offset + self.length


@dataclass(frozen=True)
class CardLayout:
    """The fields of one card type.

    Attributes:
        card_type: the card type.
        flag: the type-flag character ("" for the resident ID card).
        title: the card's Chinese name.
        fields: field name → span.
        mark: the source of the layout as a whole.
    """

    card_type: CardType
    flag: str
    title: str
    fields: Mapping[str, FieldSpan]
    mark: str = ""


@dataclass(frozen=True)
class LayoutTable:
    """All layouts plus where the type flag sits.

    Attributes:
        block_size: size of the text block in bytes (256).
        type_flag: the span of the type flag.
        layouts: the layouts by card type.
    """

    block_size: int
    type_flag: FieldSpan
    layouts: Mapping[CardType, CardLayout]

    def by_flag(self, flag: str) -> CardLayout | None:
        """The layout whose flag is ``flag`` (already stripped), or ``None``."""
        return next((lay for lay in self.layouts.values() if lay.flag == flag), None)


def _span(raw: Any, where: str, block_size: int) -> FieldSpan:
    if (
        not isinstance(raw, dict)
        or not isinstance(raw.get("offset"), int)
        or not isinstance(raw.get("length"), int)
    ):
        raise CardDataError(f"证件版式表 {where} 应写明整数 offset 和 length，请改正版式文件")
    span = FieldSpan(raw["offset"], raw["length"], str(raw.get("mark", "")))
    if span.offset < 0 or span.length <= 0 or span.end > block_size:
        raise CardDataError(f"证件版式表 {where} 超出 {block_size} 字节的文字信息区，请改正版式文件")
    if span.offset % 2 or span.length % 2:
        raise CardDataError(
            f"证件版式表 {where} 的 offset 和 length 应为偶数（每个字符 2 字节），请改正版式文件"
        )
    return span


def parse_layouts(data: Mapping[str, Any], source: str = "layouts.json") -> LayoutTable:
    """Build and check a layout table from its JSON form.

    Raises:
        CardDataError: the table is inconsistent; the message names the card type and field.
    """
    block_size = data.get("text_block_size", 256)
    if not isinstance(block_size, int) or block_size <= 0:
        raise CardDataError(f"证件版式表 {source} 的 text_block_size 不正确，请改正版式文件")
    type_flag = _span(data.get("type_flag"), f"{source} type_flag", block_size)
    layouts: dict[CardType, CardLayout] = {}
    raw_layouts = data.get("layouts")
    if not isinstance(raw_layouts, dict):
        raise CardDataError(f"证件版式表 {source} 缺少 layouts，请改正版式文件")
    for key, raw in raw_layouts.items():
        try:
            card_type = CardType(key)
        except ValueError:
            raise CardDataError(f"证件版式表 {source} 中的证件类型 {key} 未知，请改正版式文件") from None
        fields: dict[str, FieldSpan] = {}
        for name, raw_span in dict(raw.get("fields", {})).items():
            where = f"{source} {key}.{name}"
            if name not in FIELD_NAMES:
                raise CardDataError(f"证件版式表 {where}：字段名未知，请改正版式文件")
            fields[name] = _span(raw_span, where, block_size)
        missing = sorted(REQUIRED_FIELDS - fields.keys())
        if missing or not ({"name", "name_en"} & fields.keys()):
            names = "、".join(missing or ["name/name_en"])
            raise CardDataError(f"证件版式表 {source} {key} 缺少字段 {names}，请改正版式文件")
        spans = sorted([*fields.items(), ("type_flag", type_flag)], key=lambda item: item[1].offset)
        for (first, a), (second, b) in itertools.pairwise(spans):
            if b.offset < a.end:
                raise CardDataError(f"证件版式表 {source} {key} 中 {first} 与 {second} 重叠，请改正版式文件")
        flag = str(raw.get("flag", ""))
        if len(flag) > type_flag.length // 2:
            raise CardDataError(f"证件版式表 {source} {key} 的类型标志过长，请改正版式文件")
        layouts[card_type] = CardLayout(
            card_type, flag, str(raw.get("title", key)), MappingProxyType(fields), str(raw.get("mark", ""))
        )
    flags = [lay.flag for lay in layouts.values()]
    if len(set(flags)) != len(flags):
        raise CardDataError(f"证件版式表 {source} 中有两种证件使用同一类型标志，请改正版式文件")
    return LayoutTable(block_size, type_flag, MappingProxyType(layouts))


def load_layouts(path: Path | None = None) -> LayoutTable:
    """Load a layout table from a JSON file (the shipped ``layouts.json`` by default).

    Raises:
        CardDataError: the file is missing, not JSON, or inconsistent.
    """
    if path is None:
        return _default_layouts()
    return _read(path)


def _read(path: Path) -> LayoutTable:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CardDataError(f"无法读取证件版式文件 {path}（{exc.strerror}），请检查设置中的路径") from exc
    except json.JSONDecodeError as exc:
        raise CardDataError(f"证件版式文件 {path} 第 {exc.lineno} 行不是有效的 JSON，请改正") from exc
    if not isinstance(data, dict):
        raise CardDataError(f"证件版式文件 {path} 的内容应为 JSON 对象，请改正")
    return parse_layouts(data, path.name)


@cache
def _default_layouts() -> LayoutTable:
    return _read(DEFAULT_LAYOUTS_FILE)

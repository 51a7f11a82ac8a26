"""The ``yichuang idcard read`` command's body (the workstation's CLI wires the arguments).

Nothing here logs: the record goes only into the returned text, which the caller prints.
"""

from __future__ import annotations

import json

from scanning.errors import IdCardError
from scanning.idcard.layout import load_layouts
from scanning.idcard.reader import open_reader
from scanning.idcard.record import LONG_TERM, IdCardRecord

EXIT_OK = 0
EXIT_ERROR = 1


def summary(record: IdCardRecord) -> str:
    """The record as Chinese lines, in the order of the card face."""
    valid_to = record.valid_to.isoformat() if record.valid_to else LONG_TERM
    lines = [
        ("证件种类", _title(record)),
        ("姓名", record.name),
        ("英文姓名", record.name_en),
        ("性别", record.sex_name),
        ("民族", record.ethnicity),
        ("国籍", record.nationality or ""),
        ("出生日期", record.birth_date.isoformat()),
        ("住址", record.address),
        ("证件号码", record.id_number),
        ("通行证号码", record.pass_number),
        ("签发次数", record.issue_count),
        ("换证次数", record.renewal_count),
        ("签发机关", record.issuing_authority),
        ("有效期限", f"{record.valid_from.isoformat()} 至 {valid_to}"),
    ]
    return "\n".join(f"{label}：{value}" for label, value in lines if value)


def _title(record: IdCardRecord) -> str:
    layout = load_layouts().layouts.get(record.card_type)
    return layout.title if layout else record.card_type.value


def read_command(port: str | None, as_json: bool, timeout: float = 5.0) -> tuple[int, str]:
    """Read one card for ``yichuang idcard read --port PORT [--json]``.

    Args:
        port: the serial port, or ``None`` to search for the reader.
        as_json: return the record as JSON instead of a Chinese summary.
        timeout: seconds to wait for a card.

    Returns:
        The exit code (0 read, 1 failed) and the text to print (the summary or JSON, or the Chinese
        error message).
    """
    try:
        with open_reader(port) as reader:
            record = reader.read_card(timeout)
    except IdCardError as exc:
        return EXIT_ERROR, str(exc)
    if as_json:
        return EXIT_OK, json.dumps(record.to_json_dict(), ensure_ascii=False, indent=2)
    return EXIT_OK, summary(record)

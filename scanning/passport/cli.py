"""The ``yichuang idcard read --pcsc [READER] --mrz MRZ [--json]`` command's body.

Nothing here logs: the record goes only into the returned text, which the caller prints.
"""

from __future__ import annotations

import json

from scanning.errors import PassportError
from scanning.passport.reader import PcscPassportReader
from scanning.passport.record import SEX_NAMES, PassportRecord

EXIT_OK = 0
EXIT_ERROR = 1


def summary(record: PassportRecord) -> str:
    """The record as Chinese lines, in the order of the data page."""
    mrz = record.mrz
    if record.face is not None:
        photo = f"{record.face.image_type.name}，{len(record.face.data)} 字节"
    else:
        photo = "芯片中无照片"
    lines = [
        ("证件种类", "护照"),
        ("签发国", mrz.issuing_state),
        ("护照号码", mrz.document_number),
        ("姓", mrz.surname),
        ("名", mrz.given_names),
        ("国籍", mrz.nationality),
        ("性别", SEX_NAMES.get(mrz.sex_code, "")),
        ("出生日期", record.birth_date.isoformat() if record.birth_date else "不详"),
        ("有效期至", record.expiry_date.isoformat()),
        ("芯片照片", photo),
        ("数据完整性", "已通过（数据组摘要与签名一致）" if record.hashes_verified else "未核验"),
        ("签名证书", record.signer_subject),
        ("证书链", "未核验（未配置 CSCA 主列表）" if not record.chain_verified else "已核验"),
    ]
    return "\n".join(f"{label}：{value}" for label, value in lines if value)


def read_command(reader: str | None, mrz: str, as_json: bool, timeout: float = 10.0) -> tuple[int, str]:
    """Read one passport for ``yichuang idcard read --pcsc [READER] --mrz MRZ [--json]``.

    Args:
        reader: the PC/SC reader name (or part of it); the first reader when ``None``.
        mrz: the MRZ: two lines, the MRZ information (``L898902C<369080619406236``) or
            "number birth expiry" (``L898902C3 740812 340415``).
        as_json: return the record as JSON instead of a Chinese summary.
        timeout: seconds to wait for a passport.

    Returns:
        The exit code (0 read, 1 failed) and the text to print (the summary or JSON, or the Chinese
        error message).
    """
    try:
        record = PcscPassportReader(reader).read(mrz, timeout=timeout)
    except PassportError as exc:
        return EXIT_ERROR, str(exc)
    if as_json:
        return EXIT_OK, json.dumps(record.to_json_dict(), ensure_ascii=False, indent=2)
    return EXIT_OK, summary(record)

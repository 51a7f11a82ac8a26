"""Code tables of the ID card chip and the SAM status byte (data, with their sources).

Each table names its source: the project's domain note ``idcard-reader.md`` (its marks are kept:
**[S]** secondary source, **[M]** unverified; see ``scanning/idcard/README.md``) and the standard it
cites.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from forms.case import Sex

# ----------------------------------------------------------------------------------------- sex

SEX_NAMES: Final[Mapping[str, str]] = MappingProxyType(
    {
        # GB/T 2261.1 via idcard-reader.md §9; the card carries 1 or 2.
        "0": "未知的性别",
        "1": "男",
        "2": "女",
        "9": "未说明的性别",
    }
)
"""Gender code → name printed on the card."""

SEX_VALUES: Final[Mapping[str, Sex]] = MappingProxyType({"1": Sex.MALE, "2": Sex.FEMALE})
"""Gender codes that map to a :class:`forms.case.Sex`; 0 and 9 leave the party's sex empty."""

# ----------------------------------------------------------------------------------------- ethnicity

ETHNICITIES: Final[Mapping[str, str]] = MappingProxyType(
    {
        # GB/T 3304 via idcard-reader.md §9 [S]; the card face prints the name without "族".
        "01": "汉",
        "02": "蒙古",
        "03": "回",
        "04": "藏",
        "05": "维吾尔",
        "06": "苗",
        "07": "彝",
        "08": "壮",
        "09": "布依",
        "10": "朝鲜",
        "11": "满",
        "12": "侗",
        "13": "瑶",
        "14": "白",
        "15": "土家",
        "16": "哈尼",
        "17": "哈萨克",
        "18": "傣",
        "19": "黎",
        "20": "傈僳",
        "21": "佤",
        "22": "畲",
        "23": "高山",
        "24": "拉祜",
        "25": "水",
        "26": "东乡",
        "27": "纳西",
        "28": "景颇",
        "29": "柯尔克孜",
        "30": "土",
        "31": "达斡尔",
        "32": "仫佬",
        "33": "羌",
        "34": "布朗",
        "35": "撒拉",
        "36": "毛南",
        "37": "仡佬",
        "38": "锡伯",
        "39": "阿昌",
        "40": "普米",
        "41": "塔吉克",
        "42": "怒",
        "43": "乌孜别克",
        "44": "俄罗斯",
        "45": "鄂温克",
        "46": "德昂",
        "47": "保安",
        "48": "裕固",
        "49": "京",
        "50": "塔塔尔",
        "51": "独龙",
        "52": "鄂伦春",
        "53": "赫哲",
        "54": "门巴",
        "55": "珞巴",
        "56": "基诺",
        "97": "其他未识别民族",
        "98": "外国血统中国籍人士",
    }
)
"""Ethnicity code → name as printed on the card."""

# ----------------------------------------------------------------------------------------- status


@dataclass(frozen=True)
class StatusCode:
    """One value of the SAM status byte SW3.

    Attributes:
        code: the byte.
        meaning: the Chinese meaning shown to the clerk or IT.
        advice: what to do about it.
        source: the reference mark.
    """

    code: int
    meaning: str
    advice: str
    source: str


SW3_SUCCESS: Final = 0x90
SW3_CARD_FOUND: Final = 0x9F
SW3_NO_CARD: Final = 0x80
SW3_SELECT_FAILED: Final = 0x81
SW3_READ_FAILED: Final = 0x41
SW3_BAD_CHECKSUM: Final = 0x10

STATUS_CODES: Final[Mapping[int, StatusCode]] = MappingProxyType(
    {
        s.code: s
        for s in (
            # idcard-reader.md §3, GA 467 [M]
            StatusCode(SW3_SUCCESS, "操作成功", "", "idcard-reader.md §3 [M]"),
            StatusCode(SW3_CARD_FOUND, "找到证件", "", "idcard-reader.md §3 [M]"),
            StatusCode(
                SW3_NO_CARD, "读卡器上没有证件", "请把证件平放在读卡器感应区上", "idcard-reader.md §3 [M]"
            ),
            StatusCode(
                SW3_SELECT_FAILED, "选卡失败", "请把证件拿起后重新平放在感应区中央", "idcard-reader.md §3 [M]"
            ),
            StatusCode(
                SW3_READ_FAILED, "读卡失败", "请不要移动证件，把它放稳后重读", "idcard-reader.md §3 [M]"
            ),
            # Not in idcard-reader.md: the fuller SW3 list commonly reproduced from reader SDK
            # manuals. Unverified (Q2) — these only choose the message; every one of them raises
            # ReaderStatusError with its hex code, as §3 asks for unknown values.
            StatusCode(
                SW3_BAD_CHECKSUM,
                "读卡器收到的命令校验和错误",
                "请检查串口线和波特率后重试",
                "SDK manuals, unverified (Q2)",
            ),
            StatusCode(
                0x11, "读卡器收到的命令长度错误", "请检查串口设置后重试", "SDK manuals, unverified (Q2)"
            ),
            StatusCode(
                0x21, "读卡器不认识该命令", "请确认读卡器支持 GA 467 串口协议", "SDK manuals, unverified (Q2)"
            ),
            StatusCode(0x23, "越权操作", "请联系读卡器厂商", "SDK manuals, unverified (Q2)"),
            StatusCode(
                0x31, "证件认证读卡器失败", "请确认这是真实有效的证件后重读", "SDK manuals, unverified (Q2)"
            ),
            StatusCode(
                0x32, "读卡器认证证件失败", "请确认这是真实有效的证件后重读", "SDK manuals, unverified (Q2)"
            ),
            StatusCode(
                0x33, "证件信息验证错误", "请重读；仍失败请核验证件真伪", "SDK manuals, unverified (Q2)"
            ),
            StatusCode(
                0x40, "无法识别的卡类型", "请确认放上的是身份证或居住证", "SDK manuals, unverified (Q2)"
            ),
            StatusCode(
                0x60,
                "读卡器安全模块自检失败",
                "请重启读卡器；仍失败请联系厂商",
                "SDK manuals, unverified (Q2)",
            ),
            StatusCode(0x66, "读卡器安全模块未经授权", "请联系读卡器厂商", "SDK manuals, unverified (Q2)"),
        )
    }
)
"""SW3 values the driver can describe, by byte."""


def describe_status(sw3: int) -> str:
    """The clerk-facing description of a status byte, always with its hex code."""
    status = STATUS_CODES.get(sw3)
    if status is None:
        return f"读卡器返回了未知的状态码 0x{sw3:02X}，请重新放卡再读；多次出现请联系读卡器厂商"
    advice = f"，{status.advice}" if status.advice else ""
    return f"{status.meaning}（状态码 0x{sw3:02X}）{advice}"

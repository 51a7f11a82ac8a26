"""Rare characters at entry: warn when a name or address holds a character no bundled font can print.

A character outside every bundled font prints as an empty box on the 申请书 and the receipt
(:func:`printing.fonts.missing_glyphs`). The wizard warns under the field as the clerk types, so the
character is checked (a typo, a wrong input-method candidate) or noted while the applicant is still at
the window, not found at print time.

The fonts load lazily (≈ 0.2 s, plus ≈ 0.3 s to import reportlab): :func:`warm_up` loads them once per
process on the session's executor when a wizard opens. Until they are loaded :func:`glyph_issues`
reports nothing rather than load them on the UI thread; the wizard checks again when they are.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, Final

from forms.case import Party
from forms.errors import Issue
from workstation.session import Session

CHECKED_FIELDS: Final = ("name", "address")
"""Party fields printed on the forms whose characters are checked."""

CODE: Final = "font.missing_glyph"
"""The issue code of the warning."""

_log = logging.getLogger(__name__)
_ready = threading.Event()
_state: dict[str, Any] = {"started": False, "failed": False}
_waiting: list[Callable[[], object]] = []


def is_ready() -> bool:
    """Whether the fonts are loaded, so :func:`missing` answers without loading them."""
    return _ready.is_set()


def _load() -> None:
    # Worker thread: import reportlab and read the font files.
    from printing.fonts import register_fonts

    register_fonts()


def _loaded(_result: object) -> None:
    _ready.set()
    callbacks, _waiting[:] = list(_waiting), []
    for callback in callbacks:
        callback()


def _failed(exc: BaseException) -> None:
    # A broken installation (font file missing): printing reports it; the wizard just does not warn.
    _state["failed"] = True
    _waiting.clear()
    _log.warning("fonts not loaded, no rare-character warnings: %s", type(exc).__name__)


def warm_up(session: Session, on_ready: Callable[[], object]) -> None:
    """Load the fonts off the UI thread (once per process); ``on_ready`` runs on the UI thread after.

    Args:
        session: the running application (its executor runs the loading).
        on_ready: called when the fonts are loaded (at once when they already are; never on failure).
    """
    if _ready.is_set():
        on_ready()
        return
    if _state["failed"]:
        return
    _waiting.append(on_ready)
    if _state["started"]:
        return
    _state["started"] = True
    session.executor.submit(_load, on_done=_loaded, on_error=_failed)


def missing(text: str) -> list[str]:
    """The characters of ``text`` no bundled font covers (empty until the fonts are loaded)."""
    if not text or not _ready.is_set() or text.isascii():
        return []
    from printing.fonts import missing_glyphs

    return missing_glyphs(text)


def _title(name: str) -> str:
    return Party.model_fields[name].title or name


def glyph_issues(data: dict[str, Any]) -> list[Issue]:
    """A warning for each party name or address holding characters no bundled font can print.

    Args:
        data: the wizard's raw data.

    Returns:
        One warning per field, at the field's path (``parties[0].name``).
    """
    issues: list[Issue] = []
    for index, party in enumerate(data.get("parties") or []):
        if not isinstance(party, dict):
            continue
        for name in CHECKED_FIELDS:
            text = party.get(name)
            chars = missing(text) if isinstance(text, str) else []
            if not chars:
                continue
            shown = "、".join(f"“{c}”（U+{ord(c):04X}）" for c in chars)
            issues.append(
                Issue(
                    f"parties[{index}].{name}",
                    f"{_title(name)}中的 {shown} 不在本机的打印字库中，打印时会显示为空框：请核对是否录入"
                    "正确（输入法选字）；确为生僻字的，请在“备注”中说明，打印后在表上手写补填。",
                    "warning",
                    CODE,
                )
            )
    return issues

"""Render the print dialog offscreen into docs/screenshots/print.png.

Run: ``python scripts/render_print_screenshot.py [out]``.

A throwaway data folder, a demo clerk and the 存量房买卖 example case; one earlier print is in the
history (a real "saved" record with its PDF). The printer list is a fixed one for the picture: nothing
is sent anywhere.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


class PictureBackend:
    """Printers for the picture only; printing through it is refused."""

    def printers(self) -> list[str]:
        """Three printer names as an office's window might have."""
        return ["窗口3-激光打印机", "档案室-HP-M404", "Microsoft Print to PDF"]

    def default_printer(self) -> str | None:
        """The window's printer."""
        return "窗口3-激光打印机"

    def print_pdf(self, pdf: bytes, printer: str | None, title: str) -> str:
        """Never prints."""
        raise RuntimeError("the screenshot backend does not print")


def main() -> int:
    """Render the dialog; returns the exit code."""
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    data = Path(tempfile.mkdtemp(prefix="yichuang-shots-"))
    os.environ["YICHUANG_DATA_DIR"] = str(data)
    os.environ["YICHUANG_POLICY_FILE"] = str(data / "policy.toml")

    from argon2 import PasswordHasher

    from forms.case import Case
    from forms.catalog import load_catalog
    from workstation import printing_service as service
    from workstation.app import create_application
    from workstation.config import Settings
    from workstation.executor import InlineExecutor
    from workstation.i18n import install_language
    from workstation.qt import QApplication
    from workstation.session import Session
    from workstation.storage.api import Role
    from workstation.storage.store import open_store
    from workstation.ui.print_dialog import PrintDialog

    app = create_application(["shots"])
    install_language(app, "zh_CN")
    settings = Settings.model_validate(
        {
            "database_url": f"sqlite:///{data / 'yichuang.db'}",
            "office_code": "33010601",
            "window_id": "03",
            "office_name": "西湖区不动产登记中心",
            "enquiry_phone": "0571-87654321",
            "key_protector": "file",
        }
    )
    store = open_store(
        settings, data_dir=data, hasher=PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )
    user = store.add_user(username="clerk", display_name="王受理", password="demo-pass-1", role=Role.CLERK)
    example = ROOT / "examples" / "second_hand_sale.json"
    case = store.import_case(Case.model_validate(json.loads(example.read_text(encoding="utf-8"))), user=user)
    catalog = load_catalog()
    printable = service.load_printable(store, case.id, settings=settings, catalog=catalog, user=user)
    service.save_case_pdf(
        printable.case, printable.ctx, data / "receipt.pdf", documents=["receipt"], store=store, user=user
    )
    session = Session(store=store, executor=InlineExecutor(), settings=settings, catalog=catalog, user=user)

    dialog = PrintDialog(session, case.id, printer=PictureBackend())
    dialog.resize(1280, 860)
    dialog.show()
    QApplication.processEvents()
    dialog.grab().save(str(out / "print.png"))
    print(out / "print.png")
    dialog.close()
    store.close()
    shutil.rmtree(data, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

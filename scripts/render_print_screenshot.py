"""Render the print dialog offscreen into docs/screenshots/print.png.

Run: ``python scripts/render_print_screenshot.py [out]``.

A throwaway data folder, a demo clerk and the 存量房买卖 example case; one earlier print is in the
history (a real "saved" record with its PDF). The printer list is a fixed one for the picture: nothing
is sent anywhere.
"""

from __future__ import annotations

import json
import shutil
import sys

from _shots import ROOT, demo_settings, open_demo_store, prepare, start_app  # scripts/ is on sys.path

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
    out, data = prepare()

    from forms.case import Case
    from forms.catalog import load_catalog
    from workstation import printing_service as service
    from workstation.executor import InlineExecutor
    from workstation.qt import QApplication
    from workstation.session import Session
    from workstation.storage.api import Role
    from workstation.ui.print_dialog import PrintDialog

    _app = start_app()  # held: the QApplication must outlive the widgets
    settings = demo_settings(data, enquiry_phone="0571-87654321")
    store = open_demo_store(settings, data)
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

"""Render the main screens offscreen into docs/screenshots/ (run: python scripts/render_screenshots.py [out]).

Uses a throwaway data folder, a demo user and the example cases, so the pictures show real widgets
over the real store; nothing is written to the machine's data folder.
"""

from __future__ import annotations

import json
import sys

from _shots import ROOT, demo_settings, open_demo_store, prepare, start_app  # scripts/ is on sys.path

sys.path.insert(0, str(ROOT))


def main() -> int:
    """Render every main screen; returns the exit code."""
    out, data = prepare()

    from forms.case import Case
    from forms.catalog import load_catalog
    from workstation.executor import InlineExecutor
    from workstation.i18n import install_language
    from workstation.qt import QApplication
    from workstation.session import Session
    from workstation.storage.api import Role
    from workstation.ui.login import LoginDialog
    from workstation.ui.main_window import MainWindow

    app = start_app()
    settings = demo_settings(data)
    store = open_demo_store(settings, data)
    user = store.add_user(username="clerk", display_name="王受理", password="demo-pass-1", role=Role.CLERK)
    for file in sorted((ROOT / "examples").glob("*.json")):
        if not file.name.startswith("invalid"):
            store.import_case(Case.model_validate(json.loads(file.read_text(encoding="utf-8"))), user=user)
    session = Session(store=store, executor=InlineExecutor(), settings=settings, catalog=load_catalog())

    def shot(widget: object, name: str) -> None:
        QApplication.processEvents()
        widget.grab().save(str(out / name))  # type: ignore[attr-defined]
        print(out / name)

    login = LoginDialog(session)
    login.show()
    login.username.setText("clerk")
    login.password.setText("wrong")
    shot(login, "login.png")
    login.submit()
    shot(login, "login-failed.png")
    login.close()

    session.user = user
    window = MainWindow(session)
    window.show()
    shot(window, "main-window.png")

    wizard = window.new_case()
    shot(wizard, "wizard-type.png")
    wizard.next()
    page = wizard.parties_page
    buyer = page.add_buttons[0]
    buyer.click()
    for path, value in (
        ("parties[0].id_number", "330106199005120371"),
        ("parties[0].name", "张三"),
        ("parties[0].phone", "13800000011"),
        ("parties[0].address", "杭州市西湖区古荡街道 12 号"),
    ):
        field = wizard.binder.widget(path)
        field.setText(value)  # type: ignore[union-attr]
        field.textEdited.emit(value)  # type: ignore[union-attr]
    page.add_buttons[1].click()
    for path, value in (("parties[1].name", "刘四"), ("parties[1].id_number", "330106197001010537")):
        field = wizard.binder.widget(path)
        field.setText(value)  # type: ignore[union-attr]
        field.textEdited.emit(value)  # type: ignore[union-attr]
    page.select_party(0)
    wizard.validate_now()
    shot(wizard, "wizard.png")
    for name in ("property", "transaction", "materials", "interview", "review"):
        wizard.go_to(name)
        wizard.validate_now()
        shot(wizard, f"wizard-{name}.png")
    install_language(app, "en")
    QApplication.processEvents()
    shot(window, "main-window-en.png")
    window.close()  # closes the wizard too
    QApplication.processEvents()
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

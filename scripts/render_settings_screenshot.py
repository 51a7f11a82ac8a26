"""Render the settings dialog offscreen into docs/screenshots/settings.png.

Run: ``python scripts/render_settings_screenshot.py [out]``.

A throwaway data folder with an ``office.toml`` (office code and name) and a policy file that locks
空闲锁屏分钟数 (the 安全 tab shows the lock note); the administrator's view of 办公室信息, with the
office name being edited and a window number typed wrong, so the Chinese message under the field
shows.
"""

from __future__ import annotations

import shutil
import sys

from _shots import ROOT, open_demo_store, prepare, start_app  # scripts/ is on sys.path

sys.path.insert(0, str(ROOT))


def main() -> int:
    """Render the dialog; returns the exit code."""
    out, data = prepare()
    (data / "policy.toml").write_text("idle_lock_minutes = 10\n", encoding="utf-8")
    (data / "office.toml").write_text(
        'office_code = "33010601"\noffice_name = "西湖区不动产登记中心"\nkey_protector = "file"\n'
        'enquiry_phone = "0571-87000000"\n',
        encoding="utf-8",
    )

    from forms.catalog import load_catalog
    from workstation.config import load_settings
    from workstation.executor import InlineExecutor
    from workstation.qt import QApplication, QLineEdit
    from workstation.session import Session
    from workstation.storage.api import Role
    from workstation.ui.settings_dialog import SettingsDialog

    _app = start_app()  # held: the QApplication must outlive the widgets
    settings = load_settings()
    store = open_demo_store(settings, data)
    admin = store.add_user(username="it", display_name="信息科 张工", password="demo-pass-1", role=Role.ADMIN)
    session = Session(
        store=store, executor=InlineExecutor(), settings=settings, catalog=load_catalog(), user=admin
    )
    try:
        dialog = SettingsDialog(session)
        dialog.show()
        name = dialog.editor("office_name")
        code = dialog.editor("window_id")
        assert isinstance(name, QLineEdit) and isinstance(code, QLineEdit)
        name.setText("杭州市西湖区不动产登记中心")
        code.setText("3a")
        name.setFocus()
        for _ in range(5):
            QApplication.processEvents()
        dialog.grab().save(str(out / "settings.png"))
        print(out / "settings.png")
        dialog.reject()
    finally:
        store.close()
        shutil.rmtree(data, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

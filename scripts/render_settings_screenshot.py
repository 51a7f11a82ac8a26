"""Render the settings dialog offscreen into docs/screenshots/settings.png.

Run: ``python scripts/render_settings_screenshot.py [out]``.

A throwaway data folder with an ``office.toml`` (office code and name) and a policy file that locks
空闲锁屏分钟数 (the 安全 tab shows the lock note); the administrator's view of 办公室信息, with the
office name being edited and a window number typed wrong, so the Chinese message under the field
shows.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    """Render the dialog; returns the exit code."""
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    data = Path(tempfile.mkdtemp(prefix="yichuang-shots-"))
    os.environ["YICHUANG_DATA_DIR"] = str(data)
    os.environ["YICHUANG_POLICY_FILE"] = str(data / "policy.toml")
    (data / "policy.toml").write_text("idle_lock_minutes = 10\n", encoding="utf-8")
    (data / "office.toml").write_text(
        'office_code = "33010601"\noffice_name = "西湖区不动产登记中心"\nkey_protector = "file"\n'
        'enquiry_phone = "0571-87000000"\n',
        encoding="utf-8",
    )

    from argon2 import PasswordHasher

    from forms.catalog import load_catalog
    from workstation.app import create_application
    from workstation.config import load_settings
    from workstation.executor import InlineExecutor
    from workstation.i18n import install_language
    from workstation.qt import QApplication, QLineEdit
    from workstation.session import Session
    from workstation.storage.api import Role
    from workstation.storage.store import open_store
    from workstation.ui.settings_dialog import SettingsDialog

    app = create_application(["shots"])
    install_language(app, "zh_CN")
    settings = load_settings()
    store = open_store(
        settings, data_dir=data, hasher=PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )
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

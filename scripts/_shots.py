"""What the screenshot scripts share: a throwaway data folder, the app in Chinese, a demo store.

Each ``scripts/render_*.py`` calls :func:`prepare` first (before importing the workstation, which
reads the data folder from the environment), then :func:`start_app` and :func:`open_demo_store`.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

DEMO_OFFICE = {"office_code": "33010601", "window_id": "03", "office_name": "西湖区不动产登记中心"}
"""The office the pictures show."""


def prepare() -> tuple[Path, Path]:
    """The output folder (first argument, else docs/screenshots) and a fresh data folder, both made.

    The data folder is set in the environment (``YICHUANG_DATA_DIR``, ``YICHUANG_POLICY_FILE``),
    so nothing is written to the machine's own data folder.
    """
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    data = Path(tempfile.mkdtemp(prefix="yichuang-shots-"))
    os.environ["YICHUANG_DATA_DIR"] = str(data)
    os.environ["YICHUANG_POLICY_FILE"] = str(data / "policy.toml")
    return out, data


def start_app() -> Any:
    """The QApplication, with the Chinese translation installed."""
    from workstation.app import create_application
    from workstation.i18n import install_language

    app = create_application(["shots"])
    install_language(app, "zh_CN")
    return app


def demo_settings(data: Path, **extra: Any) -> Any:
    """Settings for the demo office with an SQLite database in ``data`` (``extra`` added)."""
    from workstation.config import Settings

    return Settings.model_validate(
        {"database_url": f"sqlite:///{data / 'yichuang.db'}", **DEMO_OFFICE, "key_protector": "file", **extra}
    )


def open_demo_store(settings: Any, data: Path, **kwargs: Any) -> Any:
    """The store, with a fast password hasher (the pictures need no real hashing cost)."""
    from argon2 import PasswordHasher

    from workstation.storage.store import open_store

    return open_store(
        settings,
        data_dir=data,
        hasher=PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1),
        **kwargs,
    )

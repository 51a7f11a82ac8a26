"""Kill the real program mid-entry, start it again, and find the draft intact (and encrypted on disk)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from workstation.config import load_settings, write_toml
from workstation.storage.api import Role
from workstation.storage.store import open_store

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "e2e-window-pass"
ID_NUMBER = "33010619900512037X"
NAME = "张𠮷"
TYPED_AREA = "12a"  # does not parse: only the draft can hold it


def _start(
    data_dir: Path, script: list[dict[str, object]], tmp_path: Path, name: str
) -> subprocess.Popen[bytes]:
    script_file = tmp_path / f"{name}.json"
    script_file.write_text(json.dumps(script, ensure_ascii=False), encoding="utf-8")
    env = dict(os.environ)
    env.update(
        {
            "QT_QPA_PLATFORM": "offscreen",
            "YICHUANG_DATA_DIR": str(data_dir),
            "YICHUANG_TEST_SCRIPT": str(script_file),
            "PYTHONPATH": str(ROOT),
        }
    )
    with (tmp_path / f"{name}.log").open("wb") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "workstation"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )


def _wait(predicate, timeout: float, process: subprocess.Popen[bytes], what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        if process.poll() is not None:
            raise AssertionError(f"the program exited ({process.returncode}) before {what}")
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def test_draft_survives_sigkill_and_is_offered_back(tmp_path, data_dir):
    data_dir.mkdir(parents=True, exist_ok=True)
    write_toml(
        data_dir / "office.toml",
        {
            "key_protector": "file",
            "office_name": "示范区不动产登记中心",
            "window_id": "07",
            "draft_journal_seconds": 1,
        },
    )
    store = open_store(load_settings(), hasher=PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    clerk = store.add_user(username="clerk", display_name="王受理", password=PASSWORD, role=Role.CLERK)

    typing: list[dict[str, object]] = [
        {"login": {"username": "clerk", "password": PASSWORD}},
        {"new_case": "second_hand_sale"},
        {"add_party": "buyer"},
        {"set": {"path": "parties[0].id_number", "value": ID_NUMBER}},
        {"set": {"path": "parties[0].name", "value": NAME}},
        {"next": True},
        {"set": {"path": "property.area", "value": TYPED_AREA}},
    ]
    first = _start(data_dir, typing, tmp_path, "first")
    try:

        def journalled() -> bool:
            drafts = store.open_drafts(clerk)
            return bool(drafts) and drafts[0].data.get("property", {}).get("area") == TYPED_AREA

        _wait(journalled, 60, first, "the draft to be journalled")
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(10)

    # Through the store: exactly as typed, on the page the clerk was on.
    (draft,) = store.open_drafts(clerk)
    assert draft.page == "property"
    assert draft.data["parties"][0]["id_number"] == ID_NUMBER
    assert draft.data["parties"][0]["name"] == NAME
    assert draft.data["property"]["area"] == TYPED_AREA

    # On disk (database and write-ahead log) the personal data is encrypted.
    files = [p for p in data_dir.glob("yichuang.db*") if p.is_file()]
    assert {"yichuang.db", "yichuang.db-wal"} <= {p.name for p in files}, files
    for file in files:
        content = file.read_bytes()
        assert ID_NUMBER.encode() not in content, file.name
        assert NAME.encode("utf-8") not in content, file.name
        assert ID_NUMBER.encode("utf-16-le") not in content, file.name

    # Restart: the program offers the draft back and reopens it exactly as typed.
    state_file = tmp_path / "state.json"
    reopening: list[dict[str, object]] = [
        {"login": {"username": "clerk", "password": PASSWORD}},
        {"continue_draft": 0},
        {"dump": str(state_file)},
    ]
    second = _start(data_dir, reopening, tmp_path, "second")
    try:
        _wait(state_file.exists, 60, second, "the reopened draft")
        time.sleep(0.2)
        state = json.loads(state_file.read_text(encoding="utf-8"))
    finally:
        second.send_signal(signal.SIGTERM)
        try:
            second.wait(10)
        except subprocess.TimeoutExpired:
            second.kill()
            second.wait(10)
        store.close()
    assert state["case_id"] == str(draft.case_id)
    assert state["page"] == "property"
    assert state["data"]["parties"][0]["id_number"] == ID_NUMBER
    assert state["data"]["property"]["area"] == TYPED_AREA
    assert state["data"] == draft.data

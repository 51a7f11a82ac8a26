"""No file the workstation writes holds a full case's personal data in clear (issue 8).

A case with distinctive personal data goes through the whole window: drafts, versions, a set printed
to a file (the stored PDF copy), the audit log (a view, an approval, a failed sign-in with an ID
number typed as the user name, a logged crash), submission into the outbox, and ``yichuang doctor
--bundle``. Then every file under the data folder — database, WAL, shared memory, logs, key files,
backups — and every member of the support bundle is searched for each value in UTF-8, UTF-16-LE and
GB18030. The PDF saved to a file outside the data folder is the one place the data is meant to be
(checked, so the search itself is shown to work).
"""

from __future__ import annotations

import json
import logging
import sqlite3
import uuid
import zipfile
from pathlib import Path

import pytest

from forms.case import Case
from forms.catalog import load_catalog
from tests.printing.helpers import pdf_text
from workstation import crashlog
from workstation import printing_service as printing
from workstation.audit import AuditKind
from workstation.cli import _settings, _store, main
from workstation.storage.api import Role
from workstation.storage.errors import LoginFailed
from workstation.sync_service import SyncService

NAME = "欧阳翠花"
ID_NUMBER = "11010519700101002X"
PHONE = "13987654321"
ADDRESS = "云南省昆明市五华区翠湖南路七十七号"
LOCATION = "盘龙区金星小区十二栋三单元"
CO_OWNER = "司马懿德"
SECRETS = [NAME, ID_NUMBER, ID_NUMBER[:17], PHONE, ADDRESS, LOCATION, CO_OWNER, "翠湖南路", "金星小区"]
ENCODINGS = ["utf-8", "utf-16-le", "gb18030"]
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "second_hand_sale.json"


def _case() -> Case:
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    data["id"] = str(uuid.uuid4())
    data.pop("case_number", None)
    first = data["parties"][0]
    first.update(
        name=NAME, id_number=ID_NUMBER, phone=PHONE, address=ADDRESS, sex="female", birth_date="1970-01-01"
    )
    data["parties"][1]["name"] = CO_OWNER
    data["property"]["location"] = LOCATION
    data["remarks"] = f"{NAME}（{PHONE}）委托办理"
    return Case.model_validate(data)


def _leaks(blob: bytes) -> list[str]:
    return [f"{s!r} in {enc}" for s in SECRETS for enc in ENCODINGS if s.encode(enc) in blob]


def test_no_file_under_the_data_folder_holds_personal_data(data_dir, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(crashlog, "_log_path", None)
    log_file = crashlog.setup_logging(data_dir)
    handler = logging.getLogger().handlers[-1]
    monkeypatch.setenv("YICHUANG_PASSWORD", "clerk-pass-1")
    try:
        store = _store()
        settings = _settings()
        clerk = store.add_user(
            username="clerk", display_name="王受理", password="clerk-pass-1", role=Role.CLERK
        )
        boss = store.add_user(
            username="boss", display_name="李科长", password="boss-pass-12", role=Role.SUPERVISOR
        )
        store.authenticate("clerk", "clerk-pass-1")
        with pytest.raises(LoginFailed):
            store.authenticate(ID_NUMBER, "clerk-pass-1")  # an ID number typed into the user name box
        case = store.import_case(_case(), user=clerk)
        raw = case.model_dump(mode="json")
        store.save_draft(case.id, raw, page="parties", user=clerk)
        store.save_version(case, reason="page:parties", user=clerk)
        store.save_draft(case.id, {**raw, "remarks": f"{NAME} 补充 {ADDRESS}"}, page="property", user=clerk)
        store.save_version(case, reason="page:property", user=clerk)
        store.audit(AuditKind.VIEW_CASE, user_id=clerk.id, case_id=case.id)
        store.transition(case.id, "ready", user=clerk, reason=f"{NAME} 材料齐全")

        catalog = load_catalog()
        printable = printing.load_printable(store, case.id, settings=settings, catalog=catalog, user=clerk)
        saved = tmp_path / "outside" / "set.pdf"
        saved.parent.mkdir()
        outcome = printing.save_case_pdf(
            printable.case, printable.ctx, saved, documents=["application"], store=store, user=clerk
        )
        assert outcome.job_id is not None
        assert NAME in "".join(pdf_text(saved.read_bytes()).split())  # the search would see a leak

        SyncService(store, settings).submit_case(case.id, user=clerk)
        store.approve_exception(
            case.id,
            kind="material_waived",
            reason=f"{NAME} 的户口簿由 {CO_OWNER} 次日补交",
            username="boss",
            password="boss-pass-12",
        )
        assert boss.id == store.audit_entries()[-1].user_id
        crashlog.log_crash(ValueError(f"{NAME} {ID_NUMBER}"))  # a bug whose message names a person
        logging.getLogger("workstation.test").info("case %s submitted", case.id)
        # The running app holds the database while IT makes the bundle: its connection keeps the WAL
        # (the doctor's own connection closes, and the last one to close would checkpoint it away).
        app_connection = sqlite3.connect(data_dir / "yichuang.db")
        app_connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        bundle = tmp_path / "outside" / "support.zip"
        assert main(["doctor", "--bundle", str(bundle)]) in (0, 1)
        capsys.readouterr()

        files = [p for p in data_dir.rglob("*") if p.is_file()]
        names = {p.name for p in files}
        assert {"yichuang.db", "yichuang.db-wal", "yichuang.log"} <= names, names
        assert (data_dir / "yichuang.db-wal").stat().st_size > 0  # searched live, before a checkpoint
        leaks = {str(p.relative_to(data_dir)): _leaks(p.read_bytes()) for p in files}
        with zipfile.ZipFile(bundle) as zipped:
            members = zipped.namelist()
            assert "logs/yichuang.log" in members
            leaks.update({f"support.zip:{m}": _leaks(zipped.read(m)) for m in members})
        app_connection.close()
        store.close()  # checkpoint the WAL into the main file, then search that too
        leaks["yichuang.db (closed)"] = _leaks((data_dir / "yichuang.db").read_bytes())
        assert {where: found for where, found in leaks.items() if found} == {}
        assert log_file.read_text(encoding="utf-8").count("ValueError") >= 1
    finally:
        logging.getLogger().removeHandler(handler)
        handler.close()

"""``yichuang doctor``: every check passes on a healthy window and fails, precisely, when broken."""

from __future__ import annotations

import http.server
import json
import os
import threading
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail

from tests.workstation.storage.cases import sample_case
from tests.workstation.storage.conftest import FAST_HASHER, make_settings
from workstation import backup, crashlog, doctor
from workstation.cli import main
from workstation.doctor import Doctor, HttpAnswer, Status
from workstation.storage.api import Role
from workstation.storage.crypto import key_file_protector
from workstation.storage.store import open_store


class MemoryKeyring(KeyringBackend):
    """A keyring in memory (never a file)."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.entries.pop((service, username), None)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(404)  # any answer proves the back end is reachable; Date is sent too
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def backend_url() -> Iterator[str]:
    """A real HTTP server on the loopback interface."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/yichuang"
    server.shutdown()
    server.server_close()


@pytest.fixture
def closed_port_url() -> str:
    """A loopback URL nobody listens on."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


@pytest.fixture
def healthy(tmp_path: Path) -> Doctor:
    """A window with a current database, a scheduled backup and an owner-only key file."""
    data_dir = tmp_path / "data"
    db = data_dir / "yichuang.db"
    settings = make_settings(f"sqlite:///{db}", machine_key_file=str(tmp_path / "machine.key"))
    store = open_store(
        settings,
        protector=key_file_protector(tmp_path / "machine.key"),
        data_dir=data_dir,
        hasher=FAST_HASHER,
    )
    store.add_user(username="alice", display_name="甲", password="password-1", role=Role.CLERK)
    store.close()
    backup.backup_now(settings, data_dir=data_dir, label=backup.SCHEDULED)
    return Doctor(
        data_dir=data_dir, settings=settings, disk_usage=lambda _p: (100 * 1024**3, 0, 50 * 1024**3)
    )


def _only(results: list[doctor.CheckResult], check: str) -> list[doctor.CheckResult]:
    return [r for r in results if r.check == check]


def _status(results: list[doctor.CheckResult], check: str) -> set[Status]:
    return {r.status for r in _only(results, check)}


def test_a_healthy_window_has_no_failure(healthy):
    results = healthy.run()
    assert [r.check for r in results if r.status is Status.FAIL] == []
    assert _status(results, "database") == {Status.OK}
    assert _status(results, "backup") == {Status.OK}
    assert _status(results, "fonts") == {Status.OK}
    assert _status(results, "permissions") == {Status.OK}
    assert _status(results, "disk") == {Status.OK}
    assert _status(results, "backends") == {Status.SKIP}  # none configured
    assert doctor.exit_code(results) == 0
    text = doctor.render_text(results)
    assert "结论：" in text and "[OK  ] 数据库" in text


def test_bad_settings_fail_and_name_the_file(tmp_path):
    policy = Path(os.environ["YICHUANG_POLICY_FILE"])
    policy.write_text('office_code = "12"\n', encoding="utf-8")
    doc = Doctor.for_machine(tmp_path / "data")
    [result] = doctor.check_config(doc)
    assert result.status is Status.FAIL
    assert str(policy) in result.message and "登记机构代码" in result.message


def test_damaged_database_fails(healthy):
    db = healthy.data_dir / "yichuang.db"
    for suffix in ("-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    db.write_bytes(b"garbage" * 1000)
    [result] = doctor.check_database(healthy)
    assert result.status is Status.FAIL
    assert "无法打开数据库" in result.message and "backup list" in result.message


def test_database_from_a_newer_or_older_program(healthy):
    import sqlite3

    db = healthy.data_dir / "yichuang.db"
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'ffff_newer'")
    [newer] = doctor.check_database(healthy)
    assert newer.status is Status.FAIL and "比本程序新" in newer.message
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0001'")
    [older] = doctor.check_database(healthy)
    assert older.status is Status.WARN and "自动备份再升级" in older.message
    assert older.data["current"] == "0001"


def test_unreachable_postgres_fails(healthy, closed_port_url):
    port = closed_port_url.rsplit(":", 1)[1].strip("/")
    url = f"postgresql+psycopg://yichuang:secret@127.0.0.1:{port}/yichuang"
    doc = Doctor(data_dir=healthy.data_dir, settings=make_settings(url))
    [result] = doctor.check_database(doc)
    assert result.status is Status.FAIL and "database_url" in result.message
    assert "secret" not in json.dumps(result.to_dict(), ensure_ascii=False)


def test_missing_or_stale_backups_warn(healthy):
    folder = healthy.data_dir / "backups"
    for file in folder.iterdir():
        file.unlink()
    [missing] = doctor.check_backups(healthy)
    assert missing.status is Status.WARN and "backup now" in missing.message
    backup.backup_now(
        healthy.settings,
        data_dir=healthy.data_dir,
        now=datetime.now(UTC) - timedelta(days=3),
        label="scheduled",
    )
    [stale] = doctor.check_backups(healthy)
    assert stale.status is Status.WARN and "超过间隔的两倍" in stale.message


def test_backends_reachable_and_clock(healthy, backend_url):
    settings = healthy.settings.model_copy(update={"sync_transaction_url": backend_url})
    doc = Doctor(data_dir=healthy.data_dir, settings=settings)
    [reachable] = doctor.check_backends(doc)
    assert reachable.status is Status.OK and "HTTP 404" in reachable.message
    [clock] = doctor.check_clock(doc)
    assert clock.status is Status.OK
    doc.now = lambda: datetime.now(UTC) + timedelta(minutes=2)
    [drift] = doctor.check_clock(doc)
    assert drift.status is Status.WARN and "快" in drift.message
    doc.now = lambda: datetime.now(UTC) - timedelta(minutes=30)
    [far] = doctor.check_clock(doc)
    assert far.status is Status.FAIL and "慢" in far.message and "自动校时" in far.message


def test_unreachable_backend_fails_with_what_to_check(healthy, closed_port_url):
    settings = healthy.settings.model_copy(update={"sync_tax_url": closed_port_url})
    doc = Doctor(data_dir=healthy.data_dir, settings=settings)
    [result] = doctor.check_backends(doc)
    assert result.status is Status.FAIL
    assert "税务部门地址" in result.message and "防火墙" in result.message
    [clock] = doctor.check_clock(doc)
    assert clock.status is Status.SKIP


def test_server_error_warns(healthy):
    settings = healthy.settings.model_copy(update={"sync_registration_url": "https://reg.example"})
    doc = Doctor(data_dir=healthy.data_dir, settings=settings, http=lambda url, s: HttpAnswer(503, None))
    [result] = doctor.check_backends(doc)
    assert result.status is Status.WARN and "内部错误" in result.message


def test_enrolment(healthy, memory_keyring):
    from sync.keys import CredentialVault
    from sync.package import Department
    from sync.transport import Credential

    settings = healthy.settings.model_copy(
        update={"sync_transaction_url": "https://jy.example", "sync_tax_url": "https://tax.example"}
    )
    doc = Doctor(data_dir=healthy.data_dir, settings=settings)
    results = doctor.check_enrolment(doc)
    assert [r.status for r in results] == [Status.WARN, Status.WARN]
    assert "yichuang enrol" in results[0].message
    CredentialVault().store_credential(
        Department.TRANSACTION, Credential(token="t0ken", key_id="k1", department="transaction")
    )
    results = doctor.check_enrolment(doc)
    assert [r.status for r in results] == [Status.OK, Status.WARN]
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]
    results = doctor.check_enrolment(doc)
    assert {r.status for r in results} == {Status.FAIL}


def test_devices_missing_reader_and_scanner(healthy, monkeypatch):
    import scanning.documents.factory as factory
    import scanning.idcard.reader as reader
    from scanning.errors import DriverMissing

    monkeypatch.setattr(reader, "candidate_ports", lambda: [])

    def no_scanner(backend: str | None = None) -> None:
        raise DriverMissing("本机无法使用 SANE 扫描接口：请安装 libsane。")

    monkeypatch.setattr(factory, "make_driver", no_scanner)
    port, scanner = doctor.check_devices(healthy)
    assert port.status is Status.WARN and "身份证阅读器" in port.message
    assert scanner.status is Status.WARN and "libsane" in scanner.message
    monkeypatch.setattr(reader, "candidate_ports", lambda: ["/dev/ttyUSB0"])
    port, _ = doctor.check_devices(healthy)
    assert port.status is Status.OK and "/dev/ttyUSB0" in port.message


def test_missing_or_damaged_fonts_fail(healthy, tmp_path, monkeypatch):
    empty = tmp_path / "fonts"
    empty.mkdir()
    monkeypatch.setenv("YICHUANG_FONT_DIR", str(empty))
    [missing] = doctor.check_fonts(healthy)
    assert missing.status is Status.FAIL and "重新安装" in missing.message
    from printing.fonts import FACES

    for face in FACES:
        (empty / face.file).write_bytes(b"\0" * 100)
    [damaged] = doctor.check_fonts(healthy)
    assert damaged.status is Status.FAIL and "无法读取" in damaged.message


def test_keyring_needed_but_missing_fails(healthy, monkeypatch):
    import workstation.storage.crypto as crypto

    monkeypatch.setattr(crypto, "keyring_usable", lambda: False)
    [optional] = doctor.check_keyring(healthy)
    assert optional.status is Status.WARN and "密钥文件" in optional.message
    needed = Doctor(
        data_dir=healthy.data_dir,
        settings=healthy.settings.model_copy(update={"sync_tax_url": "https://t.example"}),
    )
    [result] = doctor.check_keyring(needed)
    assert result.status is Status.FAIL and "凭据" in result.message
    monkeypatch.setattr(crypto, "keyring_usable", lambda: True)
    [ok] = doctor.check_keyring(needed)
    assert ok.status is Status.OK


def test_open_key_file_fails(healthy, tmp_path):
    key = tmp_path / "machine.key"
    key.chmod(0o644)
    [result] = doctor.check_permissions(healthy)
    assert result.status is Status.FAIL and f"chmod 600 {key}" in result.message
    key.chmod(0o600)
    healthy.data_dir.chmod(0o755 | 0o007)
    results = doctor.check_permissions(healthy)
    assert [r.status for r in results] == [Status.OK, Status.WARN]
    healthy.data_dir.chmod(0o700)


def test_low_disk_space(healthy):
    healthy.disk_usage = lambda _p: (100 * 1024**3, 0, 1024**3)
    [low] = doctor.check_disk(healthy)
    assert low.status is Status.WARN
    healthy.disk_usage = lambda _p: (100 * 1024**3, 0, 50 * 1024**2)
    [full] = doctor.check_disk(healthy)
    assert full.status is Status.FAIL and "清理磁盘" in full.message


def test_a_crashing_check_is_reported_not_raised(healthy, monkeypatch):
    def broken(doc: Doctor) -> list[doctor.CheckResult]:
        raise ZeroDivisionError

    monkeypatch.setattr(doctor, "CHECKS", (("disk", "磁盘空间", broken),))
    [result] = healthy.run()
    assert result.status is Status.FAIL and "--bundle" in result.message


def test_cli_exit_code_and_json(healthy, monkeypatch, capsys):
    monkeypatch.setenv("YICHUANG_DATA_DIR", str(healthy.data_dir))
    policy = Path(os.environ["YICHUANG_POLICY_FILE"])
    policy.write_text(f'database_url = "{healthy.settings.database_url}"\n', encoding="utf-8")
    code = main(["doctor", "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == (0 if report["ok"] else 1)
    assert {r["check"] for r in report["results"]} >= {"database", "fonts", "disk", "clock"}
    assert next(r for r in report["results"] if r["check"] == "database")["status"] == "OK"
    (healthy.data_dir / "yichuang.db").write_bytes(b"broken")
    for suffix in ("-wal", "-shm"):
        Path(f"{healthy.data_dir / 'yichuang.db'}{suffix}").unlink(missing_ok=True)
    assert main(["doctor"]) == 1
    assert "[FAIL] 数据库" in capsys.readouterr().out


def test_bundle_has_logs_and_masked_config_but_no_personal_data(tmp_path, monkeypatch, capsys):
    data_dir = tmp_path / "data"
    db = data_dir / "yichuang.db"
    monkeypatch.setenv("YICHUANG_DATA_DIR", str(data_dir))
    policy = Path(os.environ["YICHUANG_POLICY_FILE"])
    policy.write_text(
        f'database_url = "sqlite:///{db}"\nenrol_token = "enrol-secret-token"\n'
        'sync_proxy = "http://proxyuser:proxypass@proxy.example:3128"\n',
        encoding="utf-8",
    )
    name, id_number = "欧阳明月", "110105199003071239"
    log_file = crashlog.setup_logging(data_dir)
    try:
        settings = make_settings(f"sqlite:///{db}")
        store = open_store(
            settings, protector=key_file_protector(tmp_path / "m.key"), data_dir=data_dir, hasher=FAST_HASHER
        )
        user = store.add_user(username="clerk", display_name="窗口", password="password-1", role=Role.CLERK)
        store.import_case(sample_case(name=name, id_number=id_number), user=user)
        store.close()
        try:  # an error whose message holds personal data, as pydantic's do
            raise ValueError(f"invalid id {id_number} for {name}")
        except ValueError as exc:
            crashlog.log_crash(exc)
        # a third-party library that logs an ID number (the bundle masks it)
        import logging

        logging.getLogger("thirdparty").warning("lookup %s", id_number)
        assert main(["doctor", "--bundle", str(tmp_path / "support.zip")]) in (0, 1)
    finally:
        root = logging.getLogger()
        for handler in list(root.handlers):
            if isinstance(handler, logging.handlers.RotatingFileHandler):
                root.removeHandler(handler)
                handler.close()
    capsys.readouterr()
    with zipfile.ZipFile(tmp_path / "support.zip") as bundle:
        names = bundle.namelist()
        contents = {n: bundle.read(n).decode("utf-8") for n in names}
    assert {"doctor.json", "doctor.txt", "config.json", "environment.json"} <= set(names)
    assert f"logs/{log_file.name}" in names
    assert "unexpected error" in contents[f"logs/{log_file.name}"]
    everything = "\n".join(contents.values())
    for secret in (name, id_number, "enrol-secret-token", "proxypass"):
        assert secret not in everything
    assert not any(n.endswith((".db", ".key")) for n in names)
    config = json.loads(contents["config.json"])
    assert config["settings"]["enrol_token"] == "***"
    assert config["layers"]["enrol_token"] == "policy"


def test_logs_rotate_in_the_data_folder(tmp_path):
    import logging
    import logging.handlers

    data_dir = tmp_path / "data"
    path = crashlog.setup_logging(data_dir)
    root = logging.getLogger()
    handler = next(h for h in root.handlers if isinstance(h, logging.handlers.RotatingFileHandler))
    try:
        assert path == data_dir / "logs" / "yichuang.log"
        for _ in range(1200):
            logging.getLogger("workstation.test").info("x" * 1000)
        names = sorted(p.name for p in path.parent.iterdir())
        assert names[:2] == ["yichuang.log", "yichuang.log.1"]
        assert all(p.stat().st_size <= 1_000_000 for p in path.parent.iterdir())
        [result] = doctor.check_logs(Doctor(data_dir=data_dir, settings=make_settings("sqlite://")))
        assert result.status is Status.OK and "yichuang.log.1" in result.data["files"]
    finally:
        root.removeHandler(handler)
        handler.close()


def test_unwritable_log_folder_warns(tmp_path, monkeypatch):
    logs = tmp_path / "data" / "logs"
    logs.mkdir(parents=True)
    doc = Doctor(data_dir=tmp_path / "data", settings=make_settings("sqlite://"))
    monkeypatch.setattr(os, "access", lambda path, mode: Path(path) != logs)  # root may write anywhere
    [result] = doctor.check_logs(doc)
    assert result.status is Status.WARN and "不可写" in result.message

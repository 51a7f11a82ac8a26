"""The reference back ends: one HTTP process serving 交易, 税务 and 登记 under path prefixes.

``http://HOST:PORT/{department}/v1/...`` speaks the exchange protocol of ``sync/openapi.yaml``;
``/admin/...`` (no authentication — bind to loopback only) sets scripts and reads counters. The
database is a real SQLite file (:mod:`sync.backends.store`), so packages, blobs and enrolments survive
a restart and tests can count exactly-once delivery at the back end.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import re
import secrets
import socket
import threading
import time
import urllib.parse
import uuid
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from pydantic import ValidationError

from forms.tax.assessment import Assessment
from sync.backends.script import DepartmentScript
from sync.backends.store import (
    BackendStore,
    Decision,
    Delivery,
    HeldHead,
    PackagePut,
    StoredPackage,
    Submission,
    Submit,
)
from sync.package import (
    SIGNATURE_HEADER,
    Department,
    Manifest,
    key_id,
    load_public_key,
    parse_signature_header,
    verify_signature,
)
from sync.transport import SUBMIT_HEADER
from sync.usb import MAX_SEALED_BYTES, Ack, DepartmentKeys, associated_data, sign_ack, unpack, unseal

DEFAULT_ENROLMENT_TOKEN = "yichuang-demo-token"
"""The enrolment token the reference back ends accept unless told otherwise (demo and tests)."""

MAX_MANIFEST_BYTES = 8 * 1024 * 1024
MAX_CHUNK_BYTES = 64 * 1024 * 1024
MAX_BLOB_BYTES = 2 * 1024 * 1024 * 1024
MAX_STATUS_IDS = 500
MAX_BATCH_PACKAGES = 64
"""Manifests per ``POST /v1/packages`` (the batch shortcut)."""

_RECEIPT_PREFIX = {Department.TRANSACTION: "JY", Department.TAX: "SW", Department.REGISTRATION: "DJ"}
_SHA_RE = re.compile(r"^[0-9a-f]{64}$")
_RANGE_RE = re.compile(r"^bytes (?:(?P<start>\d+)-(?P<end>\d+)|\*)/(?P<total>\d+)$")


@functools.lru_cache(maxsize=1024)
def _public_key(b64: str) -> Ed25519PublicKey:
    """An enrolled public key, parsed once."""
    return load_public_key(b64)


def _pydantic_reasons(exc: ValidationError) -> list[str]:
    reasons = []
    for err in exc.errors(include_url=False):
        path = ".".join(str(p) for p in err["loc"]) or "清单"
        reasons.append(f"{path}：{err['msg']}")
    return reasons


class _Reply(Exception):
    """Raised inside a handler to answer with a status, JSON body and headers."""

    def __init__(
        self, status: int, body: Mapping[str, Any] | None = None, headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(status)
        self.status = status
        self.body = body
        self.headers = dict(headers or {})


class _Drop(Exception):
    """Cut the connection without answering (scripted fault)."""


class ReferenceBackends:
    """The three reference back ends in one HTTP server, usable in-process.

    Example::

        with ReferenceBackends(tmp_path / "backends.sqlite") as backends:
            url = backends.url(Department.TAX)

    Args:
        db_path: the SQLite file (created when missing).
        host: the address to bind (keep it on loopback: ``/admin`` has no authentication).
        port: the port; 0 picks a free one.
        scripts: the initial behaviour per department (default: accept at once).
        enrolment_tokens: the tokens ``POST /v1/enrol`` accepts.
    """

    def __init__(
        self,
        db_path: Path,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        scripts: Mapping[Department, DepartmentScript] | None = None,
        enrolment_tokens: tuple[str, ...] = (DEFAULT_ENROLMENT_TOKEN,),
    ) -> None:
        self.store = BackendStore(db_path)
        self._scripts: dict[Department, DepartmentScript] = {d: DepartmentScript() for d in Department}
        self._drop_countdown: dict[Department, int | None] = dict.fromkeys(Department)
        self._script_lock = threading.Lock()
        for dept, script in (scripts or {}).items():
            self.set_script(dept, script)
        self.enrolment_tokens = frozenset(enrolment_tokens)
        self._httpd = _QuietServer((host, port), _handler_for(self))
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------------------------ lifecycle
    @property
    def port(self) -> int:
        """The bound port."""
        return int(self._httpd.server_address[1])

    @property
    def host(self) -> str:
        """The bound address."""
        return str(self._httpd.server_address[0])

    def url(self, department: Department) -> str:
        """The base URL of one department (append ``/v1/...``)."""
        return f"http://{self.host}:{self.port}/{department.value}"

    def start(self) -> None:
        """Serve in a background thread."""
        if self._thread is not None:
            return
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="reference-backends",
            daemon=True,
        )
        self._thread.start()

    def serve_forever(self) -> None:
        """Serve in the calling thread until interrupted."""
        self._httpd.serve_forever()

    def stop(self) -> None:
        """Stop serving, close the socket and the database."""
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join()
            self._thread = None
        self._httpd.server_close()
        self.store.close()

    def __enter__(self) -> ReferenceBackends:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -------------------------------------------------------------------------------- scripts
    def set_script(self, department: Department, script: DepartmentScript) -> None:
        """Replace a department's behaviour (arms its one-shot faults again)."""
        with self._script_lock:
            self._scripts[department] = script
            self._drop_countdown[department] = script.drop_after_chunks

    def script(self, department: Department) -> DepartmentScript:
        """A department's current behaviour."""
        with self._script_lock:
            return self._scripts[department]

    def take_chunk_fault(self, department: Department) -> bool:
        """Count a blob chunk; True when this one is to be cut off (fires once)."""
        with self._script_lock:
            countdown = self._drop_countdown[department]
            if countdown is None:
                return False
            if countdown == 0:
                self._drop_countdown[department] = None
                return True
            self._drop_countdown[department] = countdown - 1
            return False

    # ---------------------------------------------------------------------------------- stats
    def deliveries(self, department: Department) -> list[Delivery]:
        """Packages the department acknowledged (one row per package id, however often sent)."""
        return self.store.deliveries(department.value)

    def audit_heads(self, department: Department, office_code: str, window: str) -> list[HeldHead]:
        """The audit-chain heads the department received from one window (``GET /v1/audit-heads``)."""
        return self.store.audit_heads(department.value, office_code, window)

    def counters(self, department: Department) -> dict[str, int]:
        """The department's counters.

        Names: ``package_puts``, ``submit_calls``, ``deliveries``, ``blob_chunks``,
        ``blob_bytes_received``, ``conflicts``, ``corrupt_blobs``, ``dropped_chunks``, ``receipts``.
        """
        return self.store.counters(department.value)

    # ------------------------------------------------------------------------------- look-ups
    def set_contract(self, filing_no: str, record: Mapping[str, Any]) -> None:
        """Script what 交易 answers for a filing number (``sync.lookups.ContractRecord`` as JSON).

        ``as_of`` defaults to now when the record leaves it out.
        """
        self.store.set_lookup("contract", filing_no, {"filing_no": filing_no, "as_of": _now_iso(), **record})

    def set_property_status(self, unit_no: str, status: Mapping[str, Any]) -> None:
        """Script what 登记 answers for a unit (``sync.lookups.PropertyStatus`` as JSON)."""
        self.store.set_lookup("property", unit_no, {"unit_no": unit_no, "as_of": _now_iso(), **status})

    # ------------------------------------------------------------------------------ USB keys
    def private_keys(self, department: Department) -> tuple[X25519PrivateKey, Ed25519PrivateKey]:
        """The department's key pair for sealed files and its acknowledgement signing key."""
        x_raw, e_raw = self.store.department_keys(department.value)
        return X25519PrivateKey.from_private_bytes(x_raw), Ed25519PrivateKey.from_private_bytes(e_raw)

    def public_keys(self, department: Department) -> DepartmentKeys:
        """What ``GET /v1/key`` serves."""
        x_key, e_key = self.private_keys(department)
        return DepartmentKeys(department, x_key.public_key(), e_key.public_key())

    # -------------------------------------------------------------------------------- answers
    def decide(
        self, department: Department, manifest: dict[str, Any], receipt_no: str
    ) -> tuple[str, list[str], dict[str, Any] | None, float]:
        """Fix a submitted package's answer from the department's script."""
        script = self.script(department)
        ready_at = time.time() + script.answer_delay
        if script.outcome == "rejected":
            return "rejected", list(script.reasons) or ["材料不齐全"], None, ready_at
        today = date.today()
        result: dict[str, Any]
        if department is Department.TRANSACTION:
            result = {"filing_confirmation_no": f"BA{receipt_no[2:]}", "filed_on": today.isoformat()}
        elif department is Department.TAX:
            result = {"assessment": _assessment(manifest, script, receipt_no, today)}
        else:
            result = {
                "acceptance_no": receipt_no,
                "expected_completion": (today + timedelta(days=script.completion_days)).isoformat(),
            }
        return script.outcome, [], result, ready_at


def _assessment(
    manifest: dict[str, Any], script: DepartmentScript, receipt_no: str, today: date
) -> dict[str, Any]:
    """The tax bureau's scripted assessment: fixed, or the window's estimate plus a delta."""
    if script.assessment is not None:
        return Assessment.model_validate(script.assessment).model_dump(mode="json")
    estimate = manifest.get("payload", {}).get("estimate") or {}
    lines: list[dict[str, Any]] = []
    for raw in estimate.get("lines", []):
        try:
            lines.append(
                {
                    "tax": raw["tax"],
                    "payer": raw["payer"],
                    "amount": Decimal(str(raw["amount"])),
                    "base": Decimal(str(raw["base"])) if raw.get("base") is not None else None,
                    "rate": Decimal(str(raw["rate"])) if raw.get("rate") is not None else None,
                }
            )
        except (KeyError, TypeError, InvalidOperation):
            continue
    if lines:
        lines[0]["amount"] = max(Decimal("0"), lines[0]["amount"] + script.assessment_delta).quantize(
            Decimal("0.01")
        )
    total = sum((ln["amount"] for ln in lines), Decimal("0"))
    assessment = Assessment.model_validate(
        {
            "lines": lines,
            "amount_due": total.quantize(Decimal("0.01")),
            "payment_code": f"JK{receipt_no[2:]}",
            "assessed_on": today,
        }
    )
    return assessment.model_dump(mode="json")


def _status_of(package: StoredPackage) -> dict[str, Any]:
    """A package's state as ``GET /v1/packages/{id}`` answers it (the answer once it is due)."""
    return _status(package.package_id, package.receipt_no, package.decision)


def _status(package_id: str, receipt_no: str | None, decision: Decision | None) -> dict[str, Any]:
    due = decision is not None and decision.ready_at is not None and time.time() >= decision.ready_at
    given = decision if due else None
    return {
        "package_id": package_id,
        "state": given.outcome if given is not None else "received",
        "receipt_no": receipt_no,
        "reasons": given.reasons if given is not None else [],
        "result": given.result if given is not None else None,
    }


def _stored(manifest: Manifest, body: bytes) -> dict[str, Any]:
    """A validated manifest as the store takes it: the body's JSON, the ids it keys by as validated.

    Parsing the body again costs a third of dumping the validated model (about 20 against 60 µs per
    manifest, three per case); the ids are put in their validated form (a UUID in capitals is the
    same package).
    """
    data: dict[str, Any] = json.loads(body)
    data.update(
        package_id=str(manifest.package_id),
        case_id=str(manifest.case_id),
        case_version=manifest.case_version,
        supersedes=None if manifest.supersedes is None else str(manifest.supersedes),
    )
    return data


def _acknowledged(package_id: str, submitted: Submission) -> dict[str, Any]:
    """The reply fields of a submit: the receipt number and the package's status.

    The status carries the department's answer when it has already given it, which spares the
    client its first question.
    """
    return {
        "package_id": package_id,
        "receipt_no": submitted.receipt_no,
        "answer": _status(package_id, submitted.receipt_no, submitted.decision),
    }


class _QuietServer(ThreadingHTTPServer):
    """Connections the client drops (a reset upload, a killed worker) are normal here, not errors."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Stay silent about dropped connections; report anything else as usual."""
        import sys

        if isinstance(sys.exc_info()[1], OSError):
            return
        super().handle_error(request, client_address)


def _now_iso() -> str:
    return datetime.now(UTC).isoformat()


def _handler_for(backends: ReferenceBackends) -> type[BaseHTTPRequestHandler]:
    class Handler(_Handler):
        owner = backends

    return Handler


class _Handler(BaseHTTPRequestHandler):
    """One request of the reference back ends."""

    owner: ReferenceBackends
    protocol_version = "HTTP/1.1"
    server_version = "YichuangReference/1"
    # Small replies on a kept-alive connection would otherwise wait ~40 ms for the client's delayed ACK.
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        """Silence per-request logging (requests carry personal data in their bodies and ids)."""

    # -------------------------------------------------------------------------------- plumbing
    def do_GET(self) -> None:
        """Dispatch a GET."""
        self._dispatch("GET")

    def do_PUT(self) -> None:
        """Dispatch a PUT."""
        self._dispatch("PUT")

    def do_POST(self) -> None:
        """Dispatch a POST."""
        self._dispatch("POST")

    def do_HEAD(self) -> None:
        """Dispatch a HEAD."""
        self._dispatch("HEAD")

    def _dispatch(self, method: str) -> None:
        self._body_read = False
        self._plain = False
        try:
            self._route(method)
        except _Reply as reply:
            self._answer(reply.status, reply.body, reply.headers, head=method == "HEAD")
        except _Drop:
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)

    def _answer(
        self, status: int, body: Mapping[str, Any] | None, headers: Mapping[str, str], *, head: bool = False
    ) -> None:
        if not self._body_read:
            self._read_body(limit=MAX_CHUNK_BYTES, discard=True)
        data = json.dumps(body, ensure_ascii=False).encode("utf-8") if body is not None else b""
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if body is not None:
            self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if not head:
            self.wfile.write(data)

    def _length(self) -> int:
        try:
            length = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            length = -1
        if length < 0:
            self._body_read = True
            self.close_connection = True
            raise _Reply(HTTPStatus.BAD_REQUEST, {"reasons": ["Content-Length 无效"]})
        return length

    def _read_body(self, *, limit: int, discard: bool = False) -> bytes:
        length = self._length()
        self._body_read = True
        if length > limit:
            self.close_connection = True
            if discard:
                return b""
            raise _Reply(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, {"reasons": [f"请求体超过 {limit} 字节"]})
        return self.rfile.read(length) if length else b""

    # --------------------------------------------------------------------------------- routing
    def _route(self, method: str) -> None:
        parts = [p for p in self.path.split("?", 1)[0].split("/") if p]
        if parts[:1] == ["admin"]:
            self._admin(method, parts[1:])
            return
        if len(parts) < 3 or parts[1] != "v1":
            raise _Reply(HTTPStatus.NOT_FOUND, {"reasons": ["路径不存在"]})
        try:
            department = Department(parts[0])
        except ValueError:
            raise _Reply(HTTPStatus.NOT_FOUND, {"reasons": [f"没有名为 {parts[0]} 的部门"]}) from None
        script = self.owner.script(department)
        if script.latency:
            time.sleep(script.latency)
        if script.down:
            raise _Reply(HTTPStatus.SERVICE_UNAVAILABLE, {"reasons": ["系统维护中"]}, {"Retry-After": "30"})
        rest = parts[2:]
        self._plain = script.plain_protocol
        if self._plain and method == "POST" and rest in (["status"], ["properties", "status"], ["packages"]):
            raise _Reply(HTTPStatus.NOT_FOUND, {"reasons": ["路径不存在"]})
        if method == "POST" and rest == ["enrol"]:
            self._enrol(department)
        elif method == "GET" and rest == ["key"]:
            self._authenticate(department)
            raise _Reply(HTTPStatus.OK, self.owner.public_keys(department).to_json())
        elif rest[:1] == ["sealed"] and len(rest) == 2 and method == "POST":
            self._sealed(department, rest[1])
        elif rest[:1] == ["contracts"] and len(rest) == 2 and method == "GET":
            self._lookup(department, Department.TRANSACTION, "contract", rest[1], "没有该网签备案编号的合同")
        elif rest[:1] == ["properties"] and len(rest) == 3 and rest[2] == "status" and method == "GET":
            self._lookup(department, Department.REGISTRATION, "property", rest[1], "没有该不动产单元")
        elif rest == ["properties", "status"] and method == "POST":
            self._property_statuses(department)
        elif rest == ["status"] and method == "POST":
            self._status_many(department)
        elif rest == ["audit-heads"] and method == "GET":
            self._audit_heads(department)
        elif rest == ["packages"] and method == "POST":
            self._put_packages(department)
        elif rest[:1] == ["packages"] and len(rest) == 2 and method == "PUT":
            self._put_package(department, rest[1])
        elif rest[:1] == ["packages"] and len(rest) == 2 and method == "GET":
            self._get_package(department, rest[1])
        elif rest[:1] == ["packages"] and len(rest) == 3 and rest[2] == "submit" and method == "POST":
            self._submit(department, rest[1])
        elif rest[:1] == ["blobs"] and len(rest) == 2 and method == "HEAD":
            self._head_blob(department, rest[1])
        elif rest[:1] == ["blobs"] and len(rest) == 2 and method == "PUT":
            self._put_blob(department, rest[1])
        else:
            raise _Reply(HTTPStatus.NOT_FOUND, {"reasons": ["路径不存在"]})

    def _admin(self, method: str, rest: list[str]) -> None:
        if method == "PUT" and len(rest) == 2 and rest[0] == "scripts":
            try:
                department = Department(rest[1])
                script = DepartmentScript.model_validate_json(self._read_body(limit=MAX_MANIFEST_BYTES))
            except ValueError as exc:
                reasons = _pydantic_reasons(exc) if isinstance(exc, ValidationError) else [str(exc)]
                raise _Reply(HTTPStatus.BAD_REQUEST, {"reasons": reasons}) from None
            self.owner.set_script(department, script)
            raise _Reply(HTTPStatus.OK, script.model_dump(mode="json"))
        if method == "PUT" and len(rest) == 2 and rest[0] in ("contracts", "properties"):
            try:
                record = json.loads(self._read_body(limit=MAX_MANIFEST_BYTES))
                if not isinstance(record, dict):
                    raise ValueError("应为 JSON 对象")
            except ValueError as exc:
                raise _Reply(HTTPStatus.BAD_REQUEST, {"reasons": [str(exc)]}) from None
            if rest[0] == "contracts":
                self.owner.set_contract(rest[1], record)
            else:
                self.owner.set_property_status(rest[1], record)
            raise _Reply(HTTPStatus.OK, {"key": rest[1]})
        if method == "GET" and rest == ["stats"]:
            stats = {
                d.value: {
                    "counters": self.owner.counters(d),
                    "deliveries": [vars(x) for x in self.owner.deliveries(d)],
                }
                for d in Department
            }
            raise _Reply(HTTPStatus.OK, stats)
        raise _Reply(HTTPStatus.NOT_FOUND, {"reasons": ["路径不存在"]})

    def _authenticate(self, department: Department) -> tuple[str, str]:
        header = self.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            raise _Reply(HTTPStatus.UNAUTHORIZED, {"reasons": ["缺少凭据"]}, {"WWW-Authenticate": "Bearer"})
        enrolment = self.owner.store.enrolment(department.value, header[len("Bearer ") :].strip())
        if enrolment is None:
            raise _Reply(HTTPStatus.UNAUTHORIZED, {"reasons": ["凭据无效"]}, {"WWW-Authenticate": "Bearer"})
        return enrolment.key_id, enrolment.public_key

    # -------------------------------------------------------------------------------- handlers
    def _enrol(self, department: Department) -> None:
        try:
            request = json.loads(self._read_body(limit=64 * 1024))
            token = str(request["token"])
            public_key = load_public_key(str(request["public_key"]))
        except (ValueError, KeyError, TypeError) as exc:
            raise _Reply(HTTPStatus.BAD_REQUEST, {"reasons": [f"登记请求无效：{exc}"]}) from None
        if not any(secrets.compare_digest(token, t) for t in self.owner.enrolment_tokens):
            raise _Reply(HTTPStatus.FORBIDDEN, {"reasons": ["登记令牌无效或已过期"]})
        credential = secrets.token_urlsafe(32)
        kid = key_id(public_key)
        self.owner.store.enrol(department.value, credential, kid, str(request["public_key"]))
        raise _Reply(
            HTTPStatus.CREATED, {"credential": credential, "key_id": kid, "department": department.value}
        )

    def _put_package(self, department: Department, package_id: str) -> None:
        kid, public_key = self._authenticate(department)
        body = self._read_body(limit=MAX_MANIFEST_BYTES)
        submit = self.headers.get(SUBMIT_HEADER, "").strip().lower() == "if-complete"
        manifest = self._signed_manifest(
            department, package_id, body, self.headers.get(SIGNATURE_HEADER), public_key
        )
        put = self.owner.store.put_package(
            department.value,
            _stored(manifest, body),
            body,
            kid,
            submit=self._submitter(department) if submit and not self._plain else None,
        )
        raise _Reply(*self._put_reply(manifest, put))

    def _put_packages(self, department: Department) -> None:
        """Several signed manifests in one request (``POST /v1/packages``), each answered on its own.

        Each item is taken exactly as ``PUT /v1/packages/{id}`` takes it (same checks, same
        idempotence); the reply lists, in order, the status and body that request would have had.
        """
        kid, public_key = self._authenticate(department)
        try:
            request = json.loads(self._read_body(limit=MAX_MANIFEST_BYTES))
            items = [(str(i["manifest"]), str(i["signature"])) for i in request["packages"]]
            submit = str(request.get("submit", "")).strip().lower() == "if-complete"
        except (ValueError, KeyError, TypeError) as exc:
            raise _Reply(HTTPStatus.BAD_REQUEST, {"reasons": [f"批量清单请求无效：{exc}"]}) from None
        if len(items) > MAX_BATCH_PACKAGES:
            raise _Reply(HTTPStatus.BAD_REQUEST, {"reasons": [f"一次最多提交 {MAX_BATCH_PACKAGES} 个清单"]})
        results: list[dict[str, Any]] = [{} for _ in items]
        valid: list[tuple[int, Manifest, bytes]] = []
        for index, (text, signature) in enumerate(items):
            body = text.encode("utf-8")
            try:
                valid.append(
                    (index, self._signed_manifest(department, None, body, signature, public_key), body)
                )
            except _Reply as refused:
                results[index] = {"status": int(refused.status), **dict(refused.body or {})}
        puts = self.owner.store.put_packages(
            department.value,
            [(_stored(manifest, body), body) for _, manifest, body in valid],
            kid,
            submit=self._submitter(department) if submit and not self._plain else None,
        )
        for (index, manifest, _body), put in zip(valid, puts, strict=True):
            try:
                code, reply = self._put_reply(manifest, put)
            except _Reply as refused:
                code, reply = refused.status, dict(refused.body or {})
            results[index] = {"status": int(code), **reply}
        raise _Reply(HTTPStatus.OK, {"results": results})

    def _signed_manifest(
        self,
        department: Department,
        package_id: str | None,
        body: bytes,
        signature: str | None,
        public_key: str,
    ) -> Manifest:
        """The manifest in ``body`` once its signature and contents are checked (else :class:`_Reply`).

        ``package_id`` is the id in the request's path (none in a batch: the manifest names it).
        """
        if not signature or not verify_signature(body, signature, _public_key(public_key)):
            raise _Reply(HTTPStatus.FORBIDDEN, {"reasons": ["签名无效：数据包不是由登记的窗口密钥签名的"]})
        return self._valid_manifest(department, package_id, body)

    def _put_reply(self, manifest: Manifest, put: PackagePut) -> tuple[int, dict[str, Any]]:
        """The status and reply body for a stored manifest (raises :class:`_Reply` on a conflict)."""
        if put.status == "conflict":
            raise _Reply(HTTPStatus.CONFLICT, {"reasons": ["同一数据包编号已收到不同内容"], "missing": []})
        code = HTTPStatus.CREATED if put.status == "new" else HTTPStatus.OK
        reply: dict[str, Any] = {"package_id": str(manifest.package_id), "missing": put.missing}
        if not self._plain:
            reply["held"] = put.held
        if put.submitted is not None:
            reply.update(_acknowledged(reply["package_id"], put.submitted))
        return code, reply

    def _submitter(self, department: Department) -> Submit:
        return Submit(
            _RECEIPT_PREFIX[department],
            lambda held_manifest, receipt: self.owner.decide(department, held_manifest, receipt),
        )

    def _valid_manifest(self, department: Department, package_id: str | None, body: bytes) -> Manifest:
        try:
            manifest = Manifest.model_validate_json(body)
        except ValidationError as exc:
            raise _Reply(HTTPStatus.BAD_REQUEST, {"reasons": _pydantic_reasons(exc)}) from None
        except ValueError as exc:
            raise _Reply(HTTPStatus.BAD_REQUEST, {"reasons": [str(exc)]}) from None
        reasons = []
        if package_id is not None and str(manifest.package_id) != package_id:
            reasons.append("路径中的数据包编号与清单中的 package_id 不一致")
        if manifest.department is not department:
            reasons.append(f"清单的接收部门是 {manifest.department.value}，却发给了 {department.value}")
        if reasons:
            raise _Reply(HTTPStatus.BAD_REQUEST, {"reasons": reasons})
        return manifest

    def _sealed(self, department: Department, package_id: str) -> None:
        """A sealed file carried from a stick: open, verify the window's signature, deliver, ack."""
        self._authenticate(department)  # the importing machine
        sealed = self._read_body(limit=MAX_SEALED_BYTES)
        self.owner.store.bump(department.value, "sealed_imports")
        try:
            pid = uuid.UUID(package_id)
        except ValueError:
            raise _Reply(HTTPStatus.BAD_REQUEST, {"reasons": ["数据包编号无效"]}) from None
        x_key, e_key = self.owner.private_keys(department)
        try:
            contents = unpack(unseal(sealed, x_key, associated_data(department, pid)))
        except ValueError as exc:
            self.owner.store.bump(department.value, "sealed_refused")
            raise _Reply(HTTPStatus.BAD_REQUEST, {"reasons": [f"加密数据包无法打开：{exc}"]}) from None
        try:
            kid, _sig = parse_signature_header(contents.signature)
        except ValueError:
            raise _Reply(HTTPStatus.FORBIDDEN, {"reasons": ["签名头格式不对"]}) from None
        public_key = self.owner.store.public_key_of(department.value, kid)
        if public_key is None or not verify_signature(
            contents.body, contents.signature, load_public_key(public_key)
        ):
            raise _Reply(HTTPStatus.FORBIDDEN, {"reasons": ["签名无效：数据包不是由登记的窗口密钥签名的"]})
        manifest = self._valid_manifest(department, package_id, contents.body)
        for ref in manifest.attachments:
            data = contents.blobs.get(ref.sha256)
            if data is None or len(data) != ref.size or hashlib.sha256(data).hexdigest() != ref.sha256:
                reason = f"附件 {ref.sha256[:12]}… 缺失或与校验值不符"
                raise _Reply(HTTPStatus.BAD_REQUEST, {"reasons": [reason]})
        put = self.owner.store.put_package(
            department.value, _stored(manifest, contents.body), contents.body, kid
        )
        if put.status == "conflict":
            raise _Reply(HTTPStatus.CONFLICT, {"reasons": ["同一数据包编号已收到不同内容"]})
        sizes = {a.sha256: a.size for a in manifest.attachments}
        for sha in put.missing:
            self.owner.store.put_chunk(department.value, sha, 0, sizes[sha], contents.blobs[sha])
        submitted = self.owner.store.submit(department.value, package_id, self._submitter(department))
        receipt_no = submitted.receipt_no
        if receipt_no is None:
            raise _Reply(HTTPStatus.SERVICE_UNAVAILABLE, {"reasons": ["附件未能保存，请稍后重试"]})
        ack = Ack(
            package_id=pid,
            department=department,
            receipt_no=receipt_no,
            duplicate=submitted.status == "again",
        )
        code = HTTPStatus.OK if ack.duplicate else HTTPStatus.CREATED
        raise _Reply(code, sign_ack(ack, e_key))

    def _lookup(self, department: Department, serves: Department, kind: str, key: str, missing: str) -> None:
        self._authenticate(department)
        if department is not serves:
            raise _Reply(HTTPStatus.NOT_FOUND, {"reasons": [f"{department.label}系统不提供此查询"]})
        record = self.owner.store.lookup(kind, key)
        if record is None:
            raise _Reply(HTTPStatus.NOT_FOUND, {"reasons": [missing]})
        raise _Reply(HTTPStatus.OK, record)

    def _property_statuses(self, department: Department) -> None:
        """Several units' status at once (``POST /v1/properties/status``, 登记 only)."""
        self._authenticate(department)
        if department is not Department.REGISTRATION:
            raise _Reply(HTTPStatus.NOT_FOUND, {"reasons": [f"{department.label}系统不提供此查询"]})
        try:
            request = json.loads(self._read_body(limit=1024 * 1024))
            units = [str(u) for u in request["units"]]
        except (ValueError, KeyError, TypeError) as exc:
            raise _Reply(HTTPStatus.BAD_REQUEST, {"reasons": [f"查询请求无效：{exc}"]}) from None
        if len(units) > MAX_STATUS_IDS:
            raise _Reply(HTTPStatus.BAD_REQUEST, {"reasons": [f"一次最多查询 {MAX_STATUS_IDS} 个不动产单元"]})
        found = self.owner.store.lookups("property", units)
        raise _Reply(
            HTTPStatus.OK,
            {"statuses": found, "unknown": [u for u in dict.fromkeys(units) if u not in found]},
        )

    def _audit_heads(self, department: Department) -> None:
        """The audit-chain heads this department received from one window (``?office=…&window=…``)."""
        self._authenticate(department)
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        office = (query.get("office") or [""])[0]
        window = (query.get("window") or [""])[0]
        if not office or not window:
            raise _Reply(HTTPStatus.BAD_REQUEST, {"reasons": ["须指定 office 和 window 参数"]})
        heads = self.owner.store.audit_heads(department.value, office, window)
        raise _Reply(
            HTTPStatus.OK,
            {
                "heads": [
                    {
                        "seq": h.seq,
                        "mac": h.mac,
                        "window": h.window,
                        "office_code": h.office_code,
                        "package_id": h.package_id,
                        "received_at": datetime.fromtimestamp(h.received_at, UTC).isoformat(),
                    }
                    for h in heads
                ]
            },
        )

    def _get_package(self, department: Department, package_id: str) -> None:
        self._authenticate(department)
        package = self.owner.store.package(department.value, package_id)
        if package is None:
            raise _Reply(HTTPStatus.NOT_FOUND, {"reasons": ["没有该数据包"]})
        raise _Reply(HTTPStatus.OK, _status_of(package))

    def _status_many(self, department: Department) -> None:
        """The state of several packages at once (``POST /v1/status``)."""
        self._authenticate(department)
        try:
            request = json.loads(self._read_body(limit=1024 * 1024))
            ids = [str(uuid.UUID(str(p))) for p in request["package_ids"]]
        except (ValueError, KeyError, TypeError) as exc:
            raise _Reply(HTTPStatus.BAD_REQUEST, {"reasons": [f"查询请求无效：{exc}"]}) from None
        if len(ids) > MAX_STATUS_IDS:
            raise _Reply(HTTPStatus.BAD_REQUEST, {"reasons": [f"一次最多查询 {MAX_STATUS_IDS} 个数据包"]})
        held = {p.package_id: p for p in self.owner.store.packages(department.value, ids)}
        raise _Reply(
            HTTPStatus.OK,
            {
                "packages": [_status_of(held[i]) for i in ids if i in held],
                "unknown": [i for i in ids if i not in held],
            },
        )

    def _submit(self, department: Department, package_id: str) -> None:
        self._authenticate(department)
        submitted = self.owner.store.submit(department.value, package_id, self._submitter(department))
        if submitted.status == "unknown":
            raise _Reply(HTTPStatus.NOT_FOUND, {"reasons": ["没有该数据包，请先上传清单"]})
        if submitted.status == "missing":
            missing = submitted.missing
            raise _Reply(
                HTTPStatus.BAD_REQUEST, {"reasons": [f"还有 {len(missing)} 个附件未上传"], "missing": missing}
            )
        reply = _acknowledged(package_id, submitted)
        if self._plain:
            del reply["answer"]
        raise _Reply(HTTPStatus.ACCEPTED, reply)

    def _check_sha(self, sha256: str) -> None:
        if not _SHA_RE.match(sha256):
            raise _Reply(HTTPStatus.BAD_REQUEST, {"reasons": ["附件标识应为 64 位小写十六进制 SHA-256"]})

    def _head_blob(self, department: Department, sha256: str) -> None:
        self._authenticate(department)
        self._check_sha(sha256)
        offset, total, _complete = self.owner.store.blob_offset(department.value, sha256)
        headers = {"Upload-Offset": str(offset)}
        if total is not None:
            headers["Upload-Length"] = str(total)
        raise _Reply(HTTPStatus.OK, None, headers)

    def _put_blob(self, department: Department, sha256: str) -> None:
        self._authenticate(department)
        self._check_sha(sha256)
        match = _RANGE_RE.match(self.headers.get("Content-Range", "").strip())
        length = self._length()
        if match is None:
            raise _Reply(
                HTTPStatus.BAD_REQUEST, {"reasons": ["缺少或无效的 Content-Range（bytes START-END/TOTAL）"]}
            )
        total = int(match["total"])
        start = int(match["start"]) if match["start"] is not None else 0
        end = int(match["end"]) if match["end"] is not None else -1
        if total > MAX_BLOB_BYTES or end - start + 1 != length or end >= total or length > MAX_CHUNK_BYTES:
            raise _Reply(HTTPStatus.BAD_REQUEST, {"reasons": ["Content-Range 与请求体长度或总大小不符"]})
        if self.owner.take_chunk_fault(department):
            partial = self.rfile.read(length // 2)
            self.owner.store.bump(department.value, "blob_bytes_received", len(partial))
            self.owner.store.bump(department.value, "dropped_chunks")
            raise _Drop
        data = self._read_body(limit=MAX_CHUNK_BYTES)
        submit_after = "" if self._plain else self.headers.get(SUBMIT_HEADER, "").strip()
        if submit_after:
            # The client's last missing blob: the package it names is submitted with the blob's last
            # chunk (same transaction), sparing a request. A package still missing something (or
            # unknown) is left to the client's own submit, which then gets the proper error.
            try:
                submit_after = str(uuid.UUID(submit_after))
            except ValueError:
                raise _Reply(
                    HTTPStatus.BAD_REQUEST, {"reasons": [f"{SUBMIT_HEADER} 应为数据包编号"]}
                ) from None
        result = self.owner.store.put_chunk(
            department.value,
            sha256,
            start,
            total,
            data,
            submit=(submit_after, self._submitter(department)) if submit_after else None,
        )
        headers = {"Upload-Offset": str(result.offset)}
        if result.size_mismatch:
            raise _Reply(HTTPStatus.CONFLICT, {"reasons": [f"附件总大小应为 {result.total} 字节"]}, headers)
        if result.out_of_order:
            raise _Reply(
                HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE,
                {"reasons": ["分块起点超过已收到的字节数"]},
                headers,
            )
        if result.corrupt:
            raise _Reply(
                HTTPStatus.UNPROCESSABLE_ENTITY,
                {"reasons": ["附件内容与 SHA-256 不符，已丢弃，请重新上传"], "corrupt": True},
                headers,
            )
        reply: dict[str, Any] = {"offset": result.offset, "complete": result.complete}
        if result.submitted is not None:
            reply.update(_acknowledged(submit_after, result.submitted))
        code = HTTPStatus.CREATED if result.complete else HTTPStatus.OK
        raise _Reply(code, reply, headers)


def serve(
    host: str,
    port: int,
    db_path: Path,
    script: Mapping[Department, DepartmentScript] | None = None,
    *,
    ready: threading.Event | None = None,
) -> None:
    """Run the reference back ends in the calling thread until interrupted (``yichuang backends``).

    Args:
        host: the address to bind (loopback: ``/admin`` has no authentication).
        port: the port.
        db_path: the SQLite file.
        script: the initial behaviour per department.
        ready: set once the socket is bound.
    """
    backends = ReferenceBackends(db_path, host=host, port=port, scripts=script)
    try:
        if ready is not None:
            ready.set()
        backends.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        backends.stop()

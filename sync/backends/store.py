"""The reference back ends' storage: an SQLite database, and blob files beside it.

The database holds enrolments, packages (with the audit-chain heads they carried), the upload state
of each blob and counters; one connection guarded by a lock, every operation one transaction. The
departments share the file and are kept apart by a ``department`` column.

Blob bytes are files, not database rows (``<db>.blobs/<department>/<sha256>``, ``.part`` while the
upload is incomplete), as a real back end keeps scans in a file or object store: a chunk is appended
to the file, then the database records the new offset in the same transaction, so after a crash the
file is cut back to the recorded offset and nothing unrecorded counts as held. The hash is computed
as the chunks arrive and checked when the last byte arrives.
"""

from __future__ import annotations

import dataclasses
import errno
import hashlib
import json
import mmap
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from sync.package import content_digest

_SCHEMA = """
CREATE TABLE IF NOT EXISTS enrolments (
    credential_sha256 TEXT PRIMARY KEY,
    department TEXT NOT NULL,
    key_id TEXT NOT NULL,
    public_key TEXT NOT NULL,
    created_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS packages (
    department TEXT NOT NULL,
    package_id TEXT NOT NULL,
    digest TEXT NOT NULL, -- SHA-256 of the bytes first received
    manifest TEXT NOT NULL,
    case_id TEXT NOT NULL,
    case_version INTEGER NOT NULL,
    supersedes TEXT,
    key_id TEXT NOT NULL,
    put_count INTEGER NOT NULL DEFAULT 1,
    received_at REAL NOT NULL,
    receipt_no TEXT,
    submit_calls INTEGER NOT NULL DEFAULT 0,
    submitted_at REAL,
    outcome TEXT,
    reasons TEXT,
    result TEXT,
    ready_at REAL,
    PRIMARY KEY (department, package_id)
);
CREATE TABLE IF NOT EXISTS package_blobs (
    department TEXT NOT NULL,
    package_id TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    PRIMARY KEY (department, package_id, sha256)
);
CREATE TABLE IF NOT EXISTS blobs (
    department TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    total INTEGER NOT NULL,
    received INTEGER NOT NULL DEFAULT 0,
    complete INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (department, sha256)
);
CREATE TABLE IF NOT EXISTS audit_heads (
    department TEXT NOT NULL,
    office_code TEXT NOT NULL,
    window TEXT NOT NULL,
    seq INTEGER NOT NULL,
    mac TEXT NOT NULL,
    package_id TEXT NOT NULL,
    received_at REAL NOT NULL,
    PRIMARY KEY (department, office_code, window, seq, mac)
);
CREATE TABLE IF NOT EXISTS department_keys (
    department TEXT PRIMARY KEY,
    x25519 BLOB NOT NULL,
    ed25519 BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS lookups (
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (kind, key)
);
CREATE TABLE IF NOT EXISTS counters (
    department TEXT NOT NULL,
    name TEXT NOT NULL,
    value INTEGER NOT NULL,
    PRIMARY KEY (department, name)
);
"""


@dataclass(frozen=True)
class Enrolment:
    """A workstation key registered with one department."""

    department: str
    key_id: str
    public_key: str


@dataclass(frozen=True)
class StoredPackage:
    """A package as held by a department (answers included once submitted)."""

    department: str
    package_id: str
    digest: str
    manifest: dict[str, Any]
    case_id: str
    case_version: int
    receipt_no: str | None
    submit_calls: int
    outcome: str | None
    reasons: list[str]
    result: dict[str, Any] | None
    ready_at: float | None

    @property
    def decision(self) -> Decision | None:
        """The department's answer, once submitted."""
        if self.receipt_no is None:
            return None
        return Decision(self.outcome, self.reasons, self.result, self.ready_at)


@dataclass(frozen=True)
class Delivery:
    """One package a department received and acknowledged (counted for exactly-once checks).

    Attributes:
        package_id: the package id.
        case_id: the case it carries.
        case_version: the case version.
        receipt_no: the department's receipt number.
        put_count: how many times the manifest arrived (duplicates included).
        submit_calls: how many submit requests arrived for it (duplicates included).
    """

    package_id: str
    case_id: str
    case_version: int
    receipt_no: str
    put_count: int
    submit_calls: int


@dataclass(frozen=True)
class ChunkResult:
    """What a blob chunk PUT did.

    Attributes:
        offset: bytes now held.
        total: the blob's size.
        complete: whether the blob is complete and verified.
        corrupt: whether the last byte arrived and the hash did not match (the blob was discarded).
        out_of_order: the chunk starts beyond the bytes held (nothing stored).
        size_mismatch: the announced total differs from the one recorded earlier.
        submitted: the submit of the package named with the complete blob, when it was made.
    """

    offset: int
    total: int
    complete: bool = False
    corrupt: bool = False
    out_of_order: bool = False
    size_mismatch: bool = False
    submitted: Submission | None = None


@dataclass(frozen=True)
class Decision:
    """A department's answer to a package, fixed when it was submitted.

    Attributes:
        outcome: ``accepted``, ``rejected`` or ``completed``.
        reasons: why it was rejected.
        result: the department's answer (a filing confirmation, an assessment, an acceptance).
        ready_at: when the answer becomes visible (Unix time; a department that takes its time).
    """

    outcome: str | None
    reasons: list[str]
    result: dict[str, Any] | None
    ready_at: float | None


@dataclass(frozen=True)
class Submission:
    """What a submit did.

    Attributes:
        status: ``new`` (acknowledged now), ``again`` (acknowledged before: the same receipt),
            ``missing`` (attachments still to upload) or ``unknown`` (no such package).
        receipt_no: the receipt number once acknowledged.
        missing: the attachments still to upload.
        decision: the department's answer, once acknowledged.
    """

    status: str
    receipt_no: str | None = None
    missing: list[str] = dataclasses.field(default_factory=list)
    decision: Decision | None = None


@dataclass(frozen=True)
class PackagePut:
    """What storing a manifest did.

    Attributes:
        status: ``new``, ``duplicate`` (held already, same content) or ``conflict`` (held, other content).
        missing: the attachments still to upload (sha256, in hash order).
        held: bytes already held of each missing attachment.
        submitted: the submit made with it ("if complete" and nothing missing).
    """

    status: str
    missing: list[str] = dataclasses.field(default_factory=list)
    held: dict[str, int] = dataclasses.field(default_factory=dict)
    submitted: Submission | None = None


@dataclass(frozen=True)
class Submit:
    """What submitting a package needs: the department's receipt prefix and its decision.

    Attributes:
        receipt_prefix: the receipt-number prefix.
        decide: ``decide(manifest, receipt_no) -> (outcome, reasons, result, ready_at)``, called once,
            on the first submit.
    """

    receipt_prefix: str
    decide: Callable[[dict[str, Any], str], tuple[str, list[str], dict[str, Any] | None, float | None]]


@dataclass(frozen=True)
class HeldHead:
    """An audit-chain head a back end received with a package.

    Attributes:
        department: the department that received it.
        office_code: the sending office.
        window: the audit log's writer id (``<office code>-<window id>``) of the sending window.
        seq: the chain's last sequence number when the package was submitted.
        mac: that entry's MAC, hex.
        package_id: the package that carried it.
        received_at: when (Unix time).
    """

    department: str
    office_code: str
    window: str
    seq: int
    mac: str
    package_id: str
    received_at: float


_DIRECT = getattr(os, "O_DIRECT", 0)  # Linux; elsewhere every blob is written through the cache
_DIRECT_ALIGN = 4096  # O_DIRECT wants buffers, offsets and lengths in whole logical blocks
_DIRECT_MAX = 16 * 1024 * 1024  # larger chunks are written through the cache (no scratch that big)
_scratch = threading.local()


def _aligned_scratch(size: int) -> mmap.mmap:
    """This thread's block-aligned scratch buffer of at least ``size`` bytes (kept for reuse)."""
    buffer: mmap.mmap | None = getattr(_scratch, "buffer", None)
    if buffer is None or len(buffer) < size:
        if buffer is not None:
            buffer.close()
        buffer = _scratch.buffer = mmap.mmap(-1, size)  # anonymous maps are page-aligned
    return buffer


def _write_direct(path: Path, data: bytes | memoryview) -> bool:
    """Write a whole blob to a new file straight to disk (``O_DIRECT``), then ``fsync`` it.

    A blob that arrives in one chunk (most scans) never passes through the page cache: the back end
    seldom reads a blob again, and on a small virtual machine filling fresh cache pages cost more
    CPU than everything else about the upload (about 1–2 ms per MB against 0.3 ms this way). Where
    the OS or the file system does not offer it (Windows, tmpfs), or the blob is very large, this
    returns False and the caller writes the file as usual.
    """
    if not _DIRECT or len(data) > _DIRECT_MAX:
        return False
    size = len(data)
    padded = -(-size // _DIRECT_ALIGN) * _DIRECT_ALIGN
    buffer = _aligned_scratch(max(padded, _DIRECT_ALIGN))
    buffer[:size] = data
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | _DIRECT, 0o644)
    except OSError as exc:
        if exc.errno == errno.EINVAL:
            return False
        raise
    try:
        with memoryview(buffer) as view:
            if os.write(fd, view[:padded]) != padded:  # a short write: let the usual path do it all
                return False
        os.ftruncate(fd, size)  # the padding goes
        os.fsync(fd)
    except OSError as exc:
        if exc.errno == errno.EINVAL:  # a file system that takes the flag but not the write
            return False
        raise
    finally:
        os.close(fd)
    return True


def _settle_on_disk(file: BinaryIO) -> None:
    """Put a written file on disk, then let its pages go from the cache.

    A blob is on disk before the back end records it complete, so that record never outlives its
    bytes (the window deletes its own copy once told). The back end seldom reads a blob again, so
    its pages are not kept cached (writing a gigabyte of scans would otherwise push everything else
    out of the page cache).
    """
    file.flush()
    os.fsync(file.fileno())
    if hasattr(os, "posix_fadvise"):  # not on Windows
        os.posix_fadvise(file.fileno(), 0, 0, os.POSIX_FADV_DONTNEED)


class _Tx:
    """One transaction of the store: its connection, and the counters it adds to.

    The counters (puts, submits, receipts, deliveries, chunks…) are the tests' and the admin page's
    bookkeeping. A manifest adds to four of them; writing each at once cost as much as holding the
    manifest itself, so a transaction adds them up and writes each counter once, at its end.
    """

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self._added: dict[tuple[str, str], int] = {}
        self._stored: dict[tuple[str, str], int] = {}

    def execute(self, sql: str, parameters: Sequence[Any] = ()) -> sqlite3.Cursor:
        """Run one statement."""
        return self.db.execute(sql, parameters)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> sqlite3.Cursor:
        """Run one statement for each row."""
        return self.db.executemany(sql, rows)

    def bump(self, department: str, name: str, by: int = 1) -> None:
        """Add to a named counter (written when the transaction ends)."""
        key = (department, name)
        self._added[key] = self._added.get(key, 0) + by

    def next_in(self, department: str, name: str) -> int:
        """Add one to a named counter and return its new value (a sequence, e.g. receipt numbers)."""
        key = (department, name)
        if key not in self._stored:
            row = self.db.execute(
                "SELECT value FROM counters WHERE department = ? AND name = ?", key
            ).fetchone()
            self._stored[key] = int(row[0]) if row else 0
        self.bump(department, name)
        return self._stored[key] + self._added[key]

    def write_counters(self) -> None:
        """Write what the transaction added to its counters."""
        if self._added:
            self.db.executemany(
                "INSERT INTO counters (department, name, value) VALUES (?, ?, ?) "
                "ON CONFLICT (department, name) DO UPDATE SET value = value + excluded.value",
                [(d, n, by) for (d, n), by in self._added.items()],
            )
            self._added.clear()


class BackendStore:
    """The SQLite database and blob files behind the reference back ends.

    Args:
        path: the SQLite file; blobs go to the folder ``<path>.blobs`` beside it.
    """

    def __init__(self, path: Path) -> None:
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)
        self._blob_root = path.with_name(path.name + ".blobs")
        self._hashers: dict[tuple[str, str], tuple[int, Any]] = {}
        # One chunk of a blob at a time; striped, so the locks are bounded and a blob always maps to
        # the same one.
        self._blob_locks = [threading.Lock() for _ in range(64)]
        self._enrolments: dict[tuple[str, str], Enrolment] = {}
        self._blob_folders: set[str] = set()

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._db.close()

    @contextmanager
    def _tx(self) -> Iterator[_Tx]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                tx = _Tx(self._db)
                yield tx
                tx.write_counters()
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def bump(self, department: str, name: str, by: int = 1) -> None:
        """Add to a named counter."""
        with self._tx() as tx:
            tx.bump(department, name, by)

    def counters(self, department: str) -> dict[str, int]:
        """All counters of a department."""
        with self._lock:
            rows = self._db.execute(
                "SELECT name, value FROM counters WHERE department = ?", (department,)
            ).fetchall()
        return {str(n): int(v) for n, v in rows}

    # -------------------------------------------------------------------------------- enrolment
    def enrol(self, department: str, credential: str, key_id: str, public_key: str) -> None:
        """Record a key and the (hash of the) credential issued for it."""
        digest = hashlib.sha256(credential.encode()).hexdigest()
        with self._tx() as tx:
            tx.execute(
                "INSERT INTO enrolments (credential_sha256, department, key_id, public_key, created_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (digest, department, key_id, public_key, time.time()),
            )

    def enrolment(self, department: str, credential: str) -> Enrolment | None:
        """The enrolment a bearer credential belongs to, or ``None``."""
        digest = hashlib.sha256(credential.encode()).hexdigest()
        cached = self._enrolments.get((department, digest))
        if cached is not None:  # enrolments never change once made: no wait behind another transaction
            return cached
        with self._lock:
            row = self._db.execute(
                "SELECT department, key_id, public_key FROM enrolments "
                "WHERE credential_sha256 = ? AND department = ?",
                (digest, department),
            ).fetchone()
            if row is None:
                return None
            found = self._enrolments[(department, digest)] = Enrolment(*row)
        return found

    def public_key_of(self, department: str, key_id: str) -> str | None:
        """The enrolled public key (base64) with this key id, or ``None`` (sealed files from a stick)."""
        with self._lock:
            row = self._db.execute(
                "SELECT public_key FROM enrolments WHERE department = ? AND key_id = ? LIMIT 1",
                (department, key_id),
            ).fetchone()
        return str(row[0]) if row else None

    def department_keys(self, department: str) -> tuple[bytes, bytes]:
        """The department's raw X25519 and Ed25519 private keys, created on first use and kept."""
        with self._tx() as tx:
            row = tx.execute(
                "SELECT x25519, ed25519 FROM department_keys WHERE department = ?", (department,)
            ).fetchone()
            if row is not None:
                return bytes(row[0]), bytes(row[1])
            raw = (Encoding.Raw, PrivateFormat.Raw, NoEncryption())
            x_raw = X25519PrivateKey.generate().private_bytes(*raw)
            e_raw = Ed25519PrivateKey.generate().private_bytes(*raw)
            tx.execute(
                "INSERT INTO department_keys (department, x25519, ed25519) VALUES (?, ?, ?)",
                (department, x_raw, e_raw),
            )
            return x_raw, e_raw

    # --------------------------------------------------------------------------------- look-ups
    def set_lookup(self, kind: str, key: str, data: dict[str, Any]) -> None:
        """Script a look-up answer (a contract by filing number, a unit's status)."""
        with self._tx() as tx:
            tx.execute(
                "INSERT INTO lookups (kind, key, data) VALUES (?, ?, ?) "
                "ON CONFLICT (kind, key) DO UPDATE SET data = excluded.data",
                (kind, key, json.dumps(data, ensure_ascii=False)),
            )

    def lookup(self, kind: str, key: str) -> dict[str, Any] | None:
        """A scripted look-up answer, or ``None``."""
        with self._lock:
            row = self._db.execute(
                "SELECT data FROM lookups WHERE kind = ? AND key = ?", (kind, key)
            ).fetchone()
        return dict(json.loads(row[0])) if row else None

    def lookups(self, kind: str, keys: Sequence[str]) -> dict[str, dict[str, Any]]:
        """Scripted look-up answers for several keys (those without one are left out)."""
        wanted = list(dict.fromkeys(keys))
        found: dict[str, dict[str, Any]] = {}
        with self._lock:
            for start in range(0, len(wanted), 500):  # SQLite's bound-parameter limit
                part = wanted[start : start + 500]
                marks = ",".join("?" * len(part))
                rows = self._db.execute(
                    f"SELECT key, data FROM lookups WHERE kind = ? AND key IN ({marks})",
                    (kind, *part),
                ).fetchall()
                found.update((str(k), dict(json.loads(d))) for k, d in rows)
        return found

    # -------------------------------------------------------------------------------- packages
    def put_package(
        self,
        department: str,
        manifest: dict[str, Any],
        body: bytes,
        key_id: str,
        *,
        submit: Submit | None = None,
    ) -> PackagePut:
        """Store a package unless held; with ``submit``, submit it too when nothing is missing.

        The same bytes again are a duplicate at once; other bytes are compared by their canonical
        form (RFC 8785), so whitespace or key order alone never make a conflict. Holding and
        submitting happen in one transaction, as :meth:`submit` would right after.

        Args:
            department: the receiving department.
            manifest: the validated manifest as JSON data.
            body: the manifest's bytes as received (stored as they are).
            key_id: the enrolled key that signed it.
            submit: the receipt prefix and decision for a submit "if complete".
        """
        return self.put_packages(department, [(manifest, body)], key_id, submit=submit)[0]

    def put_packages(
        self,
        department: str,
        packages: Sequence[tuple[dict[str, Any], bytes]],
        key_id: str,
        *,
        submit: Submit | None = None,
    ) -> list[PackagePut]:
        """:meth:`put_package` for several manifests (a batch request), in one transaction."""
        with self._tx() as tx:
            return [
                self._put_in(tx, department, manifest, body, key_id, submit) for manifest, body in packages
            ]

    def _put_in(
        self,
        tx: _Tx,
        department: str,
        manifest: dict[str, Any],
        body: bytes,
        key_id: str,
        submit: Submit | None,
    ) -> PackagePut:
        package_id = str(manifest["package_id"])
        attachments: list[tuple[str, str, str]] = []
        digest = hashlib.sha256(body).hexdigest()
        tx.bump(department, "package_puts")
        row = tx.execute(
            "SELECT digest, manifest FROM packages WHERE department = ? AND package_id = ?",
            (department, package_id),
        ).fetchone()
        if row is not None and row[0] != digest and content_digest(row[1].encode()) != content_digest(body):
            tx.bump(department, "conflicts")
            return PackagePut("conflict")
        if row is not None:
            tx.execute(
                "UPDATE packages SET put_count = put_count + 1 WHERE department = ? AND package_id = ?",
                (department, package_id),
            )
            status = "duplicate"
        else:
            now = time.time()
            tx.execute(
                "INSERT INTO packages (department, package_id, digest, manifest, case_id, case_version, "
                "supersedes, key_id, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    department,
                    package_id,
                    digest,
                    body.decode("utf-8"),
                    str(manifest["case_id"]),
                    int(manifest["case_version"]),
                    manifest.get("supersedes"),
                    key_id,
                    now,
                ),
            )
            attachments = [
                (department, package_id, str(a["sha256"])) for a in manifest.get("attachments", [])
            ]
            if attachments:
                tx.executemany(
                    "INSERT OR IGNORE INTO package_blobs (department, package_id, sha256) VALUES (?, ?, ?)",
                    attachments,
                )
            head = manifest.get("audit_head")
            if isinstance(head, dict):
                tx.execute(
                    "INSERT OR IGNORE INTO audit_heads (department, office_code, window, seq, mac, "
                    "package_id, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        department,
                        str(manifest["office_code"]),
                        str(head["window"]),
                        int(head["seq"]),
                        str(head["mac"]),
                        package_id,
                        now,
                    ),
                )
            status = "new"
        # A new package without attachments misses nothing (most legs: only 登记's carry scans).
        held = self._missing(tx, department, package_id) if status == "duplicate" or attachments else {}
        submitted = None
        if submit is not None and not held:
            submitted = self._submit_in(
                tx, department, package_id, submit, manifest=manifest, complete=True, fresh=status == "new"
            )
        return PackagePut(status, list(held), held, submitted)

    def audit_heads(self, department: str, office_code: str, window: str) -> list[HeldHead]:
        """The audit-chain heads a department received from one window, by sequence number."""
        with self._lock:
            rows = self._db.execute(
                "SELECT department, office_code, window, seq, mac, package_id, received_at FROM audit_heads "
                "WHERE department = ? AND office_code = ? AND window = ? ORDER BY seq, received_at",
                (department, office_code, window),
            ).fetchall()
        return [HeldHead(r[0], r[1], r[2], int(r[3]), r[4], r[5], float(r[6])) for r in rows]

    @staticmethod
    def _missing(tx: _Tx, department: str, package_id: str) -> dict[str, int]:
        """The package's blobs not complete yet (in hash order), with the bytes held of each."""
        rows = tx.execute(
            "SELECT pb.sha256, COALESCE(b.received, 0) FROM package_blobs pb LEFT JOIN blobs b "
            "ON b.department = pb.department AND b.sha256 = pb.sha256 "
            "WHERE pb.department = ? AND pb.package_id = ? AND COALESCE(b.complete, 0) = 0 "
            "ORDER BY pb.sha256",
            (department, package_id),
        ).fetchall()
        return {str(sha): int(received) for sha, received in rows}

    def package(self, department: str, package_id: str) -> StoredPackage | None:
        """A held package, or ``None``."""
        found = self.packages(department, [package_id])
        return found[0] if found else None

    def packages(self, department: str, package_ids: list[str]) -> list[StoredPackage]:
        """The held packages among ``package_ids`` (unknown ids are left out)."""
        if not package_ids:
            return []
        marks = ", ".join("?" * len(package_ids))
        with self._lock:
            rows = self._db.execute(
                "SELECT department, package_id, digest, manifest, case_id, case_version, receipt_no, "
                f"submit_calls, outcome, reasons, result, ready_at FROM packages "
                f"WHERE department = ? AND package_id IN ({marks})",
                (department, *package_ids),
            ).fetchall()
        return [
            StoredPackage(
                department=row[0],
                package_id=row[1],
                digest=row[2],
                manifest=json.loads(row[3]),
                case_id=row[4],
                case_version=int(row[5]),
                receipt_no=row[6],
                submit_calls=int(row[7]),
                outcome=row[8],
                reasons=json.loads(row[9]) if row[9] else [],
                result=json.loads(row[10]) if row[10] else None,
                ready_at=row[11],
            )
            for row in rows
        ]

    def submit(self, department: str, package_id: str, submit: Submit) -> Submission:
        """Acknowledge a package once; a repeated submit returns the first receipt number.

        Args:
            department: the department.
            package_id: the package.
            submit: the receipt prefix, and the decision made on the first submit only.
        """
        with self._tx() as tx:
            return self._submit_in(tx, department, package_id, submit)

    def _submit_in(
        self,
        tx: _Tx,
        department: str,
        package_id: str,
        submit: Submit,
        *,
        manifest: dict[str, Any] | None = None,
        complete: bool = False,
        fresh: bool = False,
    ) -> Submission:
        """:meth:`submit` in the caller's transaction.

        ``manifest`` is the package's manifest when the caller has it at hand (else it is read back),
        ``complete`` says the caller has just found nothing missing, and ``fresh`` that it has just
        stored the package (so it was never submitted: nothing to read back).
        """
        tx.bump(department, "submit_calls")
        if fresh and complete and manifest is not None:  # its submit call is counted with its receipt
            held_manifest, at_once = manifest, True
        else:
            at_once = False
            row = tx.execute(
                "UPDATE packages SET submit_calls = submit_calls + 1 WHERE department = ? AND package_id = ? "
                "RETURNING receipt_no, outcome, reasons, result, ready_at"
                + ("" if manifest is not None else ", manifest"),
                (department, package_id),
            ).fetchone()
            if row is None:
                return Submission("unknown")
            if row[0] is not None:
                held = Decision(
                    row[1],
                    json.loads(row[2]) if row[2] else [],
                    json.loads(row[3]) if row[3] else None,
                    row[4],
                )
                return Submission("again", str(row[0]), decision=held)
            if not complete and (missing := self._missing(tx, department, package_id)):
                return Submission("missing", missing=list(missing))
            held_manifest = manifest if manifest is not None else json.loads(row[5])
        seq = tx.next_in(department, "receipts")
        receipt_no = f"{submit.receipt_prefix}{time.strftime('%Y%m%d')}{seq:06d}"
        outcome, reasons, result, ready_at = submit.decide(held_manifest, receipt_no)
        tx.execute(
            "UPDATE packages SET receipt_no = ?, submitted_at = ?, outcome = ?, reasons = ?, result = ?, "
            f"ready_at = ?{', submit_calls = submit_calls + 1' if at_once else ''} "
            "WHERE department = ? AND package_id = ?",
            (
                receipt_no,
                time.time(),
                outcome,
                json.dumps(reasons, ensure_ascii=False),
                json.dumps(result, ensure_ascii=False) if result is not None else None,
                ready_at,
                department,
                package_id,
            ),
        )
        tx.bump(department, "deliveries")
        return Submission("new", receipt_no, decision=Decision(outcome, reasons, result, ready_at))

    def deliveries(self, department: str) -> list[Delivery]:
        """Every package the department acknowledged, in order of receipt."""
        with self._lock:
            rows = self._db.execute(
                "SELECT package_id, case_id, case_version, receipt_no, put_count, submit_calls FROM packages "
                "WHERE department = ? AND receipt_no IS NOT NULL ORDER BY submitted_at, receipt_no",
                (department,),
            ).fetchall()
        return [Delivery(r[0], r[1], int(r[2]), r[3], int(r[4]), int(r[5])) for r in rows]

    # ----------------------------------------------------------------------------------- blobs
    def blob_offset(self, department: str, sha256: str) -> tuple[int, int | None, bool]:
        """(bytes held, total if known, complete) of a blob."""
        with self._lock:
            row = self._db.execute(
                "SELECT received, total, complete FROM blobs WHERE department = ? AND sha256 = ?",
                (department, sha256),
            ).fetchone()
        if row is None:
            return 0, None, False
        return int(row[0]), int(row[1]), bool(row[2])

    def _blob_path(self, department: str, sha256: str, *, partial: bool) -> Path:
        folder = self._blob_root / department
        if department not in self._blob_folders:  # made once, not on every chunk
            folder.mkdir(parents=True, exist_ok=True)
            self._blob_folders.add(department)
        return folder / (sha256 + (".part" if partial else ""))

    def _hasher_at(self, key: tuple[str, str], path: Path, offset: int) -> Any:
        """A running SHA-256 of the first ``offset`` bytes held (recomputed from the file when needed)."""
        known = self._hashers.get(key)
        if known is not None and known[0] == offset:
            return known[1].copy()  # the stored one stays as it is if this chunk is rolled back
        digest = hashlib.sha256()
        if offset:
            with open(path, "rb") as held:
                left = offset
                while left and (piece := held.read(min(left, 1 << 20))):
                    digest.update(piece)
                    left -= len(piece)
        return digest

    def put_chunk(
        self,
        department: str,
        sha256: str,
        start: int,
        total: int,
        data: bytes | memoryview,
        *,
        submit: tuple[str, Submit] | None = None,
    ) -> ChunkResult:
        """Append a chunk; bytes already held are skipped, and the hash is checked at the last byte.

        ``submit`` names a package (and how to submit it) to submit in the same transaction once the
        blob is complete, as :meth:`submit` would right after; a package still missing something, or
        unknown, is left as it is.

        A blob takes one chunk at a time. The chunk's bytes are written and hashed outside the
        database's lock, so other requests (other blobs, manifests, questions) go on meanwhile. Bytes
        written but never recorded (a crash in between) are cut off by the blob's next chunk. A
        complete blob is on disk (``fsync``) before it is recorded complete: that record never
        outlives the bytes (the window deletes its own copy once told). A blob that arrives whole
        (most scans) is recorded once, complete, in one transaction with the package it completes.
        """
        key = (department, sha256)
        with self._blob_locks[hash(key) % len(self._blob_locks)]:
            with self._lock:  # only read: a blob that arrives whole is recorded once, when on disk
                row = self._db.execute(
                    "SELECT received, total, complete FROM blobs WHERE department = ? AND sha256 = ?",
                    (department, sha256),
                ).fetchone()
            whole = row is None and start == 0 and len(data) == total
            if not whole:
                with self._tx() as tx:
                    tx.bump(department, "blob_chunks")
                    tx.bump(department, "blob_bytes_received", len(data))
                    if row is None:  # the first of several chunks: recorded before its bytes
                        tx.execute(
                            "INSERT INTO blobs (department, sha256, total) VALUES (?, ?, ?)",
                            (department, sha256, total),
                        )
            received, complete = (0, False) if row is None else (int(row[0]), bool(row[2]))
            if row is not None and int(row[1]) != total:
                return ChunkResult(offset=received, total=int(row[1]), size_mismatch=True)
            if complete:
                return ChunkResult(offset=received, total=total, complete=True)
            if start > received:
                return ChunkResult(offset=received, total=total, out_of_order=True)
            part = self._blob_path(department, sha256, partial=True)
            fresh = data[received - start :]
            digest = self._hasher_at(key, part, received)
            if not (whole and _write_direct(part, fresh)):
                with open(part, "r+b" if part.exists() else "wb") as file:
                    file.truncate(received)  # bytes written before a crash but never recorded
                    file.seek(received)
                    file.write(fresh)
                    if received + len(fresh) == total:
                        _settle_on_disk(file)
            digest.update(fresh)
            received += len(fresh)
            if received < total:
                with self._tx() as tx:
                    tx.execute(
                        "UPDATE blobs SET received = ? WHERE department = ? AND sha256 = ?",
                        (received, department, sha256),
                    )
                self._hashers[key] = (received, digest)
                return ChunkResult(offset=received, total=total)
            self._hashers.pop(key, None)
            if digest.hexdigest() != sha256:
                part.unlink(missing_ok=True)
                with self._tx() as tx:
                    if whole:
                        tx.bump(department, "blob_chunks")
                        tx.bump(department, "blob_bytes_received", len(data))
                    tx.execute("DELETE FROM blobs WHERE department = ? AND sha256 = ?", (department, sha256))
                    tx.bump(department, "corrupt_blobs")
                return ChunkResult(offset=0, total=total, corrupt=True)
            os.replace(part, self._blob_path(department, sha256, partial=False))
            with self._tx() as tx:
                if whole:
                    tx.bump(department, "blob_chunks")
                    tx.bump(department, "blob_bytes_received", len(data))
                    tx.execute(
                        "INSERT INTO blobs (department, sha256, total, received, complete) "
                        "VALUES (?, ?, ?, ?, 1)",
                        (department, sha256, total, received),
                    )
                else:
                    tx.execute(
                        "UPDATE blobs SET received = ?, complete = 1 WHERE department = ? AND sha256 = ?",
                        (received, department, sha256),
                    )
                result = ChunkResult(offset=received, total=total, complete=True)
                if submit is None:
                    return result
                submitted = self._submit_in(tx, department, submit[0], submit[1])
                if submitted.status in ("unknown", "missing"):
                    return result
                return dataclasses.replace(result, submitted=submitted)

    def blob_bytes(self, department: str, sha256: str) -> bytes | None:
        """A complete blob's bytes, or ``None``."""
        with self._lock:
            row = self._db.execute(
                "SELECT complete FROM blobs WHERE department = ? AND sha256 = ?", (department, sha256)
            ).fetchone()
            if row is None or not row[0]:
                return None
            return self._blob_path(department, sha256, partial=False).read_bytes()

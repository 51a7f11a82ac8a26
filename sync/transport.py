"""The HTTP client of the exchange protocol (``sync/openapi.yaml``): enrol, deliver, poll.

TLS certificates are always verified (against the system store, or a custom CA bundle); a proxy is an
explicit setting, never taken from the environment. Failures map onto :mod:`sync.errors`:
connection errors, timeouts and 5xx are :class:`~sync.errors.ServerUnavailable` (retry later), 409 is
:class:`~sync.errors.Conflict`, 401/403 :class:`~sync.errors.AuthFailed`, other 4xx
:class:`~sync.errors.ServerRejected`.

Attachments travel as content-addressed blobs in chunks; each upload starts from the ``Upload-Offset``
the back end reports, so after a dropped connection nothing already received is sent again.
"""

from __future__ import annotations

import contextlib
import hashlib
import ssl
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Literal

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sync.errors import (
    AuthFailed,
    BlobCorrupt,
    Conflict,
    ServerRejected,
    ServerUnavailable,
    SyncError,
    TransportError,
)
from sync.package import (
    SIGNATURE_HEADER,
    AttachmentRef,
    Manifest,
    public_key_b64,
    sign_manifest,
    signature_header,
)

DEFAULT_CHUNK_SIZE = 1024 * 1024
"""1 MiB: a dropped connection costs at most this much again."""

AttachmentReader = Callable[[AttachmentRef], BinaryIO]
"""Opens an attachment's bytes (seekable, read from the start); the caller's stream is closed after use."""

PackageState = Literal["received", "accepted", "rejected", "completed"]

SUBMIT_HEADER = "Yichuang-Submit"
"""Sent with the manifest as ``if-complete``: a back end that supports it submits the package at once
when no attachment is missing and answers with its ``receipt_no``, sparing the ``POST …/submit``.
Back ends that ignore the header are submitted to as usual."""

MAX_STATUS_BATCH = 200
"""Package ids per ``POST /v1/status`` request."""

MAX_ANNOUNCE_BATCH = 64
"""Manifests per ``POST /v1/packages`` request (the batch shortcut)."""

MAX_ANNOUNCE_BYTES = 1024 * 1024
"""Manifest bytes per ``POST /v1/packages`` request: a batch stays well under any body limit (a single
larger manifest goes alone)."""


class UnexpectedReply(ServerUnavailable):
    """A reply that does not fit the request: not JSON, a field missing, another package's answer.

    On a healthy link this does not happen; it is what a broken intermediary, a stray or duplicated
    reply on a kept-alive connection, or a half-read response looks like. It is retried (the request
    is idempotent), never taken as an acknowledgement.
    """

    def __init__(self, detail: str) -> None:
        super().__init__(f"部门系统的应答与请求不符：{detail}")


@dataclass(frozen=True)
class TransportSettings:
    """Network settings from the configuration.

    Attributes:
        ca_bundle: a PEM file of CA certificates to trust instead of the system store.
        proxy: a proxy URL (``http://proxy.example:3128``), or ``None`` for a direct connection.
        connect_timeout: seconds to wait for a connection.
        read_timeout: seconds to wait for each reply.
    """

    ca_bundle: Path | None = None
    proxy: str | None = None
    connect_timeout: float = 10.0
    read_timeout: float = 60.0


@dataclass(frozen=True)
class Credential:
    """What a back end issues at enrolment; kept in the OS keyring by the caller, never in files.

    Attributes:
        token: the bearer credential.
        key_id: the id of the enrolled public key.
        department: the department that issued it.
    """

    token: str = field(repr=False)
    key_id: str
    department: str


class PackageStatus(BaseModel):
    """A department's answer about one package (``GET /v1/packages/{id}``)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    package_id: uuid.UUID = Field(title="数据包编号")
    state: PackageState = Field(title="状态")
    receipt_no: str | None = Field(None, title="回执号")
    reasons: list[str] = Field(default_factory=list, title="退回原因")
    result: dict[str, Any] | None = Field(None, title="部门答复")


@dataclass(frozen=True)
class DeliveryReceipt:
    """The outcome of a successful :func:`deliver`.

    Attributes:
        package_id: the package.
        receipt_no: the department's receipt number (the acknowledgement).
        duplicate: the back end already held this exact package (a retry; counts as success).
        blobs_uploaded: the attachments uploaded by this call (some may have been partly held).
        blob_bytes_sent: attachment bytes sent by this call.
        status: the package's status when the acknowledgement carried it (the optional ``answer``):
            a department that decided at once spares the client its first question.
    """

    package_id: uuid.UUID
    receipt_no: str
    duplicate: bool
    blobs_uploaded: tuple[str, ...]
    blob_bytes_sent: int
    status: PackageStatus | None = None


def make_client(settings: TransportSettings | None = None) -> httpx.Client:
    """An HTTP client with certificate verification on, the configured CA bundle, proxy and timeouts."""
    settings = settings or TransportSettings()
    if settings.ca_bundle is not None:
        verify = ssl.create_default_context(cafile=str(settings.ca_bundle))
    else:
        verify = ssl.create_default_context()
    return httpx.Client(
        verify=verify,
        proxy=settings.proxy,
        trust_env=False,
        timeout=httpx.Timeout(settings.read_timeout, connect=settings.connect_timeout),
    )


@contextlib.contextmanager
def _client(client: httpx.Client | None, settings: TransportSettings | None) -> Iterator[httpx.Client]:
    if client is not None:
        yield client
        return
    with make_client(settings) as own:
        yield own


def _reasons(response: httpx.Response) -> list[str]:
    try:
        body = response.json()
    except ValueError:
        return []
    reasons = body.get("reasons") if isinstance(body, dict) else None
    return [str(r) for r in reasons] if isinstance(reasons, list) else []


def _check(response: httpx.Response, package_id: uuid.UUID | None = None) -> None:
    """Raise the matching :mod:`sync.errors` exception for a non-2xx reply."""
    if response.status_code >= 300:
        raise _error_for(response.status_code, _reasons(response), package_id)


def _error_for(status: int, reasons: list[str], package_id: uuid.UUID | None) -> SyncError:
    """The :mod:`sync.errors` exception for a non-2xx status (of a reply, or of a batch item)."""
    if status in (401, 403):
        return AuthFailed("；".join(reasons) or f"HTTP {status}", status)
    if status == 409 and package_id is not None:
        return Conflict(str(package_id))
    if status >= 500 or status in (408, 429):
        return ServerUnavailable(f"HTTP {status}", status)
    return ServerRejected(reasons or [f"HTTP {status}"], status)


def _request(client: httpx.Client, method: str, url: str, **kwargs: Any) -> httpx.Response:
    """Send one request, mapping network failures to :mod:`sync.errors`."""
    try:
        return client.request(method, url, **kwargs)
    except httpx.TimeoutException:
        raise ServerUnavailable("等待应答超时") from None
    except httpx.ProxyError as exc:
        raise TransportError(f"代理服务器拒绝了连接（{type(exc).__name__}）") from None
    except httpx.ConnectError as exc:
        if "CERTIFICATE_VERIFY_FAILED" in str(exc):
            raise TransportError("服务器证书未通过验证") from None
        raise ServerUnavailable("无法建立连接") from None
    except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
        raise TransportError(f"部门地址配置有误（{type(exc).__name__}）") from None
    except httpx.TransportError as exc:
        raise ServerUnavailable(f"连接中断（{type(exc).__name__}）") from None


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        raise UnexpectedReply("不是 JSON") from None
    if not isinstance(body, dict):
        raise UnexpectedReply("格式不对")
    return body


def _for_package(body: dict[str, Any], package_id: uuid.UUID) -> dict[str, Any]:
    """The reply body, checked to be about this package when it names one (a stray reply is not)."""
    named = body.get("package_id")
    if named is not None and str(named) != str(package_id):
        raise UnexpectedReply("收到的是另一个数据包的应答")
    return body


def _status_in(reply: dict[str, Any], package_id: uuid.UUID) -> PackageStatus | None:
    """The package's status an acknowledgement may carry (``answer``, optional).

    Absent, malformed or about another package, it is ignored: the answer is then asked for as usual.
    """
    raw = reply.get("answer")
    if not isinstance(raw, dict):
        return None
    try:
        status = PackageStatus.model_validate(raw)
    except ValidationError:
        return None
    return status if status.package_id == package_id else None


def _auth(credential: Credential) -> dict[str, str]:
    return {"Authorization": f"Bearer {credential.token}"}


# ------------------------------------------------------------------------------------- enrol
def enrol(
    base_url: str,
    token: str,
    public_key: Ed25519PublicKey,
    *,
    settings: TransportSettings | None = None,
    client: httpx.Client | None = None,
) -> Credential:
    """Register the workstation's public key with one department and get a bearer credential.

    Raises:
        AuthFailed: the enrolment token was refused.
        ServerUnavailable: the back end cannot be reached.
    """
    with _client(client, settings) as http:
        response = _request(
            http,
            "POST",
            f"{base_url.rstrip('/')}/v1/enrol",
            json={"token": token, "public_key": public_key_b64(public_key)},
        )
        _check(response)
        body = _json(response)
    try:
        return Credential(
            token=str(body["credential"]), key_id=str(body["key_id"]), department=str(body["department"])
        )
    except KeyError:
        raise TransportError("登记应答缺少凭据") from None


# ----------------------------------------------------------------------------------- deliver
@dataclass(frozen=True)
class Announced:
    """A department's answer to one manifest sent in a batch (``POST /v1/packages``).

    Attributes:
        reply: the body ``PUT /v1/packages/{id}`` would have answered (``missing``, ``held``,
            ``receipt_no`` when submitted at once).
        duplicate: the department already held this exact package.
    """

    reply: dict[str, Any]
    duplicate: bool


def announce(
    packages: Sequence[tuple[uuid.UUID, bytes]],
    base_url: str,
    credential: Credential,
    signing_key: Ed25519PrivateKey,
    *,
    client: httpx.Client,
) -> list[Announced | SyncError] | None:
    """Send several signed manifests in one request, each asking to be submitted if complete.

    The optional batch shortcut: one request instead of a ``PUT`` per package. Each manifest is
    signed and taken exactly as ``PUT /v1/packages/{id}`` takes it, so sending it again either way
    is safe.

    Args:
        packages: each package's id and its canonical manifest bytes (at most
            :data:`MAX_ANNOUNCE_BATCH`).
        base_url: the department's base URL.
        credential: the department's bearer credential.
        signing_key: the workstation's Ed25519 key.
        client: the HTTP client.

    Returns:
        Per package, in order, what the department answered (or the error its answer means); None
        when the department does not take the batch request (each package is then sent on its own):
        it lacks it (404, 405, 501), or refuses this one as a whole (400, 413 and the other client
        errors), which must never fail packages that a ``PUT`` each would deliver.

    Raises:
        ServerUnavailable: the request failed as a whole (network, 5xx, a malformed reply).
        AuthFailed: the credential was refused.
        TransportError: TLS, proxy or URL configuration problem.
    """
    request = {
        "packages": [
            {"manifest": body.decode("utf-8"), "signature": signature_header(body, signing_key)}
            for _, body in packages
        ],
        "submit": "if-complete",
    }
    response = _request(
        client, "POST", f"{base_url.rstrip('/')}/v1/packages", json=request, headers=_auth(credential)
    )
    status = response.status_code
    if status == 501 or (400 <= status < 500 and status not in (401, 403, 408, 429)):
        return None
    _check(response)
    results = _json(response).get("results")
    if not isinstance(results, list) or len(results) != len(packages):
        raise UnexpectedReply("批量清单应答的条数不对")
    answers: list[Announced | SyncError] = []
    for (package_id, _body), item in zip(packages, results, strict=True):
        code = item.get("status") if isinstance(item, dict) else None
        if not isinstance(item, dict) or not isinstance(code, int) or isinstance(code, bool):
            answers.append(UnexpectedReply("批量清单应答格式不对"))
        elif code >= 300:
            reasons = item.get("reasons")
            texts = [str(r) for r in reasons] if isinstance(reasons, list) else []
            answers.append(_error_for(code, texts, package_id))
        elif str(item.get("package_id")) != str(package_id) or not isinstance(item.get("missing"), list):
            answers.append(UnexpectedReply("批量清单应答与所发清单对不上"))
        else:
            answers.append(Announced(item, duplicate=code == 200))
    return answers


def submitted_at_once(package_id: uuid.UUID, announced: Announced) -> DeliveryReceipt | None:
    """The receipt when the department submitted the package with its manifest (nothing missing)."""
    early = announced.reply.get("receipt_no")
    if announced.reply.get("missing") or not isinstance(early, str) or not early:
        return None
    return DeliveryReceipt(
        package_id=package_id,
        receipt_no=early,
        duplicate=announced.duplicate,
        blobs_uploaded=(),
        blob_bytes_sent=0,
        status=_status_in(announced.reply, package_id),
    )


def deliver(
    package: Manifest,
    attachments_reader: AttachmentReader,
    base_url: str,
    credential: Credential,
    signing_key: Ed25519PrivateKey,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    *,
    settings: TransportSettings | None = None,
    client: httpx.Client | None = None,
    on_bytes: Callable[[int], None] | None = None,
) -> DeliveryReceipt:
    """Deliver one package: PUT the signed manifest, upload missing blobs (resuming), submit.

    Safe to call again after any failure: the manifest bytes are identical, blobs resume from the
    back end's offset, and a repeated submit returns the first receipt number.

    Args:
        package: the manifest.
        attachments_reader: opens an attachment's bytes.
        base_url: the department's base URL (``…/v1`` is appended).
        credential: the department's bearer credential.
        signing_key: the workstation's Ed25519 key.
        chunk_size: bytes per blob chunk.
        settings: network settings (when ``client`` is not given).
        client: an HTTP client to reuse (see :func:`make_client`).
        on_bytes: called with the size of each chunk just before it is sent (progress, measurements).

    Raises:
        Conflict: the back end holds different content under this package id.
        ServerRejected: the package is invalid (reasons attached).
        AuthFailed: the credential or signature was refused.
        BlobCorrupt: an attachment does not match its hash or size.
        ServerUnavailable: the back end is unreachable or failing; try again later.
        TransportError: TLS, proxy or URL configuration problem.
    """
    signed = sign_manifest(package, signing_key)
    return deliver_signed(
        package,
        signed.body,
        attachments_reader,
        base_url,
        credential,
        signing_key,
        chunk_size,
        settings=settings,
        client=client,
        on_bytes=on_bytes,
    )


def deliver_signed(
    package: Manifest,
    body: bytes,
    attachments_reader: AttachmentReader,
    base_url: str,
    credential: Credential,
    signing_key: Ed25519PrivateKey,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    *,
    settings: TransportSettings | None = None,
    client: httpx.Client | None = None,
    on_bytes: Callable[[int], None] | None = None,
    announced: Announced | None = None,
) -> DeliveryReceipt:
    """:func:`deliver` with the manifest's canonical bytes already at hand (the outbox stores them).

    ``body`` must be :func:`sync.package.canonical_bytes` of ``package``; it is signed and sent as it
    is, which spares re-serialising the manifest on every attempt. ``announced`` is the department's
    answer when the manifest already went out in a batch (:func:`announce`): the delivery then goes on
    from the attachments.

    Raises:
        The same errors as :func:`deliver`.
    """
    if chunk_size <= 0:
        raise ValueError("chunk_size must be positive")
    base = base_url.rstrip("/")
    pid = package.package_id
    with _client(client, settings) as http:
        if announced is None:
            response = _request(
                http,
                "PUT",
                f"{base}/v1/packages/{pid}",
                content=body,
                headers={
                    **_auth(credential),
                    SIGNATURE_HEADER: signature_header(body, signing_key),
                    SUBMIT_HEADER: "if-complete",
                    "Content-Type": "application/json",
                },
            )
            _check(response, pid)
            put_reply = _for_package(_json(response), pid)
            if not isinstance(put_reply.get("missing"), list):
                raise UnexpectedReply("清单应答缺少 missing")
            announced = Announced(put_reply, duplicate=response.status_code == 200)
        early = submitted_at_once(pid, announced)
        if early is not None:  # submitted with the manifest
            return early
        put_reply = announced.reply
        duplicate = announced.duplicate
        missing = [str(h) for h in put_reply["missing"]]
        by_hash = {a.sha256: a for a in package.attachments}
        unknown = [h for h in missing if h not in by_hash]
        if unknown:
            raise UnexpectedReply("要求了清单中没有的附件")
        held = _held_offsets(put_reply)
        sent = 0
        acknowledged: dict[str, Any] | None = None
        for index, sha in enumerate(missing):
            last = index == len(missing) - 1
            blob_sent, acknowledged = _upload_blob(
                http,
                base,
                credential,
                by_hash[sha],
                attachments_reader,
                chunk_size,
                on_bytes,
                held.get(sha),
                submit_after=pid if last else None,
            )
            sent += blob_sent
        if acknowledged is None:  # the back end did not submit with the blob
            response = _request(http, "POST", f"{base}/v1/packages/{pid}/submit", headers=_auth(credential))
            _check(response, pid)
            acknowledged = _for_package(_json(response), pid)
    receipt_no = acknowledged.get("receipt_no")
    if not isinstance(receipt_no, str) or not receipt_no:
        raise UnexpectedReply("受理应答缺少回执号")
    return DeliveryReceipt(
        package_id=pid,
        receipt_no=receipt_no,
        duplicate=duplicate,
        blobs_uploaded=tuple(missing),
        blob_bytes_sent=sent,
        status=_status_in(acknowledged, pid),
    )


def _held_offsets(reply: dict[str, Any]) -> dict[str, int]:
    """The optional ``held`` map of a manifest reply: bytes already held of each missing blob.

    A back end that sends it spares the ``HEAD`` before each upload; anything malformed is ignored
    (the upload then asks with ``HEAD`` as usual).
    """
    held = reply.get("held")
    if not isinstance(held, dict):
        return {}
    return {str(k): v for k, v in held.items() if isinstance(v, int) and not isinstance(v, bool) and v >= 0}


def _submitted_with(response: httpx.Response, package_id: uuid.UUID | None) -> dict[str, Any] | None:
    """A completing chunk's reply when the back end submitted ``package_id`` with it (a receipt number)."""
    if package_id is None:
        return None
    try:
        body = response.json()
    except ValueError:
        return None
    if not isinstance(body, dict) or str(body.get("package_id")) != str(package_id):
        return None
    receipt_no = body.get("receipt_no")
    return body if isinstance(receipt_no, str) and receipt_no else None


def _offset(response: httpx.Response) -> int:
    try:
        return int(response.headers["Upload-Offset"])
    except (KeyError, ValueError):
        raise UnexpectedReply("缺少 Upload-Offset") from None


def _local_hash_ok(ref: AttachmentRef, reader: AttachmentReader) -> bool:
    digest = hashlib.sha256()
    size = 0
    with reader(ref) as stream:
        while piece := stream.read(DEFAULT_CHUNK_SIZE):
            digest.update(piece)
            size += len(piece)
    return size == ref.size and digest.hexdigest() == ref.sha256


def _upload_blob(
    http: httpx.Client,
    base: str,
    credential: Credential,
    ref: AttachmentRef,
    reader: AttachmentReader,
    chunk_size: int,
    on_bytes: Callable[[int], None] | None,
    known_offset: int | None = None,
    *,
    submit_after: uuid.UUID | None = None,
) -> tuple[int, dict[str, Any] | None]:
    """Upload one blob from the offset the back end holds.

    ``known_offset`` is that offset when the manifest reply gave it; otherwise a ``HEAD`` asks.
    ``submit_after`` names the package whose last missing blob this is: the chunk that completes the
    blob asks the back end to submit it (``Yichuang-Submit``), sparing the ``POST …/submit``.

    Returns:
        The bytes sent, and the chunk's reply when the back end submitted the package with it.
    """
    url = f"{base}/v1/blobs/{ref.sha256}"
    if known_offset is None:
        response = _request(http, "HEAD", url, headers=_auth(credential))
        _check(response)
        offset = _offset(response)
    else:
        offset = known_offset
    sent = 0
    restarts = 0
    with reader(ref) as stream:
        while True:
            if offset > ref.size:
                raise UnexpectedReply("报告的已收字节数超过附件大小")
            if offset == ref.size and ref.size > 0:
                return sent, None
            stream.seek(offset)
            data = stream.read(min(chunk_size, ref.size - offset))
            if len(data) < min(chunk_size, ref.size - offset):
                raise BlobCorrupt(ref.sha256, "本地文件比记录的大小短")
            if ref.size == 0:
                content_range = "bytes */0"
            else:
                content_range = f"bytes {offset}-{offset + len(data) - 1}/{ref.size}"
            if on_bytes is not None:
                on_bytes(len(data))
            headers = {
                **_auth(credential),
                "Content-Range": content_range,
                "Content-Type": "application/octet-stream",
            }
            if submit_after is not None and offset + len(data) == ref.size:
                headers[SUBMIT_HEADER] = str(submit_after)
            response = _request(http, "PUT", url, content=data, headers=headers)
            sent += len(data)
            if response.status_code == 422:
                intact = _local_hash_ok(ref, reader)
                detail = "部门系统收到的内容与校验值不符" if intact else "本地文件与校验值不符"
                raise BlobCorrupt(ref.sha256, detail, retryable=intact)
            if response.status_code == 416 and restarts < 3:
                restarts += 1  # the back end holds less than we thought: continue from its offset
                offset = _offset(response)
                continue
            _check(response)
            offset = _offset(response)
            if ref.size == 0 or response.status_code == 201:
                return sent, _submitted_with(response, submit_after)


# -------------------------------------------------------------------------------------- poll
def poll(
    package_id: uuid.UUID,
    base_url: str,
    credential: Credential,
    *,
    settings: TransportSettings | None = None,
    client: httpx.Client | None = None,
) -> PackageStatus:
    """Ask a department for its answer about a package.

    Raises:
        ServerRejected: the department does not hold the package (404).
        ServerUnavailable: the back end is unreachable or failing.
    """
    with _client(client, settings) as http:
        response = _request(
            http, "GET", f"{base_url.rstrip('/')}/v1/packages/{package_id}", headers=_auth(credential)
        )
        _check(response)
        body = _json(response)
    try:
        status = PackageStatus.model_validate(body)
    except ValidationError:
        raise UnexpectedReply("状态应答格式不对") from None
    if status.package_id != package_id:
        raise UnexpectedReply("收到的是另一个数据包的状态")
    return status


def poll_many(
    package_ids: Sequence[uuid.UUID],
    base_url: str,
    credential: Credential,
    *,
    settings: TransportSettings | None = None,
    client: httpx.Client | None = None,
) -> dict[uuid.UUID, PackageStatus | None]:
    """Ask a department about several packages at once (``POST /v1/status``).

    A back end without the batch request (404 or 405) is asked one package at a time (:func:`poll`).

    Returns:
        Each package's status; ``None`` for a package the department does not hold.

    Raises:
        ServerUnavailable: the back end is unreachable or failing.
        ServerRejected: the request was refused.
    """
    found: dict[uuid.UUID, PackageStatus | None] = {}
    with _client(client, settings) as http:
        for start in range(0, len(package_ids), MAX_STATUS_BATCH):
            batch = list(package_ids[start : start + MAX_STATUS_BATCH])
            response = _request(
                http,
                "POST",
                f"{base_url.rstrip('/')}/v1/status",
                json={"package_ids": [str(p) for p in batch]},
                headers=_auth(credential),
            )
            if response.status_code in (404, 405):
                for package_id in batch:
                    try:
                        found[package_id] = poll(package_id, base_url, credential, client=http)
                    except ServerRejected as exc:
                        if exc.status != 404:
                            raise
                        found[package_id] = None
                continue
            _check(response)
            body = _json(response)
            try:
                statuses = [PackageStatus.model_validate(item) for item in body.get("packages", [])]
                unknown = {uuid.UUID(str(item)) for item in body.get("unknown", [])}
            except (ValidationError, ValueError, TypeError):
                raise UnexpectedReply("状态应答格式不对") from None
            answered = {st.package_id: st for st in statuses}
            asked = set(batch)
            if not set(answered) <= asked or not unknown <= asked or asked - set(answered) - unknown:
                raise UnexpectedReply("状态应答与所问的数据包不符")
            for package_id in batch:
                found[package_id] = answered.get(package_id)
    return found


def fetch_audit_heads(
    base_url: str,
    credential: Credential,
    *,
    office_code: str,
    window: str,
    settings: TransportSettings | None = None,
    client: httpx.Client | None = None,
) -> list[tuple[int, str]]:
    """The audit-chain heads a department received from one window (``GET /v1/audit-heads``).

    Args:
        base_url: the department's base URL.
        credential: this window's credential.
        office_code: the office the packages came from.
        window: the audit log's writer id of the window (``<office code>-<window id>``).
        settings: network settings (when ``client`` is not given).
        client: an HTTP client to reuse.

    Returns:
        ``(seq, mac hex)`` of each head held, by sequence number.

    Raises:
        ServerUnavailable: the back end cannot be reached.
        ServerRejected: the back end does not keep heads (404) or refused the request.
    """
    with _client(client, settings) as http:
        response = _request(
            http,
            "GET",
            f"{base_url.rstrip('/')}/v1/audit-heads",
            params={"office": office_code, "window": window},
            headers=_auth(credential),
        )
        _check(response)
        body = _json(response)
    try:
        return sorted((int(h["seq"]), str(h["mac"])) for h in body["heads"])
    except (KeyError, TypeError, ValueError):
        raise UnexpectedReply("审计链头应答格式不对") from None


# ------------------------------------------------------------------------------------- USB
def fetch_department_keys(
    base_url: str,
    credential: Credential,
    *,
    settings: TransportSettings | None = None,
    client: httpx.Client | None = None,
) -> dict[str, Any]:
    """A department's public keys (``GET /v1/key``): X25519 for sealed files, Ed25519 for its acks.

    Fetched right after enrolment with the new credential. Returns the JSON as served;
    :meth:`sync.usb.DepartmentKeys.from_json` parses it.

    Raises:
        ServerUnavailable: the back end cannot be reached.
    """
    with _client(client, settings) as http:
        response = _request(http, "GET", f"{base_url.rstrip('/')}/v1/key", headers=_auth(credential))
        _check(response)
        return _json(response)


def deliver_sealed(
    package_id: uuid.UUID,
    sealed: bytes,
    base_url: str,
    credential: Credential,
    *,
    settings: TransportSettings | None = None,
    client: httpx.Client | None = None,
) -> dict[str, Any]:
    """Carry a sealed file from a stick to its department (``POST /v1/sealed/{package_id}``).

    The caller cannot read the file; the department opens it, checks the window's signature and
    delivers it by ``package_id`` (a repeat is a duplicate). ``credential`` is the *importing*
    machine's.

    Returns:
        The department's signed acknowledgement document (``{"ack": …, "signature": …}``).

    Raises:
        ServerRejected: the file is damaged, tampered with or invalid (reasons attached).
        Conflict: the department holds different content under this package id.
        AuthFailed: the importing machine's credential, or the window's signature, was refused.
        ServerUnavailable: the back end cannot be reached.
    """
    with _client(client, settings) as http:
        response = _request(
            http,
            "POST",
            f"{base_url.rstrip('/')}/v1/sealed/{package_id}",
            content=sealed,
            headers={**_auth(credential), "Content-Type": "application/octet-stream"},
        )
        _check(response, package_id)
        return _json(response)

"""Exceptions of the ``sync`` package, with messages a clerk understands.

``str(exc)`` is the Chinese message shown at the window; it says what happened and what to do.
:attr:`SyncError.retryable` tells the outbox whether to try again later (back-off) or to stop and
mark the leg ``failed`` so a person looks at it.
"""

from __future__ import annotations

from collections.abc import Sequence


class SyncError(Exception):
    """Base of every error raised by ``sync``.

    Attributes:
        retryable: whether the same request may succeed later without anyone changing anything.
    """

    retryable: bool = False


class TransportError(SyncError):
    """The request could not be carried: TLS certificate not trusted, proxy refused, malformed reply.

    These need an administrator (CA bundle, proxy setting) and are therefore not retried blindly.
    """

    def __init__(self, detail: str) -> None:
        super().__init__(f"与部门系统的连接出错：{detail}。请联系系统管理员检查证书和代理设置。")
        self.detail = detail


class ServerUnavailable(TransportError):
    """The back end is unreachable, timed out or answered 5xx; the outbox retries later.

    Attributes:
        status: the HTTP status (``None`` when no answer arrived at all).
    """

    retryable = True

    def __init__(self, detail: str, status: int | None = None) -> None:
        SyncError.__init__(
            self,
            f"部门系统暂时无法连接（{detail}）。案件已保存在待发送队列中，恢复后自动发送，无需重新录入。",
        )
        self.detail = detail
        self.status = status


class AuthFailed(SyncError):
    """The back end refused the credential or the signature (401/403), or the enrolment token."""

    def __init__(self, detail: str, status: int | None = None) -> None:
        super().__init__(
            f"部门系统拒绝了本窗口的身份（{detail}）。请由管理员重新执行“窗口登记”（yichuang enrol）。"
        )
        self.detail = detail
        self.status = status


class ServerRejected(SyncError):
    """The back end refused the package as invalid (400 and other 4xx); it needs correcting.

    Attributes:
        reasons: the department's reasons, each a sentence in Chinese.
        status: the HTTP status.
    """

    def __init__(self, reasons: Sequence[str], status: int | None = None) -> None:
        self.reasons = list(reasons) or ["部门系统未说明原因"]
        self.status = status
        joined = "；".join(self.reasons)
        super().__init__(f"部门系统退回了数据包：{joined}。请按原因更正案件后重新提交。")


class Conflict(SyncError):
    """The back end already holds a package with this id but different content (409).

    This is never overwritten: a correction must be a new package that names the old one in
    ``supersedes``.

    Attributes:
        package_id: the package id that clashed.
    """

    def __init__(self, package_id: str) -> None:
        super().__init__(
            f"部门系统已收到编号为 {package_id} 但内容不同的数据包，未覆盖。"
            "如需更正，请提交更正包（注明所更正的包），或请管理员核对。"
        )
        self.package_id = package_id


class BlobCorrupt(SyncError):
    """An attachment's bytes do not match its recorded SHA-256 or size.

    When the local copy is intact and only the bytes that reached the back end were damaged in
    transit, the error is ``retryable`` (the back end discarded them; the next attempt sends them again).

    Attributes:
        sha256: the attachment's recorded hash.
    """

    def __init__(self, sha256: str, detail: str, *, retryable: bool = False) -> None:
        if retryable:
            message = f"附件（扫描件）{sha256[:12]}… 在传输中损坏：{detail}。系统将自动重新发送。"
        else:
            message = f"附件（扫描件）{sha256[:12]}… 已损坏：{detail}。请重新扫描该材料后再提交。"
        super().__init__(message)
        self.sha256 = sha256
        self.detail = detail
        self.retryable = retryable

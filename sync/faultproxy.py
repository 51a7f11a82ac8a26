"""A fault-injecting HTTP/1.1 proxy on 127.0.0.1, between the worker and the reference back ends.

Tests and benchmarks point a department's base URL at the proxy (:meth:`FaultProxy.url_for`) and
script what goes wrong, request by request (:class:`Fault`):

* ``status`` — answer 500/502/503 (or any status) without forwarding;
* ``reset`` — forward part of the request body, then reset both connections (a dropped upload);
* ``stall`` — answer nothing for ``delay`` seconds (the client times out); with ``forward`` the back
  end gets the request and acts on it, only its reply is lost;
* ``duplicate`` — forward the request twice (the back end sees a duplicate), answer with the second reply;
* ``duplicate_reply`` — answer twice on the same connection (a stray reply the client must not use);
* ``reorder`` — drop the connection now and deliver the request to the back end ``delay`` seconds
  later, after the client's retry (requests arrive out of order);
* ``corrupt`` — flip one byte of the request body (a damaged blob chunk).

Link-level conditions: :attr:`FaultProxy.throttle` (bytes per second, both directions: a slow link)
and :meth:`FaultProxy.refuse` / :meth:`FaultProxy.resume` (connection refused: nothing listens).
:attr:`FaultProxy.stats` counts bytes on the wire from the client, the replies and the faults fired.

The proxy understands just enough HTTP/1.1 for the exchange protocol: ``Content-Length`` bodies, no
chunked encoding, keep-alive connections. It never logs: bodies carry personal data.
"""

from __future__ import annotations

import contextlib
import re
import socket
import struct
import threading
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import BinaryIO, Literal

FaultKind = Literal["status", "reset", "stall", "duplicate", "duplicate_reply", "reorder", "corrupt"]


@dataclass
class Fault:
    """One scripted fault, applied to the next ``times`` matching requests (after ``skip`` of them).

    Attributes:
        kind: what goes wrong (see the module docstring).
        method: the HTTP method to match (any when ``None``).
        path: a regular expression searched in the request path (any when empty).
        times: how many matching requests it affects.
        skip: matching requests let through before it starts.
        status: the status of a ``status`` fault.
        fraction: for ``reset``, the share of the body forwarded before the reset.
        delay: seconds for ``stall`` and ``reorder``.
        forward: for ``stall``, whether the back end gets the request (only the reply is lost).
        header: a request header (any case) that must be present (any request when empty), e.g.
            ``Yichuang-Submit`` to hit the blob chunk that also submits its package.
    """

    kind: FaultKind
    method: str | None = None
    path: str = ""
    times: int = 1
    skip: int = 0
    status: int = 503
    fraction: float = 0.5
    delay: float = 1.0
    forward: bool = False
    header: str = ""

    def matches(self, method: str, path: str, headers: Mapping[str, str] | None = None) -> bool:
        """Whether a request is one this fault is about (``headers`` with lower-case names)."""
        if self.method is not None and self.method != method:
            return False
        if self.header and self.header.lower() not in (headers or {}):
            return False
        return not self.path or re.search(self.path, path) is not None


@dataclass
class ProxyStats:
    """What crossed the proxy.

    Attributes:
        bytes_up: bytes received from clients (request lines, headers and bodies).
        body_bytes_up: request body bytes received from clients.
        bytes_down: bytes sent back to clients.
        requests: requests received, by method.
        faults: faults fired, by kind.
    """

    bytes_up: int = 0
    body_bytes_up: int = 0
    bytes_down: int = 0
    requests: Counter[str] = field(default_factory=Counter)
    faults: Counter[str] = field(default_factory=Counter)


class _Throttle:
    """A token bucket shared by every connection in one direction."""

    def __init__(self, owner: FaultProxy) -> None:
        self._owner = owner
        self._lock = threading.Lock()
        self._next = time.monotonic()

    def send(self, sock: socket.socket, data: bytes) -> None:
        rate = self._owner.throttle
        if not rate:
            sock.sendall(data)
            return
        piece = max(512, int(rate / 50))  # ~20 ms of data per write
        for start in range(0, len(data), piece):
            part = data[start : start + piece]
            with self._lock:
                now = time.monotonic()
                self._next = max(self._next, now) + len(part) / rate
                wait = self._next - now - len(part) / rate
            if wait > 0:
                time.sleep(wait)
            sock.sendall(part)


class _Closed(Exception):
    """The peer closed the connection."""


@dataclass
class _Message:
    head: bytes
    body: bytes
    first_line: str
    headers: dict[str, str]

    @property
    def raw(self) -> bytes:
        return self.head + self.body


def _read_message(stream: BinaryIO, *, request: bool, head_request: bool = False) -> _Message:
    lines = []
    while True:
        line = stream.readline(65537)
        if not line:
            raise _Closed
        lines.append(line)
        if line in (b"\r\n", b"\n"):
            break
    head = b"".join(lines)
    first = lines[0].decode("latin-1").strip()
    headers = {}
    for raw in lines[1:-1]:
        name, _, value = raw.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0") or 0)
    if not request and (head_request or first.split(" ")[1:2] in (["204"], ["304"])):
        length = 0
    body = stream.read(length) if length else b""
    if len(body) < length:
        raise _Closed
    return _Message(head, body, first, headers)


def _reset(sock: socket.socket) -> None:
    """Close with RST (SO_LINGER 0) instead of an orderly FIN."""
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    with contextlib.suppress(OSError):
        sock.close()


class FaultProxy:
    """The proxy. Use as a context manager, or :meth:`start` / :meth:`stop`.

    Args:
        upstream_port: the back ends' port on ``upstream_host``.
        upstream_host: the back ends' address.
        port: the port to listen on (0: a free one; kept across :meth:`refuse` / :meth:`resume`).
    """

    def __init__(self, upstream_port: int, *, upstream_host: str = "127.0.0.1", port: int = 0) -> None:
        self.upstream = (upstream_host, upstream_port)
        self.throttle: float | None = None
        self.stats = ProxyStats()
        self._faults: list[Fault] = []
        self._lock = threading.Lock()
        self._port = port
        self._listener: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._clients: set[socket.socket] = set()
        self._up = _Throttle(self)
        self._down = _Throttle(self)
        self._late: list[threading.Thread] = []

    # ------------------------------------------------------------------------------ lifecycle
    @property
    def port(self) -> int:
        """The port the proxy listens on."""
        return self._port

    def url_for(self, base_url: str) -> str:
        """The same URL through the proxy (host and port replaced)."""
        return re.sub(r"^http://[^/]+", f"http://127.0.0.1:{self._port}", base_url)

    def start(self) -> None:
        """Listen and serve in a background thread."""
        listener = socket.create_server(("127.0.0.1", self._port), reuse_port=False)
        listener.settimeout(0.05)
        self._port = listener.getsockname()[1]
        self._listener = listener
        self._thread = threading.Thread(
            target=self._accept, args=(listener,), name="fault-proxy", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        """Stop listening and drop every connection; wait for late deliveries."""
        self.refuse()
        for late in self._late:
            late.join(timeout=30)

    def refuse(self) -> None:
        """Nothing listens any more: new connections are refused, open ones are dropped."""
        listener, self._listener = self._listener, None
        if listener is not None:
            listener.close()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        with self._lock:
            clients, self._clients = set(self._clients), set()
        for sock in clients:
            _reset(sock)

    def resume(self) -> None:
        """Listen again on the same port."""
        if self._listener is None:
            self.start()

    def __enter__(self) -> FaultProxy:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --------------------------------------------------------------------------------- faults
    def add(self, *faults: Fault) -> None:
        """Script faults (checked in order; the first match applies)."""
        with self._lock:
            self._faults.extend(faults)

    def clear(self) -> None:
        """Forget every scripted fault that has not fired yet."""
        with self._lock:
            self._faults.clear()

    def pending(self) -> int:
        """Scripted fault firings still to come."""
        with self._lock:
            return sum(f.times for f in self._faults)

    def _take(self, method: str, path: str, headers: Mapping[str, str]) -> Fault | None:
        with self._lock:
            self.stats.requests[method] += 1
            for fault in self._faults:
                if not fault.matches(method, path, headers):
                    continue
                if fault.skip > 0:
                    fault.skip -= 1
                    return None
                fault.times -= 1
                if fault.times <= 0:
                    self._faults.remove(fault)
                self.stats.faults[fault.kind] += 1
                return fault
        return None

    # ----------------------------------------------------------------------------- plumbing
    def _accept(self, listener: socket.socket) -> None:
        while self._listener is listener:
            try:
                client, _addr = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            client.settimeout(None)
            client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with self._lock:
                self._clients.add(client)
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _connect(self) -> tuple[socket.socket, BinaryIO]:
        upstream = socket.create_connection(self.upstream)
        upstream.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return upstream, upstream.makefile("rb")

    def _exchange(self, upstream: tuple[socket.socket, BinaryIO], request: _Message) -> _Message:
        sock, stream = upstream
        self._up.send(sock, request.raw)
        return _read_message(stream, request=False, head_request=request.first_line.startswith("HEAD "))

    def _serve(self, client: socket.socket) -> None:
        reader = client.makefile("rb")
        upstream: tuple[socket.socket, BinaryIO] | None = None
        try:
            while True:
                request = _read_message(reader, request=True)
                with self._lock:
                    self.stats.bytes_up += len(request.raw)
                    self.stats.body_bytes_up += len(request.body)
                method, _, rest = request.first_line.partition(" ")
                fault = self._take(method, rest.partition(" ")[0], request.headers)
                if upstream is None:
                    upstream = self._connect()
                if not self._handle(client, upstream, request, fault):
                    return
        except (_Closed, OSError, ValueError, IndexError):
            return
        finally:
            with self._lock:
                self._clients.discard(client)
            _reset(client)
            if upstream is not None:
                with contextlib.suppress(OSError):
                    upstream[0].close()

    def _reply(self, client: socket.socket, data: bytes) -> None:
        with self._lock:
            self.stats.bytes_down += len(data)
        self._down.send(client, data)

    def _handle(
        self,
        client: socket.socket,
        upstream: tuple[socket.socket, BinaryIO],
        request: _Message,
        fault: Fault | None,
    ) -> bool:
        """Carry one request; False when the client connection is to be dropped."""
        if fault is None:
            self._reply(client, self._exchange(upstream, request).raw)
            return True
        if fault.kind == "status":
            body = b'{"reasons": ["fault injected"]}'
            self._reply(
                client,
                f"HTTP/1.1 {fault.status} Injected\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\n\r\n".encode("latin-1")
                + body,
            )
            return True
        if fault.kind == "reset":
            cut = request.head + request.body[: int(len(request.body) * fault.fraction)]
            self._up.send(upstream[0], cut)
            _reset(upstream[0])
            return False
        if fault.kind == "stall":
            if fault.forward:
                self._exchange(upstream, request)
            time.sleep(fault.delay)
            return False
        if fault.kind == "duplicate":
            self._exchange(upstream, request)
            self._reply(client, self._exchange(upstream, request).raw)
            return True
        if fault.kind == "duplicate_reply":
            reply = self._exchange(upstream, request).raw
            self._reply(client, reply + reply)
            return True
        if fault.kind == "reorder":
            late = threading.Thread(target=self._deliver_late, args=(request, fault.delay), daemon=True)
            self._late.append(late)
            late.start()
            return False
        if fault.kind == "corrupt":
            flipped = bytearray(request.body)
            if flipped:
                flipped[len(flipped) // 2] ^= 0x5A
            tampered = _Message(request.head, bytes(flipped), request.first_line, request.headers)
            self._reply(client, self._exchange(upstream, tampered).raw)
            return True
        raise ValueError(f"unknown fault kind {fault.kind}")

    def _deliver_late(self, request: _Message, delay: float) -> None:
        time.sleep(delay)
        with contextlib.suppress(OSError, _Closed):
            sock, stream = self._connect()
            try:
                self._exchange((sock, stream), request)
            finally:
                sock.close()

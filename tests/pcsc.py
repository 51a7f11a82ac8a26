"""A private pcscd with the vsmartcard ``vpcd`` driver, for tests that go through real PC/SC.

Needs Debian's ``pcscd``, ``libpcsclite-dev`` and ``vsmartcard-vpcd`` (and pyscard in the venv).

pcsc-lite 1.9.9's pcscd always creates its socket and pid file in ``/run/pcscd`` (it ignores
``PCSCLITE_CSOCK_NAME``; only the client library honours it). So that a test never touches, nor is
refused by, a system pcscd, the daemon runs in its own mount namespace (``unshare --mount``, root)
with a private directory bound over ``/run/pcscd``; clients reach it through
``PCSCLITE_CSOCK_NAME``. Without ``unshare`` and with no system pcscd running, the daemon is started
plainly on the default socket. vpcd's port is chosen free (its reader ``00 00`` listens on ``port``,
``00 01`` on ``port + 1``), so a system vpcd on 35963 does not clash either.

The client library reads ``PCSCLITE_CSOCK_NAME`` once per process: start one service per test
session and set the variable before the first PC/SC call.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path
from typing import Final

VPCD_DRIVER: Final = Path("/usr/lib/pcsc/drivers/serial/libifdvpcd.so")
SYSTEM_RUN_DIR: Final = Path("/run/pcscd")
READER_NAME: Final = "Virtual PCD 00 00"


def missing_requirements() -> list[str]:
    """What is missing to run a vpcd-backed pcscd here (empty when everything is there)."""
    missing = []
    if shutil.which("pcscd") is None:
        missing.append("pcscd (Debian package pcscd)")
    if not VPCD_DRIVER.exists():
        missing.append(f"{VPCD_DRIVER} (Debian package vsmartcard-vpcd)")
    try:
        import smartcard.scard  # type: ignore[import-untyped]  # noqa: F401
    except ImportError:
        missing.append("pyscard (pip package pyscard; needs libpcsclite-dev and swig to build)")
    return missing


def free_port_pair() -> int:
    """A port ``p`` with ``p`` and ``p + 1`` both free on all interfaces (vpcd binds both)."""
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind(("0.0.0.0", 0))
            port = int(probe.getsockname()[1])
        if port >= 65535:
            continue
        try:
            with socket.socket() as second:
                second.bind(("0.0.0.0", port + 1))
        except OSError:
            continue
        return port
    raise RuntimeError("no free pair of TCP ports for vpcd")


class PcscdService:
    """One pcscd process with a vpcd reader, in ``workdir``.

    Attributes:
        port: vpcd's port for :data:`READER_NAME`.
        socket_path: the client socket (set ``PCSCLITE_CSOCK_NAME`` to it).
        log_path: pcscd's output.
    """

    def __init__(self, workdir: Path, port: int | None = None) -> None:
        self.workdir = workdir
        self.port = port or free_port_pair()
        self.conf_dir = workdir / "reader.conf.d"
        self.run_dir = workdir / "run"
        self.log_path = workdir / "pcscd.log"
        self.private = shutil.which("unshare") is not None and os.geteuid() == 0
        self.socket_path = (self.run_dir if self.private else SYSTEM_RUN_DIR) / "pcscd.comm"
        self._process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 10.0) -> None:
        """Start pcscd and wait until its socket and vpcd's port are up.

        Raises:
            RuntimeError: pcscd exited or did not come up in time (its log is in the message).
        """
        self.conf_dir.mkdir(parents=True, exist_ok=True)
        self.run_dir.mkdir(parents=True, exist_ok=True)
        (self.conf_dir / "vpcd").write_text(
            'FRIENDLYNAME "Virtual PCD"\n'
            f"DEVICENAME   /dev/null:0x{self.port:04X}\n"
            f"LIBPATH      {VPCD_DRIVER}\n"
            f"CHANNELID    0x{self.port:04X}\n",
            encoding="ascii",
        )
        pcscd = ["pcscd", "--foreground", "--config", str(self.conf_dir)]
        if self.private:
            script = f'mkdir -p {SYSTEM_RUN_DIR} && mount --bind "$1" {SYSTEM_RUN_DIR} && shift && exec "$@"'
            command = [
                "unshare",
                "--mount",
                "--propagation",
                "private",
                "sh",
                "-c",
                script,
                "sh",
                str(self.run_dir),
            ]
            command += pcscd
        else:
            if (SYSTEM_RUN_DIR / "pcscd.comm").exists():
                raise RuntimeError(
                    "a system pcscd is running and unshare is unavailable: cannot start a private one"
                )
            command = pcscd
        log = self.log_path.open("wb")
        self._process = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"pcscd exited with {self._process.returncode}:\n{self.log()}")
            if self.socket_path.exists() and _listening(self.port):
                return
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"pcscd did not come up in {timeout} s:\n{self.log()}")

    def log(self) -> str:
        """pcscd's output so far."""
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self, timeout: float = 5.0) -> None:
        """Stop pcscd (SIGTERM, then SIGKILL) and remove its socket."""
        process, self._process = self._process, None
        if process is None:
            return
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout)
        if self.private:
            for leftover in ("pcscd.comm", "pcscd.pid"):
                (self.run_dir / leftover).unlink(missing_ok=True)

    def __enter__(self) -> PcscdService:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _listening(port: int) -> bool:
    # Read the kernel's socket table rather than connecting: vpcd would take a probe connection for
    # a card placed and removed.
    wanted = f":{port:04X}"
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            rows = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            fields = row.split()
            if len(fields) > 3 and fields[1].endswith(wanted) and fields[3] == "0A":  # 0A = LISTEN
                return True
    return False

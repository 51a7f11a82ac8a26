"""Worker processes for the crash test: ``python -m tests.sync.crash_worker``, set-up as JSON on stdin.

This process is a *zygote*: it imports everything once (so each kill -9 run costs milliseconds, not a
second of imports), then for each ``spawn`` line on stdin forks a worker process and prints its pid.
The worker opens the database itself (nothing is shared across the fork), puts the keyring entries in
an in-memory keyring (never a file), prints ``started`` and delivers round after round until the test
kills it with SIGKILL. ``reap PID`` waits for a killed worker and prints how it ended.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from pathlib import Path
from typing import Any

from sync.keys import CredentialVault
from tests.sync.harness import MemoryKeyring
from tests.workstation.storage.conftest import FAST_HASHER, make_settings
from workstation.storage.crypto import key_file_protector
from workstation.storage.store import open_store
from workstation.sync_service import SyncService


def _work(config: dict[str, Any]) -> None:
    keyring = MemoryKeyring()
    for service, username, secret in config["keyring"]:
        keyring.set_password(service, username, secret)
    settings = make_settings(config["url"], **config["settings"])
    store = open_store(
        settings,
        protector=key_file_protector(Path(config["key_file"]), create=False),
        data_dir=Path(config["data_dir"]),
        hasher=FAST_HASHER,
    )
    service = SyncService(store, settings, vault=CredentialVault(keyring))
    worker = service.worker(lease=config["lease"], chunk_size=config["chunk_size"])
    print("started", flush=True)
    while True:
        worker.run_once()


def main() -> int:
    config = json.loads(sys.stdin.readline())
    print("ready", flush=True)
    for line in sys.stdin:
        command, _, arg = line.strip().partition(" ")
        if command == "spawn":
            pid = os.fork()
            if pid == 0:
                try:
                    _work(config)
                finally:
                    os._exit(1)
            print(f"pid {pid}", flush=True)
        elif command == "reap":
            _, status = os.waitpid(int(arg), 0)
            killed = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
            print(f"reaped {'SIGKILL' if killed else status}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

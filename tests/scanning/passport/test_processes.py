"""The demo module and the service-down error, in their own processes."""

import os
import signal
import subprocess
import sys
from pathlib import Path

from scanning.passport.reader import PcscPassportReader
from scanning.passport.virtual import Holder
from tests.pcsc import READER_NAME
from tests.scanning.passport.conftest import wait_card_state

ROOT = Path(__file__).resolve().parents[3]


def test_pcsc_service_down_is_no_reader(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PCSCLITE_CSOCK_NAME": str(tmp_path / "absent.comm")}
    code = (
        "from scanning.passport.cli import read_command as r; "
        "print(*r(None, 'X1234567 740812 340415', False, 1))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.startswith("1 智能卡服务未运行"), result.stdout + result.stderr


def test_virtual_passport_demo_serves_until_interrupted(pcscd):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    demo = subprocess.Popen(
        [sys.executable, "-m", "scanning.passport.virtual", "--port", str(pcscd.port)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert demo.stdout is not None
        first = demo.stdout.readline()
        assert "虚拟护照已放到读卡器上" in first, first
        wait_card_state(True)
        record = PcscPassportReader(READER_NAME).read(Holder().key, timeout=5)
        assert record.mrz.document_number == Holder().document_number
    finally:
        demo.send_signal(signal.SIGINT)
        _, err = demo.communicate(timeout=10)
    assert demo.returncode == 0, err
    wait_card_state(False)


MONITOR_WITHOUT_SERVICE = """
import threading
from scanning.passport.pcsc import CardMonitor
errors = []
seen = threading.Event()
def on_error(exc):
    errors.append(exc)
    seen.set()
with CardMonitor(on_placed=print, on_removed=print, on_error=on_error, interval=0.05):
    assert seen.wait(5)
    threading.Event().wait(0.5)
print(len(errors), type(errors[0]).__name__, errors[0])
"""


def test_monitor_reports_a_missing_service_once_and_keeps_running(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PCSCLITE_CSOCK_NAME": str(tmp_path / "absent.comm")}
    result = subprocess.run(
        [sys.executable, "-c", MONITOR_WITHOUT_SERVICE], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("1 NoReader 智能卡服务未运行"), result.stdout

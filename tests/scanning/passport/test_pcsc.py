"""Through a real pcscd with the vpcd driver and the virtual passport on it."""

import json
import threading
import time

import pytest

from forms.case import IdType
from scanning.errors import BacFailed, ChipRemoved, DataGroupHashMismatch, MrzInvalid, NoChip, NoReader
from scanning.passport.cli import read_command
from scanning.passport.mrz import mrz_key
from scanning.passport.pcsc import CardMonitor
from scanning.passport.reader import PcscPassportReader, list_readers, open_passport_reader
from scanning.passport.virtual import Holder, make_passport
from tests.pcsc import READER_NAME

HOLDER = Holder()


def test_vpcd_reader_is_listed(pcscd):
    assert READER_NAME in list_readers()
    assert open_passport_reader("PCD 00 00").reader_name == "PCD 00 00"


def test_full_read_through_pcscd(place_card):
    card = place_card(make_passport())
    started = time.perf_counter()
    record = PcscPassportReader(READER_NAME).read(HOLDER.key, timeout=5)
    elapsed = time.perf_counter() - started
    assert record.hashes_verified
    assert record.face_jpeg is not None and record.face_jpeg.startswith(b"\xff\xd8")
    fields = record.to_party_fields()
    assert fields["id_type"] is IdType.PASSPORT and fields["id_number"] == "L898902C3"
    assert card.apdus > 10
    assert elapsed < 1.5, f"read took {elapsed:.2f} s"


def test_mrz_text_is_accepted_and_checked_before_touching_the_reader(place_card):
    place_card(make_passport())
    reader = PcscPassportReader(READER_NAME)
    assert reader.card_present()
    record = reader.read("\n".join(HOLDER.mrz_lines()), timeout=5)
    assert record.mrz.name == "ERIKSSON ANNA MARIA"
    with pytest.raises(MrzInvalid):
        reader.read("L898902C<369080619406237", timeout=5)


def test_wrong_mrz_through_pcscd_is_bac_failed(place_card):
    place_card(make_passport())
    with pytest.raises(BacFailed):
        PcscPassportReader(READER_NAME).read(mrz_key("L898902C3", "740812", "340416"), timeout=5)


def test_tampered_dg1_through_pcscd_is_a_hash_mismatch(place_card):
    place_card(make_passport(tamper_dg1=True))
    with pytest.raises(DataGroupHashMismatch):
        PcscPassportReader(READER_NAME).read(HOLDER.key, timeout=5)


@pytest.mark.parametrize("remove_after", [1, 3, 12])
def test_card_removed_mid_read_is_chip_removed(place_card, remove_after):
    card = place_card(make_passport(), remove_after=remove_after)
    with pytest.raises(ChipRemoved, match="移开"):
        PcscPassportReader(READER_NAME).read(HOLDER.key, timeout=5)
    assert card.removed.is_set()


def test_no_card_is_no_chip_after_the_timeout(pcscd):
    started = time.monotonic()
    with pytest.raises(NoChip, match="没有放置护照"):
        PcscPassportReader(READER_NAME).read(HOLDER.key, timeout=0.5)
    assert time.monotonic() - started < 2


def test_card_placed_while_waiting_is_read(place_card):
    chip = make_passport()
    timer = threading.Timer(0.3, lambda: place_card(chip, wait=False))
    timer.start()
    try:
        record = PcscPassportReader(READER_NAME).read(HOLDER.key, timeout=5)
    finally:
        timer.join()
    assert record.mrz.document_number == "L898902C3"


def test_unknown_reader_name_is_no_reader(pcscd):
    with pytest.raises(NoReader, match="没有找到名为"):
        PcscPassportReader("Nonexistent reader").read(HOLDER.key, timeout=1)


def test_monitor_reports_placed_and_removed(place_card):
    events: list[tuple[str, str]] = []
    changed = threading.Event()

    def record(kind: str):
        def callback(reader: str) -> None:
            events.append((kind, reader))
            changed.set()

        return callback

    with CardMonitor(on_placed=record("placed"), on_removed=record("removed"), reader_name="PCD 00 00"):
        card = place_card(make_passport())
        assert changed.wait(5)
        changed.clear()
        card.remove()
        assert changed.wait(5)
    assert events == [("placed", READER_NAME), ("removed", READER_NAME)]


def test_monitor_survives_a_failing_callback(place_card, caplog):
    placed = threading.Event()

    def broken(reader: str) -> None:
        placed.set()
        raise RuntimeError("bug in the app")

    removed = threading.Event()
    with CardMonitor(
        on_placed=broken, on_removed=lambda r: removed.set(), reader_name="PCD 00 00"
    ) as monitor:
        card = place_card(make_passport())
        assert placed.wait(5)
        card.remove()
        assert removed.wait(5)
        assert monitor.running
    assert "RuntimeError" in caplog.text


def test_cli_read_json_and_summary(place_card):
    place_card(make_passport())
    code, text = read_command(READER_NAME, "L898902C3 740812 340415", as_json=True, timeout=5)
    assert code == 0, text
    data = json.loads(text)
    assert data["document_number"] == "L898902C3" and data["hashes_verified"] is True
    code, text = read_command("PCD 00 00", HOLDER.key.mrz_information, as_json=False, timeout=5)
    assert code == 0
    assert "护照号码：L898902C3" in text and "证书链：未核验" in text


def test_cli_errors_are_exit_1_with_the_chinese_message(place_card):
    place_card(make_passport())
    code, text = read_command(READER_NAME, "L898902C3 740812 340416", as_json=False, timeout=5)
    assert code == 1 and "基本访问控制" in text
    code, text = read_command(READER_NAME, "garbage", as_json=True, timeout=5)
    assert code == 1 and "机读区" in text


def test_yichuang_idcard_read_pcsc(place_card, capsys):
    from workstation.cli import main

    place_card(make_passport())
    assert main(["idcard", "read", "--pcsc", READER_NAME, "--mrz", "L898902C3 740812 340415", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["document_number"] == "L898902C3"
    assert main(["idcard", "read", "--pcsc", READER_NAME]) == 1
    assert "--mrz" in capsys.readouterr().err

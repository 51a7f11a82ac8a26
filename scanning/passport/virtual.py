"""A virtual ICAO passport chip speaking the vsmartcard ``vpcd`` protocol, for tests and the demo.

The chip (:class:`VirtualPassport`) holds EF.COM, DG1, DG2 (a small JPEG) and an EF.SOD signed with a
test document-signer key made at start-up, and implements the chip side of Basic Access Control and
secure messaging. :class:`VpcdCard` connects it to the ``vpcd`` reader driver of a running pcscd:

- the chip is the TCP client; vpcd listens on the port of its reader (``CHANNELID``, 35963 for the
  first reader of Debian's configuration);
- every message is a 2-byte big-endian length and a payload; a 1-byte payload is a control message
  (``00`` power off, ``01`` power on, ``02`` reset, ``04`` get ATR, the only one answered, with the
  ATR); any other payload is a command APDU answered with the response APDU.

Run ``python -m scanning.passport.virtual [--port PORT]`` to place a specimen passport (Doc 9303
Part 4's ERIKSSON ANNA MARIA, with a future expiry) on the virtual reader; it prints the MRZ to type.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import os
import socket
import sys
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Final

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from scanning.errors import SecureMessagingError
from scanning.passport import bac, lds, sod
from scanning.passport.chip import EMRTD_AID
from scanning.passport.mrz import BacKey, format_td3, parse_td3
from scanning.passport.sm import SW_OK, SW_SM_INCORRECT, Command, SecureMessaging

DEFAULT_PORT: Final = 35963
"""vpcd's port for its first reader (``CHANNELID 0x8C7B``)."""

ATR: Final = bytes.fromhex("3B80800101")
"""Generic ISO 14443-4 ATR of a PC/SC contactless reader: T=1, no historical bytes, TCK 01."""

SW_SECURITY_NOT_SATISFIED: Final = 0x6982
SW_FILE_NOT_FOUND: Final = 0x6A82
SW_WRONG_P1P2: Final = 0x6B00
SW_INS_NOT_SUPPORTED: Final = 0x6D00
SW_AUTH_FAILED: Final = 0x6300
SW_CONDITIONS: Final = 0x6985


@dataclass(frozen=True)
class Holder:
    """The data page of a virtual passport (Doc 9303 Part 4 Appendix A specimen by default)."""

    surname: str = "ERIKSSON"
    given_names: str = "ANNA MARIA"
    document_number: str = "L898902C3"
    nationality: str = "UTO"
    issuing_state: str = "UTO"
    birth: str = "740812"
    sex_code: str = "F"
    expiry: str = "340415"
    optional_data: str = "ZE184226B"

    def mrz_lines(self) -> tuple[str, str]:
        """The two TD3 lines."""
        return format_td3(
            surname=self.surname,
            given_names=self.given_names,
            document_number=self.document_number,
            nationality=self.nationality,
            issuing_state=self.issuing_state,
            birth=self.birth,
            sex_code=self.sex_code,
            expiry=self.expiry,
            optional_data=self.optional_data,
        )

    @property
    def key(self) -> BacKey:
        """The BAC key of this passport."""
        return parse_td3("\n".join(self.mrz_lines())).key


def face_jpeg(width: int = 120, height: int = 150) -> bytes:
    """A small synthetic portrait JPEG (a drawn face on a light background), made with Pillow."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (width, height), (226, 232, 240))
    draw = ImageDraw.Draw(image)
    cx, cy = width // 2, height // 2
    draw.ellipse((cx - 38, cy - 50, cx + 38, cy + 46), fill=(222, 184, 150))
    draw.ellipse((cx - 22, cy - 18, cx - 10, cy - 10), fill=(40, 40, 40))
    draw.ellipse((cx + 10, cy - 18, cx + 22, cy - 10), fill=(40, 40, 40))
    draw.line((cx, cy - 6, cx - 4, cy + 12), fill=(160, 120, 100), width=2)
    draw.arc((cx - 18, cy + 8, cx + 18, cy + 30), 20, 160, fill=(150, 60, 60), width=3)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return out.getvalue()


def document_signer() -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    """A throw-away EC P-256 document signer with a self-signed certificate (country ``UT``)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "UT"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Yichuang test"),
            x509.NameAttribute(NameOID.COMMON_NAME, "Virtual passport document signer"),
        ]
    )
    start = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=3650 * 2))
        .sign(key, hashes.SHA256())
    )
    return key, cert


@dataclass
class _State:
    app_selected: bool = False
    rnd_ic: bytes | None = None
    sm: SecureMessaging | None = None
    selected: int | None = None
    transcript: list[bytes] = field(default_factory=list)


class VirtualPassport:
    """The chip: answers command APDUs like an ICAO eMRTD with BAC.

    Args:
        files: file identifier → content (EF.COM, EF.SOD, DG1, DG2).
        key: the BAC key of the data page (the MRZ the chip was personalised with).
        random: the chip's random source (``RND.IC`` then ``K.IC``); tests inject Appendix D values.
    """

    def __init__(
        self, files: Mapping[int, bytes], key: BacKey, *, random: Callable[[int], bytes] = os.urandom
    ) -> None:
        self.files = dict(files)
        self._keys = bac.document_keys(key)
        self._random = random
        self._state = _State()

    def __repr__(self) -> str:
        return f"VirtualPassport(files={sorted(f'{f:04X}' for f in self.files)})"

    @property
    def authenticated(self) -> bool:
        """Whether a secure-messaging session is open."""
        return self._state.sm is not None

    def reset(self) -> None:
        """Power cycle: forget the selected application and the session."""
        self._state = _State()

    def process(self, apdu: bytes) -> bytes:
        """Answer one command APDU."""
        state = self._state
        if state.sm is not None and len(apdu) >= 1 and apdu[0] & 0x0C == 0x0C:
            return self._process_protected(state.sm, apdu)
        try:
            command = Command.decode(apdu)
        except ValueError:
            return _sw(0x6700)
        if command.ins == 0xA4 and command.p1 == 0x04:
            if command.data == EMRTD_AID:
                self._state = _State(app_selected=True)
                return _sw(SW_OK)
            return _sw(SW_FILE_NOT_FOUND)
        if not state.app_selected:
            return _sw(SW_CONDITIONS)
        if command.ins == 0x84:
            state.rnd_ic = self._random(8)
            state.sm = None
            return state.rnd_ic + _sw(SW_OK)
        if command.ins == 0x82:
            return self._mutual_authenticate(command)
        if command.ins in (0xA4, 0xB0):
            return _sw(SW_SECURITY_NOT_SATISFIED)  # files are protected by BAC
        return _sw(SW_INS_NOT_SUPPORTED)

    def _mutual_authenticate(self, command: Command) -> bytes:
        state = self._state
        rnd_ic, state.rnd_ic = state.rnd_ic, None
        if rnd_ic is None:
            return _sw(SW_CONDITIONS)
        plain = bac.open_cryptogram(self._keys, command.data)
        if plain is None or plain[8:16] != rnd_ic:
            return _sw(SW_AUTH_FAILED)
        rnd_ifd, k_ifd = plain[0:8], plain[16:32]
        k_ic = self._random(16)
        answer = bac.cryptogram(self._keys, rnd_ic + rnd_ifd + k_ic)
        state.sm = bac.session(k_ifd, k_ic, rnd_ic, rnd_ifd)
        return answer + _sw(SW_OK)

    def _process_protected(self, sm: SecureMessaging, apdu: bytes) -> bytes:
        try:
            command = sm.unwrap_command(apdu)
        except SecureMessagingError:
            self._state.sm = None  # a broken session ends (Part 11 §9.8.1)
            return _sw(SW_SM_INCORRECT)
        data, sw = self._file_command(command)
        return sm.wrap_response(data, sw)

    def _file_command(self, command: Command) -> tuple[bytes, int]:
        state = self._state
        if command.ins == 0xA4 and command.p1 == 0x02:
            file_id = int.from_bytes(command.data, "big")
            if len(command.data) != 2 or file_id not in self.files:
                return b"", SW_FILE_NOT_FOUND
            state.selected = file_id
            return b"", SW_OK
        if command.ins == 0xB0:
            if state.selected is None:
                return b"", SW_CONDITIONS
            content = self.files[state.selected]
            offset = (command.p1 << 8) | command.p2
            if command.p1 & 0x80 or offset > len(content):
                return b"", SW_WRONG_P1P2
            data = content[offset : offset + (command.le or 256)]
            return data, SW_OK if len(data) == (command.le or 256) else 0x6282
        return b"", SW_INS_NOT_SUPPORTED


def _sw(sw: int) -> bytes:
    return sw.to_bytes(2, "big")


def make_passport(
    holder: Holder | None = None,
    *,
    photo: bytes | None = None,
    photo_size: tuple[int, int] = (120, 150),
    tamper_dg1: bool = False,
    random: Callable[[int], bytes] = os.urandom,
) -> VirtualPassport:
    """Personalise a virtual passport.

    Args:
        holder: the data page; the Doc 9303 specimen by default.
        photo: a JPEG for DG2 (its size given by ``photo_size``); a drawn face by default.
        photo_size: width and height of ``photo``.
        tamper_dg1: sign the true DG1 but store one with another name, as an altered chip would.
        random: the chip's random source.
    """
    holder = holder or Holder()
    lines = holder.mrz_lines()
    image = photo if photo is not None else face_jpeg(*photo_size)
    groups = {1: lds.encode_dg1(lines), 2: lds.encode_dg2(image, *photo_size)}
    key, cert = document_signer()
    files = {
        lds.EF_COM: lds.encode_com((1, 2)),
        lds.EF_SOD: sod.build_sod(groups, key, cert),
        lds.dg_file_id(1): groups[1],
        lds.dg_file_id(2): groups[2],
    }
    if tamper_dg1:
        altered = (lines[0][:5] + "MALLORY<<EVE".ljust(39, "<"), lines[1])
        files[lds.dg_file_id(1)] = lds.encode_dg1(altered)
    return VirtualPassport(files, holder.key, random=random)


class VpcdCard:
    """Places a :class:`VirtualPassport` on a vpcd reader: a background thread speaking the vpcd protocol.

    Args:
        chip: the chip to serve.
        host: vpcd's address.
        port: vpcd's port for the reader.
        remove_after: answer this many command APDUs, then drop the connection without answering
            the next (the passport is taken off the reader mid-read).
        connect_timeout: seconds to keep trying to reach vpcd.
    """

    def __init__(
        self,
        chip: VirtualPassport,
        *,
        host: str = "127.0.0.1",
        port: int = DEFAULT_PORT,
        remove_after: int | None = None,
        connect_timeout: float = 10.0,
    ) -> None:
        self.chip = chip
        self.host = host
        self.port = port
        self.remove_after = remove_after
        self.connect_timeout = connect_timeout
        self.apdus = 0
        self.removed = threading.Event()
        self._sock: socket.socket | None = None
        self._thread: threading.Thread | None = None

    def insert(self) -> None:
        """Connect to vpcd (the card is placed) and serve it on a thread.

        Raises:
            OSError: vpcd could not be reached within ``connect_timeout``.
        """
        self.removed.clear()
        self.apdus = 0
        self._sock = self._connect()
        self._thread = threading.Thread(target=self._serve, args=(self._sock,), name="vpcd-card", daemon=True)
        self._thread.start()

    def remove(self) -> None:
        """Disconnect from vpcd (the card is taken away) and wait for the thread."""
        sock, self._sock = self._sock, None
        if sock is not None:
            with contextlib.suppress(OSError):  # already closed by the other side
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None
        self.removed.set()

    def __enter__(self) -> VpcdCard:
        self.insert()
        return self

    def __exit__(self, *exc: object) -> None:
        self.remove()

    def _connect(self) -> socket.socket:
        deadline = dt.datetime.now() + dt.timedelta(seconds=self.connect_timeout)
        while True:
            try:
                return socket.create_connection((self.host, self.port), timeout=2)
            except OSError:
                if dt.datetime.now() >= deadline:
                    raise
                threading.Event().wait(0.05)

    def _serve(self, sock: socket.socket) -> None:
        sock.settimeout(None)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            while True:
                size = _recv_exact(sock, 2)
                if size is None:
                    return
                _quick_ack(sock)
                payload = _recv_exact(sock, int.from_bytes(size, "big"))
                if payload is None:
                    return
                if len(payload) == 1:
                    if payload[0] == 0x04:
                        _send(sock, ATR)
                    elif payload[0] in (0x00, 0x01, 0x02):
                        self.chip.reset()
                    continue
                if self.remove_after is not None and self.apdus >= self.remove_after:
                    sock.shutdown(socket.SHUT_RDWR)
                    self.removed.set()
                    return
                self.apdus += 1
                _send(sock, self.chip.process(payload))
        except OSError:
            return


def _recv_exact(sock: socket.socket, size: int) -> bytes | None:
    data = bytearray()
    while len(data) < size:
        part = sock.recv(size - len(data))
        if not part:
            return None
        data += part
    return bytes(data)


def _quick_ack(sock: socket.socket) -> None:
    # vpcd writes the length and the APDU separately; acknowledging at once keeps Nagle's algorithm on
    # its side from holding the APDU back for our delayed ACK (40 ms per command otherwise). Linux only.
    quickack = getattr(socket, "TCP_QUICKACK", None)
    if quickack is not None:
        sock.setsockopt(socket.IPPROTO_TCP, quickack, 1)


def _send(sock: socket.socket, payload: bytes) -> None:
    sock.sendall(len(payload).to_bytes(2, "big") + payload)


def main(argv: list[str] | None = None) -> int:
    """Serve the specimen passport on a vpcd reader until interrupted."""
    parser = argparse.ArgumentParser(prog="python -m scanning.passport.virtual", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    args = parser.parse_args(argv)
    holder = Holder()
    card = VpcdCard(make_passport(holder), host=args.host, port=args.port)
    try:
        card.insert()
    except OSError:
        print(
            f"无法连接虚拟读卡器 {args.host}:{args.port}：请先启动带 vpcd 驱动的 pcscd"
            "（Debian 软件包 pcscd、vsmartcard-vpcd）",
            file=sys.stderr,
        )
        return 1
    lines = holder.mrz_lines()
    print("虚拟护照已放到读卡器上。机读区：")
    print(lines[0])
    print(lines[1])
    print(f"读取：yichuang idcard read --pcsc --mrz {holder.key.mrz_information}")
    print("按 Ctrl+C 取走护照。")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        card.remove()
    return 0


if __name__ == "__main__":
    sys.exit(main())

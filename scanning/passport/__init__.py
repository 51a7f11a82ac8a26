"""Foreign applicants' passports: ICAO Doc 9303 eMRTD chips read over PC/SC (pyscard). Qt-free.

The pieces:

- :mod:`~scanning.passport.mrz` — TD3 MRZ parsing, check digits, the BAC key (:func:`mrz_key`);
- :mod:`~scanning.passport.crypto`, :mod:`~scanning.passport.bac`, :mod:`~scanning.passport.sm` —
  3DES, Basic Access Control and secure messaging (Doc 9303 Part 11);
- :mod:`~scanning.passport.tlv`, :mod:`~scanning.passport.lds`, :mod:`~scanning.passport.sod` —
  EF.COM, DG1, DG2 and the document security object (passive authentication without CSCA chain);
- :mod:`~scanning.passport.chip` — :func:`read_passport` over any APDU transport;
- :mod:`~scanning.passport.pcsc` — the pyscard layer and :class:`CardMonitor`;
- :mod:`~scanning.passport.reader` — :class:`PassportReader`, :class:`PcscPassportReader`;
- :mod:`~scanning.passport.record` — :class:`PassportRecord`;
- :mod:`~scanning.passport.virtual` — a virtual passport on the vsmartcard vpcd driver;
- :mod:`~scanning.passport.cli` — ``yichuang idcard read --pcsc``.
"""

from scanning.passport.chip import read_passport
from scanning.passport.lds import FaceImage, ImageType
from scanning.passport.mrz import BacKey, Td3Mrz, check_digit, mrz_key, parse_key, parse_td3
from scanning.passport.pcsc import CardMonitor
from scanning.passport.reader import PassportReader, PcscPassportReader, list_readers, open_passport_reader
from scanning.passport.record import PassportRecord

__all__ = [
    "BacKey",
    "CardMonitor",
    "FaceImage",
    "ImageType",
    "PassportReader",
    "PassportRecord",
    "PcscPassportReader",
    "Td3Mrz",
    "check_digit",
    "list_readers",
    "mrz_key",
    "open_passport_reader",
    "parse_key",
    "parse_td3",
    "read_passport",
]

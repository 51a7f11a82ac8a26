"""The passport record: what a verified chip read gives the workstation."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import date
from typing import Any

from forms.case import IdType
from scanning.passport.lds import FaceImage
from scanning.passport.mrz import Td3Mrz

SEX_NAMES = {"M": "男", "F": "女", "X": "未指明", "<": "未指明"}
"""How the MRZ sex codes are shown to the clerk."""


@dataclass(frozen=True, repr=False)
class PassportRecord:
    """Everything read from one passport chip; immutable and never partial.

    A record is only built after Basic Access Control, secure messaging and passive authentication
    succeeded, so ``hashes_verified`` is true for every record :func:`read_passport` returns; the
    document signer's chain to a CSCA is *not* validated (``chain_verified`` is always false, see
    :mod:`scanning.passport.sod`). ``repr()`` hides the personal data.

    Attributes:
        mrz: DG1, the chip's MRZ (parsed and checked).
        face: DG2's first face image, ``None`` when the chip has no DG2.
        birth_date: date of birth (``None`` when the MRZ gives an unknown day or month).
        expiry_date: date of expiry.
        data_groups: the data groups EF.COM lists.
        hashes_verified: DG1 and DG2 hash to the values in an EF.SOD whose signature verified.
        signer_subject: the document signer certificate's subject (RFC 4514), for the review record.
        chain_verified: whether the signer was validated against a CSCA master list (never, yet).
    """

    mrz: Td3Mrz
    face: FaceImage | None
    birth_date: date | None
    expiry_date: date
    data_groups: tuple[int, ...]
    hashes_verified: bool
    signer_subject: str
    chain_verified: bool = False

    def __repr__(self) -> str:
        return f"PassportRecord(data_groups={self.data_groups!r}, <personal data hidden>)"

    @property
    def face_jpeg(self) -> bytes | None:
        """The face photo when it is a JPEG (``None`` for JPEG 2000 or no DG2)."""
        if self.face is None or self.face.image_type.name != "JPEG":
            return None
        return self.face.data

    def is_expired(self, today: date) -> bool:
        """Whether the passport's validity ended before ``today``."""
        return self.expiry_date < today

    def to_party_fields(self) -> dict[str, Any]:
        """Field values of a :class:`forms.case.Party` (``Party(role=…, **record.to_party_fields())``).

        Keys: ``name`` (``SURNAME GIVEN NAMES`` as in the MRZ), ``id_type`` (passport), ``id_number``
        (the document number), ``sex``, ``birth_date``, ``nationality`` (alpha-3).
        """
        return {
            "name": self.mrz.name,
            "id_type": IdType.PASSPORT,
            "id_number": self.mrz.document_number,
            "sex": self.mrz.sex,
            "birth_date": self.birth_date,
            "nationality": self.mrz.nationality,
        }

    def to_json_dict(self, *, include_photo: bool = False) -> dict[str, Any]:
        """A JSON-ready dict (dates ISO 8601; the photo as its size, or base64 when asked)."""
        out: dict[str, Any] = {
            "id_type": IdType.PASSPORT.value,
            "document_code": self.mrz.document_code,
            "issuing_state": self.mrz.issuing_state,
            "surname": self.mrz.surname,
            "given_names": self.mrz.given_names,
            "name": self.mrz.name,
            "document_number": self.mrz.document_number,
            "nationality": self.mrz.nationality,
            "sex": self.mrz.sex.value if self.mrz.sex else None,
            "sex_code": self.mrz.sex_code,
            "birth_date": self.birth_date.isoformat() if self.birth_date else None,
            "expiry_date": self.expiry_date.isoformat(),
            "optional_data": self.mrz.optional_data,
            "mrz": list(self.mrz.lines),
            "data_groups": list(self.data_groups),
            "hashes_verified": self.hashes_verified,
            "chain_verified": self.chain_verified,
            "signer_subject": self.signer_subject,
            "photo_type": self.face.image_type.value if self.face else None,
            "photo_bytes": len(self.face.data) if self.face else 0,
        }
        if include_photo and self.face is not None:
            out["photo_base64"] = base64.b64encode(self.face.data).decode("ascii")
        return out

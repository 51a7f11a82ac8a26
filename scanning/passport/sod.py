"""The document security object EF.SOD (ICAO Doc 9303 Part 10 §4.6.2 and Part 12 §4.6).

EF.SOD (tag ``77``) holds a CMS ``SignedData`` (RFC 5652) whose encapsulated content, of type
``id-icao-mrtd-security-ldsSecurityObject`` (2.23.136.1.1.1), is::

    LDSSecurityObject ::= SEQUENCE {
        version             INTEGER,
        hashAlgorithm       AlgorithmIdentifier,
        dataGroupHashValues SEQUENCE OF SEQUENCE { dataGroupNumber INTEGER, dataGroupHashValue OCTET STRING },
        ldsVersionInfo      SEQUENCE { ldsVersion PrintableString, unicodeVersion PrintableString } OPTIONAL }

What is checked (Doc 9303 Part 11 §5.1 "passive authentication", steps 2–4):

- the signer info's ``messageDigest`` attribute equals the hash of the encapsulated content and its
  ``contentType`` attribute names the LDS security object;
- the signature over the signed attributes verifies with the document signer certificate carried in
  the SignedData (RSA PKCS#1 v1.5, RSA-PSS or ECDSA);
- each data group read hashes to the value in the security object.

**Not checked** (out of scope): the document signer certificate's chain to the issuing state's CSCA
certificate (a CSCA master list and CRLs would be needed), so a forged passport signed by a
self-made certificate passes; the read only proves the data groups were not altered after the signer
signed them. ASN.1 is parsed with ``asn1crypto``; signatures are verified with ``cryptography``.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from asn1crypto import algos, cms, core, x509  # type: ignore[import-untyped]
from cryptography import x509 as cx509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.types import CertificateIssuerPrivateKeyTypes
from cryptography.hazmat.primitives.serialization import Encoding

from scanning.errors import DataGroupHashMismatch, SodError
from scanning.passport import tlv

LDS_SECURITY_OBJECT_OID: Final = "2.23.136.1.1.1"

_HASHES: Final[Mapping[str, type[hashes.HashAlgorithm]]] = {
    "sha1": hashes.SHA1,
    "sha224": hashes.SHA224,
    "sha256": hashes.SHA256,
    "sha384": hashes.SHA384,
    "sha512": hashes.SHA512,
}


class DataGroupHash(core.Sequence):  # type: ignore[misc]
    """``DataGroupHash`` of the LDS security object."""

    _fields = [("data_group_number", core.Integer), ("data_group_hash_value", core.OctetString)]  # noqa: RUF012


class DataGroupHashValues(core.SequenceOf):  # type: ignore[misc]
    """``SEQUENCE OF DataGroupHash``."""

    _child_spec = DataGroupHash


class LdsVersionInfo(core.Sequence):  # type: ignore[misc]
    """``LDSVersionInfo`` (LDS 1.8)."""

    _fields = [("lds_version", core.PrintableString), ("unicode_version", core.PrintableString)]  # noqa: RUF012


class LdsSecurityObject(core.Sequence):  # type: ignore[misc]
    """``LDSSecurityObject`` (Doc 9303 Part 10 §4.6.2.2)."""

    _fields = [  # noqa: RUF012 (asn1crypto declares schemas as class-level lists)
        ("version", core.Integer),
        ("hash_algorithm", algos.DigestAlgorithm),
        ("data_group_hash_values", DataGroupHashValues),
        ("lds_version_info", LdsVersionInfo, {"optional": True}),
    ]


@dataclass(frozen=True, repr=False)
class SecurityObject:
    """A parsed EF.SOD whose signature has been verified against its own signer certificate.

    Attributes:
        hash_algorithm: ``sha256`` …
        hashes: data group number → hash value signed by the issuer.
        signer: the document signer certificate (not validated against a CSCA).
    """

    hash_algorithm: str
    hashes: Mapping[int, bytes]
    signer: cx509.Certificate

    def __repr__(self) -> str:
        return f"SecurityObject({self.hash_algorithm}, data groups {sorted(self.hashes)})"

    def digest(self, data: bytes) -> bytes:
        """Hash ``data`` with the security object's algorithm."""
        return hashlib.new(self.hash_algorithm, data).digest()


_SOD_BROKEN: Final = (
    "护照芯片中的安全对象（EF.SOD）格式不对，无法核验数据是否被篡改；请重新放置护照再读，仍失败请人工核验证件"
)
_SOD_SIGNATURE: Final = (
    "护照芯片中安全对象（EF.SOD）的签名验证失败，芯片数据可能被篡改；请人工核验证件并报告主管"
)


def _hash_name(algorithm: Any) -> str:
    name = str(algorithm["algorithm"].native)
    if name not in _HASHES:
        raise SodError(f"护照使用了本程序不支持的摘要算法（{name}），无法核验；请人工核验证件")
    return name


def _verify_signature(cert: cx509.Certificate, signer_info: Any, signed: bytes) -> None:
    algorithm = signer_info["signature_algorithm"]
    signature = bytes(signer_info["signature"].native)
    digest_name = _hash_name(signer_info["digest_algorithm"])
    key = cert.public_key()
    try:
        sig_algo = algorithm.signature_algo
        if sig_algo == "rsassa_pss" and isinstance(key, rsa.RSAPublicKey):
            params = algorithm["parameters"]
            pss_hash = _HASHES[_hash_name(params["hash_algorithm"])]()
            pss = padding.PSS(padding.MGF1(pss_hash), int(params["salt_length"].native))
            key.verify(signature, signed, pss, pss_hash)
        elif sig_algo == "rsassa_pkcs1v15" and isinstance(key, rsa.RSAPublicKey):
            hash_name = (
                algorithm.hash_algo if algorithm["algorithm"].native != "rsassa_pkcs1v15" else digest_name
            )
            key.verify(signature, signed, padding.PKCS1v15(), _HASHES[hash_name]())
        elif sig_algo == "ecdsa" and isinstance(key, ec.EllipticCurvePublicKey):
            hash_name = algorithm.hash_algo if algorithm["algorithm"].native != "ecdsa" else digest_name
            key.verify(signature, signed, ec.ECDSA(_HASHES[hash_name]()))
        else:
            raise SodError(f"护照使用了本程序不支持的签名算法（{sig_algo}），无法核验；请人工核验证件")
    except InvalidSignature:
        raise SodError(_SOD_SIGNATURE) from None
    except (ValueError, KeyError):
        raise SodError(_SOD_BROKEN) from None


def _signer_certificate(signed_data: Any, signer_info: Any) -> cx509.Certificate:
    sid = signer_info["sid"]
    for choice in signed_data["certificates"] or []:
        if choice.name != "certificate":
            continue
        cert = choice.chosen
        if sid.name == "issuer_and_serial_number":
            wanted = sid.chosen
            if cert.issuer == wanted["issuer"] and cert.serial_number == wanted["serial_number"].native:
                return cx509.load_der_x509_certificate(cert.dump())
        elif cert.key_identifier == sid.chosen.native:
            return cx509.load_der_x509_certificate(cert.dump())
    raise SodError("护照芯片的安全对象（EF.SOD）中没有签名证书，无法核验数据是否被篡改；请人工核验证件")


def parse_sod(data: bytes) -> SecurityObject:
    """Parse EF.SOD and verify its signature with the enclosed document signer certificate.

    Raises:
        SodError: malformed, wrong content type, message digest or signature not matching, or an
            unsupported algorithm.
    """
    try:
        _, content = tlv.parse_one(data, 0x77)
        info = cms.ContentInfo.load(content)
        if info["content_type"].native != "signed_data":
            raise SodError(_SOD_BROKEN)
        signed_data = info["content"]
        encap = signed_data["encap_content_info"]
        if encap["content_type"].dotted != LDS_SECURITY_OBJECT_OID:
            raise SodError(_SOD_BROKEN)
        econtent = bytes(encap["content"].native)
        lso = LdsSecurityObject.load(econtent)
        hash_name = _hash_name(lso["hash_algorithm"])
        values = {
            int(item["data_group_number"].native): bytes(item["data_group_hash_value"].native)
            for item in lso["data_group_hash_values"]
        }
        signer_infos = signed_data["signer_infos"]
        if len(signer_infos) != 1:
            raise SodError(_SOD_BROKEN)
        signer_info = signer_infos[0]
        cert = _signer_certificate(signed_data, signer_info)
        attrs = signer_info["signed_attrs"]
        if attrs.native is None or len(attrs) == 0:
            signed = econtent
        else:
            found = {attr["type"].native: attr["values"] for attr in attrs}
            digest_name = _hash_name(signer_info["digest_algorithm"])
            digest = hashlib.new(digest_name, econtent).digest()
            content_type = found.get("content_type")
            message_digest = found.get("message_digest")
            if (
                content_type is None
                or content_type[0].dotted != LDS_SECURITY_OBJECT_OID
                or message_digest is None
                or not hmac.compare_digest(bytes(message_digest[0].native), digest)
            ):
                raise SodError(_SOD_SIGNATURE)
            signed = b"\x31" + attrs.dump()[1:]  # the [0] IMPLICIT SET is signed as a SET (RFC 5652 §5.4)
    except SodError:
        raise
    except (tlv.TlvError, ValueError, TypeError, KeyError, IndexError):
        raise SodError(_SOD_BROKEN) from None
    _verify_signature(cert, signer_info, signed)
    return SecurityObject(hash_name, values, cert)


def verify_data_groups(sod: SecurityObject, groups: Mapping[int, bytes]) -> None:
    """Check every data group read against the hash the issuer signed.

    Args:
        sod: the verified security object.
        groups: data group number → the complete file as read.

    Raises:
        DataGroupHashMismatch: a data group's hash differs, or it has no hash in EF.SOD.
    """
    for number, data in sorted(groups.items()):
        expected = sod.hashes.get(number)
        if expected is None or not hmac.compare_digest(sod.digest(data), expected):
            raise DataGroupHashMismatch(
                f"护照芯片第 {number} 数据组（DG{number}）与签发机关签名的摘要不符，芯片数据可能被篡改；"
                "读取结果不予采用，请人工核验证件并报告主管",
                number,
            )


def build_sod(
    groups: Mapping[int, bytes],
    key: CertificateIssuerPrivateKeyTypes,
    certificate: cx509.Certificate,
    hash_algorithm: str = "sha256",
) -> bytes:
    """Build and sign an EF.SOD over ``groups`` (for the virtual passport and tests).

    Args:
        groups: data group number → file content.
        key: the document signer's private key (EC or RSA).
        certificate: the document signer certificate for ``key``.
        hash_algorithm: digest for the data groups and the signature.
    """
    lso = LdsSecurityObject(
        {
            "version": 0,
            "hash_algorithm": {"algorithm": hash_algorithm},
            "data_group_hash_values": [
                {"data_group_number": n, "data_group_hash_value": hashlib.new(hash_algorithm, d).digest()}
                for n, d in sorted(groups.items())
            ],
        }
    )
    econtent = lso.dump()
    attrs = cms.CMSAttributes(
        [
            {"type": "content_type", "values": [LDS_SECURITY_OBJECT_OID]},
            {"type": "message_digest", "values": [hashlib.new(hash_algorithm, econtent).digest()]},
        ]
    )
    hash_cls = _HASHES[hash_algorithm]
    if isinstance(key, ec.EllipticCurvePrivateKey):
        signature = key.sign(attrs.dump(), ec.ECDSA(hash_cls()))
        sig_algo = f"{hash_algorithm}_ecdsa"
    elif isinstance(key, rsa.RSAPrivateKey):
        signature = key.sign(attrs.dump(), padding.PKCS1v15(), hash_cls())
        sig_algo = f"{hash_algorithm}_rsa"
    else:
        raise ValueError("the virtual passport signs with EC or RSA keys")
    cert = x509.Certificate.load(certificate.public_bytes(Encoding.DER))
    signer_info = cms.SignerInfo(
        {
            "version": "v1",
            "sid": cms.SignerIdentifier(
                {"issuer_and_serial_number": {"issuer": cert.issuer, "serial_number": cert.serial_number}}
            ),
            "digest_algorithm": {"algorithm": hash_algorithm},
            "signed_attrs": attrs,
            "signature_algorithm": {"algorithm": sig_algo},
            "signature": signature,
        }
    )
    signed_data = cms.SignedData(
        {
            "version": "v3",
            "digest_algorithms": [{"algorithm": hash_algorithm}],
            "encap_content_info": {"content_type": LDS_SECURITY_OBJECT_OID, "content": econtent},
            "certificates": [cert],
            "signer_infos": [signer_info],
        }
    )
    info = cms.ContentInfo({"content_type": "signed_data", "content": signed_data})
    return tlv.encode(0x77, info.dump())

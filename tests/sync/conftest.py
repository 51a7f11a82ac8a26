"""Fixtures for the sync tests: the reference back ends on a free loopback port, keys, a case."""

from __future__ import annotations

import io
import uuid
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from forms.case import Acquisition, Case, Party, PartyRole, Property, Transaction
from sync.backends import DEFAULT_ENROLMENT_TOKEN, ReferenceBackends
from sync.package import AttachmentRef, Department, Manifest, attachment_ref, build_manifest
from sync.transport import Credential, enrol


@pytest.fixture
def backends(tmp_path: Path) -> Iterator[ReferenceBackends]:
    with ReferenceBackends(tmp_path / "backends.sqlite") as running:
        yield running


@pytest.fixture
def signing_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture
def credentials(backends: ReferenceBackends, signing_key: Ed25519PrivateKey) -> dict[Department, Credential]:
    return {d: enrol(backends.url(d), DEFAULT_ENROLMENT_TOKEN, signing_key.public_key()) for d in Department}


def make_case() -> Case:
    return Case(
        business_type="transfer_sale_existing_home",
        case_number="A-2024-0001",
        parties=[
            Party(
                id="buyer",
                role=PartyRole.RIGHT_HOLDER,
                name="张三",
                id_number="11010519491231002X",
                phone="13800000000",
                family_homes_owned=0,
                marital_status="married",
            ),
            Party(id="seller", role=PartyRole.OBLIGOR, name="李四", id_number="110105194912310037"),
        ],
        property=Property(
            unit_number="110105001001GB00001F00010001", location="北京市朝阳区某路1号", area=Decimal("89.5")
        ),
        transaction=Transaction(
            contract_filing_number="WQ-2024-123",
            price=Decimal("2000000.00"),
            acquisition=Acquisition(original_value=Decimal("800000.00")),
        ),
        remarks="内部备注",
    )


CREATED = datetime(2024, 5, 6, 9, 30, tzinfo=UTC)


def make_manifest(
    department: Department,
    *,
    case: Case | None = None,
    attachments: list[AttachmentRef] | None = None,
    package_id: uuid.UUID | None = None,
    tax_estimate: Mapping[str, Any] | None = None,
) -> Manifest:
    return build_manifest(
        case or make_case(),
        department,
        package_id=package_id or uuid.uuid4(),
        case_version=1,
        office_code="110105",
        window_id="W01",
        created_at=CREATED,
        attachments=attachments or [],
        tax_estimate=tax_estimate,
    )


def blob(size: int, seed: int = 7) -> tuple[bytes, AttachmentRef]:
    data = bytes((i * 31 + seed) % 251 for i in range(size))
    return data, attachment_ref(data, name=f"scan-{seed}.pdf", media_type="application/pdf")


def reader_for(files: dict[str, bytes]) -> Callable[[AttachmentRef], BinaryIO]:
    def read(ref: AttachmentRef) -> BinaryIO:
        return io.BytesIO(files[ref.sha256])

    return read

"""Sample cases for storage tests (fictitious people; ID numbers with valid check digits)."""

from __future__ import annotations

from forms.case import Case, Party, PartyRole, Property


def sample_case(
    *,
    name: str = "张三",
    id_number: str = "110105199003071239",
    phone: str = "13800138000",
    unit_number: str = "110105001001GB00001F00010001",
    address: str = "北京市朝阳区测试路1号",
) -> Case:
    return Case(
        business_type="transfer_sale",
        parties=[
            Party(role=PartyRole.RIGHT_HOLDER, name=name, id_number=id_number, phone=phone, address=address),
            Party(role=PartyRole.OBLIGOR, name="李四", id_number="110105198501011234", phone="010-6512 3456"),
        ],
        property=Property(unit_number=unit_number, location="朝阳区幸福路8号院3号楼2单元501"),
    )

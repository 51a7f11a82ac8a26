"""Chinese labels of the case model's enumerations."""

from __future__ import annotations

import re

from forms.case import IdType, Relation
from forms.messages import ENUM_LABELS, LABELLED_ENUMS, label, labels_of


def test_every_member_of_every_enumeration_has_a_chinese_label():
    for enum_class in LABELLED_ENUMS:
        for member in enum_class:
            assert re.search(r"[\u4e00-\u9fff]", ENUM_LABELS[member]), member


def test_label_and_labels_of():
    assert label(IdType.PASSPORT) == "护照"
    assert labels_of(Relation)[0] == "配偶"
    assert len(labels_of(IdType)) == len(IdType)

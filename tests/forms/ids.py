"""Builders of valid identifiers for tests (check characters computed, never copied)."""

from __future__ import annotations

from datetime import date

from forms.identifiers import mod11_2_check_char, org_code_check_char, uscc_check_char


def resident_id(birth: date, *, region: str = "110105", sequence: str = "001") -> str:
    """A valid 18-digit number with this address code, birth date and sequence (odd = male)."""
    body = f"{region}{birth:%Y%m%d}{sequence}"
    return body + mod11_2_check_char(body)


def uscc(prefix: str = "91350100", org_body: str = "M000100Y") -> str:
    """A valid credit code from department + category + region and an 8-character org-code body."""
    body = prefix + org_body + org_code_check_char(org_body)
    return body + uscc_check_char(body)

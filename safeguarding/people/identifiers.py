"""NHS number and UPN checks. Syntax only: identity needs a PDS trace (domain.md §2)."""

from __future__ import annotations

import re

import nhs_number

_SEPARATORS = re.compile(r"[\s-]+")


class InvalidNhsNumber(ValueError):
    pass


def clean_nhs_number(raw: str) -> str:
    """Return the ten digits of a valid NHS number, or raise InvalidNhsNumber with a clear message."""
    digits = _SEPARATORS.sub("", raw or "")
    if not digits:
        raise InvalidNhsNumber("Enter an NHS number")
    if not (digits.isascii() and digits.isdigit()):  # str.isdigit() also accepts other scripts' digits
        raise InvalidNhsNumber("An NHS number must contain only numbers, for example 999 012 3454")
    if len(digits) != 10:
        raise InvalidNhsNumber("An NHS number must be 10 digits long")
    if set(digits) == {"0"}:
        raise InvalidNhsNumber("0000000000 is a reserved value, not an NHS number")
    if not nhs_number.is_valid(digits):
        raise InvalidNhsNumber("This NHS number is not valid: check the digits (the last digit is a check digit)")
    return digits


def format_nhs_number(digits: str) -> str:
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}" if len(digits) == 10 else digits


def synthetic_nhs_number(serial: int) -> str:
    """The serial-th valid number in the never-issued 999 test range (999 000 0000 - 999 999 9999)."""
    n = 0
    candidate = 0
    while True:
        first9 = f"999{candidate:06d}"
        check = nhs_number.calculate_checksum(first9)
        if check is not None and check != 10:
            if n == serial:
                return f"{first9}{check}"
            n += 1
        candidate += 1
        if candidate > 999_999:
            raise ValueError("the 999 test range has no more numbers")


_UPN = re.compile(r"^[A-Z][0-9]{11}[0-9A-Z]$")


def clean_upn(raw: str) -> str:
    upn = raw.strip().upper()
    if upn and not _UPN.match(upn):
        raise ValueError("A unique pupil number is 13 characters: a letter, 11 digits, then a digit or letter")
    return upn

"""Fast synthetic identifiers: NHS numbers from the never-issued 999 range, and UPNs.

people.identifiers.synthetic_nhs_number(serial) walks the range from the start on every call, which
is fine for a test but quadratic for 150,000 people. nhs_numbers() yields the same sequence (the
serial-th value it yields equals synthetic_nhs_number(serial)) in one pass.
"""

from __future__ import annotations

from collections.abc import Iterator

_PREFIX_WEIGHTED_SUM = 9 * 10 + 9 * 9 + 9 * 8  # the "999" prefix under weights 10, 9, 8
_WEIGHTS = (7, 6, 5, 4, 3, 2)
_RANGE_END = 1_000_000


def nhs_numbers(after: str = "") -> Iterator[str]:
    """Valid NHS numbers 999 000 0000 - 999 999 9999 in ascending order, starting after `after`.

    A candidate whose modulus-11 check digit would be 10 is never issued and is skipped.
    """
    start = int(after[3:9]) + 1 if after.startswith("999") and len(after) == 10 else 0
    for candidate in range(start, _RANGE_END):
        digits = f"{candidate:06d}"
        total = _PREFIX_WEIGHTED_SUM + sum(int(d) * w for d, w in zip(digits, _WEIGHTS, strict=True))
        check = 11 - total % 11
        if check == 11:
            check = 0
        if check != 10:
            yield f"999{digits}{check}"
    raise RuntimeError("the 999 test range has no more NHS numbers")


_UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


def upn_check_letter(body: str) -> str:
    """The DfE check letter for the 12 characters after it: sum of digit x position (2-13), mod 23."""
    total = sum(int(ch) * position for position, ch in enumerate(body, start=2))
    return _UPN_LETTERS[total % 23]


def upn(la_code: str, establishment: int, year: int, serial: int) -> str:
    """A unique pupil number: check letter, LA code, DfE establishment number, year allocated, serial."""
    body = f"{la_code}{establishment:04d}{year % 100:02d}{serial % 1000:03d}"
    return upn_check_letter(body) + body

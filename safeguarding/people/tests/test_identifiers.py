"""NHS number and unique pupil number checks (people.identifiers)."""

from __future__ import annotations

import pytest

from safeguarding.people.identifiers import (
    InvalidNhsNumber,
    clean_nhs_number,
    clean_upn,
    format_nhs_number,
    synthetic_nhs_number,
)


@pytest.mark.parametrize("typed", ["9990000018", "999 000 0018", "999-000-0018", " 999 000 0018 "])
def test_it_accepts_a_valid_number_with_spaces_or_hyphens(typed):
    assert clean_nhs_number(typed) == "9990000018"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter an NHS number"),
        ("9990000019", "check digit"),
        ("999000001", "must be 10 digits long"),
        ("99900000188", "must be 10 digits long"),
        ("99900000AB", "must contain only numbers"),
        ("９９９０００００１８", "must contain only numbers"),  # full-width digits are not digits we accept
        ("0000000000", "reserved value"),
    ],
)
def test_it_refuses_an_invalid_number_with_a_clear_message(typed, message):
    with pytest.raises(InvalidNhsNumber, match=message):
        clean_nhs_number(typed)


def test_synthetic_numbers_are_valid_and_in_the_999_test_range():
    numbers = [synthetic_nhs_number(n) for n in range(50)]
    assert len(set(numbers)) == 50
    assert all(n.startswith("999") and clean_nhs_number(n) == n for n in numbers)


def test_it_formats_ten_digits_in_groups_of_three_three_and_four():
    assert format_nhs_number("9990000018") == "999 000 0018"
    assert format_nhs_number("12") == "12"


@pytest.mark.parametrize(
    ("typed", "clean"), [("a123456789012", "A123456789012"), ("", ""), ("Z12345678901A", "Z12345678901A")]
)
def test_it_accepts_a_unique_pupil_number(typed, clean):
    assert clean_upn(typed) == clean


@pytest.mark.parametrize("typed", ["123", "1123456789012", "A12345678901", "A1234567890123", "A12345678901-"])
def test_it_refuses_a_malformed_unique_pupil_number(typed):
    with pytest.raises(ValueError, match="13 characters"):
        clean_upn(typed)

"""Whole numbers from addresses and forms: only plain digits within bounds; never an exception."""
import pytest

from services.web.notifications_sent import page_number
from services.web.numbers import whole_number


@pytest.mark.parametrize("text", ["", "²", "٢٠٢٦", "１", "9" * 5000, "-1", "+1", " 1", "1.0", "1e3", "2101", "1999"])
def test_anything_but_plain_digits_in_bounds_is_none(text):
    assert whole_number(text, 2000, 2100) is None


def test_plain_digits_in_bounds_are_the_number():
    assert whole_number("2026", 2000, 2100) == 2026
    assert whole_number("0", 0, 10) == 0


@pytest.mark.parametrize("text", ["²", "9" * 5000, "0", "1000"])
def test_an_odd_page_number_is_the_first_page(text):
    assert page_number(text) == 1

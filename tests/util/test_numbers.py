"""A number as a person or a spreadsheet writes it."""

from __future__ import annotations

import math

import pytest

from journeymap.util.numbers import read_number


@pytest.mark.parametrize(("written", "read"), [
    ("1200", (1200.0, False)),
    ("1,200", (1200.0, False)),
    ("1 200", (1200.0, False)),
    ("1\u00a0200", (1200.0, False)),  # a no-break space, as French spreadsheets group thousands
    ("12_000", (12000.0, False)),
    ("0.42", (0.42, False)),
    ("-3", (-3.0, False)),
    ("45%", (45.0, True)),
    ("12.5 %", (12.5, True)),
    ("  7 \n", (7.0, False)),
    ("1e3", (1000.0, False)),
])
def test_a_written_number_reads_as_its_value(written: str, read: tuple[float, bool]) -> None:
    assert read_number(written) == read


@pytest.mark.parametrize("written", ["", "%", "twelve", "12 apples", "1.2.3", "1\t200", "$5", "%12"])
def test_text_that_is_no_number_reads_as_none(written: str) -> None:
    assert read_number(written) is None


def test_inf_and_nan_are_left_for_the_caller_to_refuse() -> None:
    assert read_number("inf") == (math.inf, False)
    value, percent = read_number("nan%")  # type: ignore[misc]
    assert math.isnan(value) and percent

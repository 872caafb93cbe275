"""The export's per-column fast paths write what ``_cell`` writes, for every kind of value (and a column at once)."""

import datetime as dt
import zoneinfo

import pytest

from pinghu.api.export import FORMULA_STARTS, _cell, _datetime_cell, _text_cell, _text_column

ZONES = [zoneinfo.ZoneInfo("Asia/Shanghai"), zoneinfo.ZoneInfo("Europe/Berlin"), dt.UTC]
TIMES = [
    dt.datetime(2024, 5, 9, 1, 2, 3, 456789, tzinfo=dt.UTC),
    dt.datetime(2024, 3, 31, 0, 59, 59, tzinfo=dt.UTC),  # Berlin's clocks go forward at 01:00 UTC
    dt.datetime(2024, 10, 27, 0, 30, tzinfo=dt.UTC),
    dt.datetime(1999, 12, 31, 23, 59, 59, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai")),
    dt.datetime(999, 1, 2, 3, 4, 5, tzinfo=dt.UTC),  # three-digit years: strftime's own form
    None,
]


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize("value", TIMES)
def test_datetime_cells_are_cells(zone, value):
    assert _datetime_cell(zone)(value) == _cell(value, zone)


def test_a_naive_datetime_is_refused_as_before():
    with pytest.raises(ValueError):
        _datetime_cell(dt.UTC)(dt.datetime(2024, 1, 1))


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "平湖",
        "a,b",
        'say "hi"',
        "line\nbreak",
        "bell\x07",
        "\x00=1",
        *[f"{start}SUM(1)" for start in FORMULA_STARTS],
    ],
)
def test_text_cells_are_cells(value):
    assert _text_cell(value) == _cell(value)


@pytest.mark.parametrize(
    "values",
    [
        (),
        ("平湖", "a,b", None, ""),
        ("平湖", "=SUM(1)", None),  # a formula among plain names
        ("bell\x07", "平湖"),
        (None, None),
        ("平湖", 5),  # not all texts
        tuple(f"{start}x" for start in FORMULA_STARTS),
    ],
)
def test_text_columns_are_their_cells(values):
    assert list(_text_column(values)) == [_text_cell(value) for value in values]

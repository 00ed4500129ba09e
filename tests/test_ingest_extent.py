"""The xlsx used-range guard (`readers._sheet_extent`): a cheap search clears ordinary sheets, larger
ones get the bound from every cell reference, and only a bound over the limit gets the exact scan."""
import pytest

from review.errors import FileTooLargeError
from review.ingest import readers
from review.ingest.readers import MAX_SHEET_CELLS, _check_extent, _sheet_extent


def sheet(cells: list[tuple[str, str]]) -> bytes:
    """Sheet XML with one <c> per (reference, body); body '' for a formatted, empty cell."""
    xml = "".join(f'<c r="{ref}" s="1"/>' if not body else f'<c r="{ref}" t="inlineStr">{body}</c>' for ref, body in cells)
    return f'<worksheet><sheetData><row r="1">{xml}</row></sheetData></worksheet>'.encode()


VALUE = "<is><t>x</t></is>"


def test_a_sheet_within_ZZ9999_is_cleared_without_a_bound():
    assert _sheet_extent(sheet([("A1", VALUE), ("ZZ9999", VALUE)])) is None


@pytest.mark.parametrize("far", ["AAA1", "A10000", "ZZ20000"])
def test_a_reference_past_ZZ9999_gets_the_bound_from_every_reference(far):
    rows, columns, last = _sheet_extent(sheet([("B2", VALUE), (far, VALUE)]))
    assert (rows, columns) == {"AAA1": (2, 703), "A10000": (10_000, 2), "ZZ20000": (20_000, 702)}[far]
    _check_extent((rows, columns, last), "gp.xlsx", "Sheet")  # within the limit: no error


def test_a_value_in_the_last_cell_is_refused_with_its_exact_range():
    extent = _sheet_extent(sheet([("A1", VALUE), ("C3", VALUE), ("XFD1048576", VALUE)]))
    assert extent == (1_048_576, 16_384, "XFD1048576")
    with pytest.raises(FileTooLargeError, match=r"A1:XFD1048576 \(1,048,576 rows x 16,384 columns\)"):
        _check_extent(extent, "gp.xlsx", "Sheet")


def test_formatting_far_away_is_scanned_exactly_and_not_a_used_range():
    assert _sheet_extent(sheet([("A1", VALUE), ("C3", VALUE), ("XFD1048576", "")])) == (3, 3, "C3")


def test_the_quick_clearance_follows_the_limit(monkeypatch):
    monkeypatch.setattr(readers, "MAX_SHEET_CELLS", 100)
    assert _sheet_extent(sheet([("A1", VALUE), ("K20", VALUE)])) == (20, 11, "K20")
    assert MAX_SHEET_CELLS == 20_000_000


# --- the array searches stand in for a regex and substring tests: same answers, byte for byte ---------
_PIECES = [b'r="', b"r", b"=", b'"', b"A", b"Z", b"B", b"a", b"0", b"1", b"9", b"<f", b":f", b"f", b">", b" ", b"<", b":"]


def test_the_far_cell_search_answers_as_the_regex_does():
    import random

    rng = random.Random(1)
    samples = [b"", b'r="', b'r="AAA', b'r="A12345', b'r="AA12345', b'r="AA1234', b'xr="ZZZ1"', b'r="A1234"', b'=r="AAA']
    samples += [b"".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 14))) for _ in range(20_000)]
    for xml in samples:
        assert readers._has_far_cell(xml) == bool(readers._FAR_CELL.search(xml)), xml


def test_the_formula_search_answers_as_substring_tests_do():
    import random

    rng = random.Random(2)
    samples = [b"", b"f", b"<f", b"<f>", b"<f ", b"x:f>", b"x:f ", b"<fx", b"f>", b"<c><v>1</v></c>"]
    samples += [b"".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 10))) for _ in range(20_000)]
    for xml in samples:
        expected = any(needle in xml for needle in (b"<f>", b"<f ", b":f>", b":f "))
        assert readers._has_formula(xml) == expected, xml

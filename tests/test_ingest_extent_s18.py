"""The far-cell search of the xlsx checks (s18: "r=" found as 16-bit values) answers as its regex does."""


def test_the_far_cell_search_answers_as_the_regex_does_in_longer_xml():
    # the array search reads "r=" as one 16-bit value at even and odd offsets and leaves the last bytes to
    # the regex: samples long enough for both, with references at every offset and at the very end
    import random

    from review.ingest import readers

    pieces = [b'r="', b"r", b"=", b'"', b"A", b"Z", b"B", b"a", b"0", b"1", b"9", b"<c ", b">", b" ", b"x"]
    rng = random.Random(18)
    samples = [b"x" * k + b'r="AA12345' for k in range(12)] + [b'r="A12345' + b"x" * k for k in range(12)]
    samples += [b"<c " * k + b'r="ZZZ1"' + b" " * j for k in range(4) for j in range(12)]
    samples += [b"".join(rng.choice(pieces) for _ in range(rng.randint(5, 80))) for _ in range(20_000)]
    for xml in samples:
        assert readers._has_far_cell(xml) == bool(readers._FAR_CELL.search(xml)), xml

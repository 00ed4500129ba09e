"""save_figure checks every format before it writes anything: an unknown one leaves no file behind."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from review.export import save_figure  # noqa: E402


@pytest.fixture
def fig():
    figure, ax = plt.subplots(figsize=(2, 1))
    ax.plot([0, 1], [0, 1])
    yield figure
    plt.close(figure)


def test_an_unknown_format_writes_nothing(fig, tmp_path):
    out = tmp_path / "new" / "sub"
    with pytest.raises(ValueError, match=r"unsupported figure format 'jpg' \(supported: png, svg, pdf\): nothing written"):
        save_figure(fig, "x", out, formats=("png", "jpg"))
    assert not out.exists()
    tmp_path.joinpath("existing").mkdir()
    with pytest.raises(ValueError, match="'jpg', 'gif'"):
        save_figure(fig, "x", tmp_path / "existing", formats=("svg", "jpg", "gif"))
    assert list((tmp_path / "existing").iterdir()) == []


def test_one_format_as_a_string(fig, tmp_path):
    assert save_figure(fig, "x", tmp_path, formats="svg") == [tmp_path / "x.svg"]
    assert [p.name for p in tmp_path.iterdir()] == ["x.svg"]

"""The code fingerprint does not depend on the line endings a checkout gives the package's text files
(git's autocrlf on Windows), but does on their content."""
import shutil
from pathlib import Path

import review.config as config
from review.config import tree_fingerprint

PACKAGE = Path(config.__file__).resolve().parent


def _copy(tmp_path, name):
    out = tmp_path / name
    shutil.copytree(PACKAGE, out, ignore=shutil.ignore_patterns("__pycache__"))
    return out


def test_crlf_checkout_has_the_same_fingerprint(tmp_path):
    lf, crlf = _copy(tmp_path, "lf"), _copy(tmp_path, "crlf")
    changed = 0
    for path in crlf.rglob("*"):
        if path.suffix in (".py", ".yml", ".csv"):
            data = path.read_bytes()
            path.write_bytes(data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
            changed += data != path.read_bytes()
    assert changed > 50
    assert tree_fingerprint(lf) == tree_fingerprint(crlf) == config.code_fingerprint()


def test_a_changed_rule_file_changes_it(tmp_path):
    a, b = _copy(tmp_path, "a"), _copy(tmp_path, "b")
    rules = b / "data" / "rules.yml"
    rules.write_text(rules.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert tree_fingerprint(a) != tree_fingerprint(b)
    (b / "data" / "extra.bin").write_bytes(b"\x00\r\n")
    rules.write_text((a / "data" / "rules.yml").read_text(encoding="utf-8"), encoding="utf-8")
    assert tree_fingerprint(a) != tree_fingerprint(b)  # a new file counts

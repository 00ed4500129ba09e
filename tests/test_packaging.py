"""environment.yml lists the same packages with the same lower bounds as pyproject.toml."""
import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SPEC = re.compile(r"^([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?\s*(>=\s*[0-9.]+)?")


def _parse(requirements):
    out = {}
    for requirement in requirements:
        match = SPEC.match(requirement.strip())
        if match and match.group(1).lower() not in ("review", "python", "pip"):
            out[match.group(1).lower().replace("_", "-")] = (match.group(2) or "").replace(" ", "")
    return out


def test_environment_yml_is_in_step_with_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        declared += [r for r in extra if not r.startswith("review[")]
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    pip = [d for entry in env["dependencies"] if isinstance(entry, dict) for d in entry.get("pip", [])]
    assert _parse(conda + [p for p in pip if not p.startswith("-e")]) == _parse(declared)
    assert "-e .[dev]" in pip

"""requirements.txt and environment.yml must name the same packages with the same ranges."""
from pathlib import Path
import re

ROOT = Path(__file__).resolve().parents[1]
SPEC = re.compile(r"^([A-Za-z0-9_.\-]+)\s*(.*)$")


def _parse(lines):
    pins = {}
    for line in lines:
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("-e"):
            continue
        name, ranges = SPEC.match(line).groups()
        pins[name.lower()] = ranges.replace(" ", "")
    return pins


def pip_pins():
    return _parse((ROOT / "requirements.txt").read_text().splitlines())


def conda_pins():
    deps, in_deps = [], False
    for raw in (ROOT / "environment.yml").read_text().splitlines():
        if raw.startswith("dependencies:"):
            in_deps = True
            continue
        # top-level conda dependencies are "  - name spec"; the nested pip list is deeper
        if in_deps and raw.startswith("  - ") and not raw.startswith("  - pip:"):
            deps.append(raw[4:])
    pins = _parse(deps)
    pins.pop("python")
    pins.pop("pip")
    return pins


def test_same_packages_and_ranges():
    assert pip_pins() == conda_pins()


def test_both_install_the_helpers_package_editable():
    assert "-e ." in (ROOT / "requirements.txt").read_text().splitlines()
    assert "- -e ." in (ROOT / "environment.yml").read_text()


def test_python_floor_is_3_10_everywhere():
    assert "- python>=3.10" in (ROOT / "environment.yml").read_text()
    assert 'requires-python = ">=3.10"' in (ROOT / "pyproject.toml").read_text()

"""Where the course lives, and the launch links built from it.

The repository's address is written once, in pyproject.toml ([project.urls] Repository); everything
that links to the course online (the README's launch links, the book's banner, the notebooks' first
cell) is generated from it here.

    python tools/links.py                 # print the address and every notebook's Colab link
"""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BRANCH = "main"


def repository_url(pyproject: Path = ROOT / "pyproject.toml") -> str:
    """The Repository address in pyproject.toml's [project.urls] table (no trailing slash)."""
    text = pyproject.read_text(encoding="utf-8")
    table = re.search(r"^\[project\.urls\]\s*$(.*?)(?=^\[|\Z)", text, flags=re.M | re.S)
    found = table and re.search(r'^Repository\s*=\s*"([^"]+)"', table.group(1), flags=re.M)
    if not found:
        raise ValueError(f"pyproject must set Repository in [project.urls], got none in {pyproject}")
    return found.group(1).rstrip("/")


def _github_path(url: str) -> str:
    found = re.fullmatch(r"https://github\.com/([^/]+/[^/]+?)(?:\.git)?", url)
    if not found:
        raise ValueError(f"repository url must be https://github.com/OWNER/NAME, got url={url!r}")
    return found.group(1)


def colab_url(notebook: str, url: str | None = None) -> str:
    """Open ``notebook`` (a path from the repository root) in Google Colab."""
    return f"https://colab.research.google.com/github/{_github_path(url or repository_url())}/blob/{BRANCH}/{notebook}"


def binder_url(notebook: str = "notebooks/00_start_here.ipynb", url: str | None = None) -> str:
    """Build the repository on mybinder.org and open ``notebook`` in JupyterLab."""
    return (f"https://mybinder.org/v2/gh/{_github_path(url or repository_url())}/{BRANCH}"
            f"?urlpath=lab/tree/{notebook}")


def install_spec(url: str | None = None) -> str:
    """What pip installs on a hosted kernel that has no helpers: the course's package from git."""
    return f"downhill @ git+{url or repository_url()}"


if __name__ == "__main__":
    print(repository_url())
    for nb in sorted((ROOT / "notebooks").glob("[0-9]*.ipynb")):
        print(colab_url(str(nb.relative_to(ROOT))))

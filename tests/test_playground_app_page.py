"""The `make app` page's notebook (the prelaunch hook in notebooks/app/voila.py) and its culling settings,
without a server (tests/browser/test_playground_app.py loads the page in Chromium)."""

import runpy
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest

from helpers.lessons.playground import STATIC_PREVIEW_TAG, drop_static_preview

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "notebooks" / "app" / "voila.py"


def test_the_projector_page_is_the_title_then_the_live_playground():
    nb = nbformat.read(ROOT / "notebooks" / "playground.ipynb", as_version=4)
    before = len(nb.cells)
    page = drop_static_preview(notebook=nb)
    markdown = [c for c in page.cells if c.cell_type == "markdown"]
    assert [c.source for c in markdown] == ["# Playground"] and page.cells[0] is markdown[0]
    assert not any(STATIC_PREVIEW_TAG in c.metadata.get("tags", []) for c in page.cells)
    assert any("Playground()" in c.source for c in page.cells if c.cell_type == "code")
    assert len(page.cells) < before
    original = nbformat.read(ROOT / "notebooks" / "playground.ipynb", as_version=4)
    assert original.cells[0].source.startswith("# Playground: optimizers")   # the file itself is untouched


def load_config(monkeypatch, **env):
    for k in ("DOWNHILL_CULL_IDLE", "DOWNHILL_CULL_INTERVAL"):
        monkeypatch.delenv(k, raising=False)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    c = SimpleNamespace(VoilaConfiguration=SimpleNamespace(), MappingKernelManager=SimpleNamespace(),
                        KernelManager=SimpleNamespace())
    runpy.run_path(str(CONFIG), init_globals={"c": c})
    return c


def test_culling_defaults_and_their_overrides(monkeypatch):
    c = load_config(monkeypatch)
    assert (c.MappingKernelManager.cull_idle_timeout, c.MappingKernelManager.cull_interval) == (300, 60)
    c = load_config(monkeypatch, DOWNHILL_CULL_IDLE="15", DOWNHILL_CULL_INTERVAL="1")
    assert (c.MappingKernelManager.cull_idle_timeout, c.MappingKernelManager.cull_interval) == (15, 1)
    assert c.MappingKernelManager.cull_connected is False


@pytest.mark.parametrize("name, value", [("DOWNHILL_CULL_IDLE", "0"), ("DOWNHILL_CULL_INTERVAL", "ten"),
                                         ("DOWNHILL_CULL_IDLE", "-5")])
def test_a_bad_culling_setting_is_refused_naming_it(monkeypatch, name, value):
    with pytest.raises(ValueError, match=f"{name}={value!r}"):
        load_config(monkeypatch, **{name: value})

"""Binder: repo2docker installs binder/environment.yml before the repository is copied in, then runs
binder/postBuild inside the copy. Binder itself is out of reach from here; these tests check what can
be checked locally: the files parse, agree with environment.yml, and postBuild installs a working course
into a fresh environment from a copy of the repository."""
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import links  # noqa: E402


def dependencies(path):
    spec = yaml.safe_load(path.read_text())
    return [d for d in spec["dependencies"] if isinstance(d, str)], [d for d in spec["dependencies"] if isinstance(d, dict)]


def test_binder_environment_installs_no_repository_code_and_agrees_with_environment_yml():
    binder, binder_pip = dependencies(ROOT / "binder" / "environment.yml")
    main, _ = dependencies(ROOT / "environment.yml")
    assert binder_pip == [], "nothing through pip: the repository is not there yet when this runs"
    assert set(binder) <= set(main), set(binder) - set(main)
    names = {d.split(">")[0].split("<")[0].split("=")[0] for d in binder}
    assert {"python", "numpy", "matplotlib", "jupyterlab", "ipywidgets", "ipykernel", "voila"} <= names


def test_the_binder_link_opens_notebook_00_in_jupyterlab():
    url = links.binder_url()
    assert url.startswith("https://mybinder.org/v2/gh/") and url.endswith("?urlpath=lab/tree/notebooks/00_start_here.ipynb")
    assert (ROOT / "notebooks" / "00_start_here.ipynb").exists()


def test_postbuild_installs_the_course_into_a_fresh_environment(tmp_path):
    copy = tmp_path / "repo"      # what repo2docker copies in: the repository, without local builds
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(
        ".venv", "node_modules", "build", "dist", "mutants", ".git", "*.egg-info", ".hypothesis", "__pycache__"))
    venv = tmp_path / "env"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    # The conda packages binder/environment.yml would have installed: borrowed from this environment's
    # site-packages through PYTHONPATH (its .pth files, among them the editable install of this
    # checkout, are not read from there, so `helpers` can only come from what postBuild installs).
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV",)}
    env.update(PATH=f"{venv / 'bin'}:{env['PATH']}", PYTHONPATH=sysconfig.get_paths()["purelib"])
    done = subprocess.run(["bash", "binder/postBuild"], cwd=copy, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    settings = venv / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    assert settings.read_text() == (ROOT / "notebooks/app/lab-settings/overrides.json").read_text()
    check = ("import helpers, sys; from helpers.lessons.playground import Playground; Playground(); "
             "print(helpers.__file__)")
    shutil.rmtree(copy)           # the installed copy must not need the repository
    done = subprocess.run([str(venv / "bin" / "python"), "-c", check], cwd=tmp_path, env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip().startswith(str(venv)), done.stdout


def test_the_readme_opens_with_launch_links_generated_from_the_one_address():
    readme = (ROOT / "README.md").read_text()
    assert links.readme_block() in readme, "run: python tools/links.py --readme"
    assert readme.index(links.README_START) < readme.index("## Two commands")
    address = links.repository_url()
    rest = readme.replace(links.readme_block(), "")
    assert address.split("//")[1] not in rest, "the address is typed by hand outside the generated block"
    for nb in links.lessons():
        assert links.colab_url(nb) in readme

"""A plain ``pip install .``: the wheel holds the code, the plan, the directory and the migrations, and its
``tracker`` and ``lutsk-tracker`` commands work from anywhere, with no checkout beside them."""

from __future__ import annotations

import os
import shutil
import site
import sqlite3
import subprocess
import sys
import time
import tomllib
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_every_package_is_listed_for_the_wheel():
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts) for top in ("tracker", "ui")
             for p in (ROOT / top).rglob("__init__.py")}
    assert listed == found | {"tracker.data", "ui.resources"}


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A fresh venv with the built wheel installed (its dependencies come from this environment)."""
    folder = tmp_path_factory.mktemp("install")
    source = folder / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "main.py"):
        shutil.copy(ROOT / name, source)
    for name in ("tracker", "ui", "data", "resources"):
        shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    wheels = folder / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), str(source)],
                   check=True, capture_output=True, timeout=600)
    env_dir = folder / "venv"
    venv.create(env_dir, with_pip=True)
    scripts = env_dir / ("Scripts" if os.name == "nt" else "bin")
    # the dependencies come from this environment's site-packages, listed after the venv's own (where
    # the wheel goes); its .pth files are not run, so this checkout's editable install stays out
    purelib = subprocess.run([str(scripts / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             check=True, capture_output=True, text=True).stdout.strip()
    (Path(purelib) / "_dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n", encoding="utf-8")
    wheel = next(wheels.glob("*.whl"))
    subprocess.run([str(scripts / "python"), "-m", "pip", "install", "-q", "--no-deps", str(wheel)],
                   check=True, capture_output=True, timeout=600)
    return scripts, folder


def _run(installed, *args):
    scripts, folder = installed
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(folder), XDG_CONFIG_HOME=str(folder / "config"))
    return subprocess.run([str(scripts / args[0]), *args[1:]], cwd=folder, env=env, capture_output=True,
                          text=True, encoding="utf-8", timeout=300)


def test_the_installed_code_is_the_wheel_not_this_checkout(installed):
    scripts, folder = installed
    done = _run(installed, "python", "-c",
                "import tracker, tracker.paths as p, ui.images as i; print(tracker.__file__); "
                "print(p.BUNDLED_PLAN.is_file(), p.DIRECTORY_FILE.is_file(), "
                "len(list((i.resources_dir() / 'icons').glob('*.png'))))")
    where, found = done.stdout.splitlines()
    assert Path(where).is_relative_to(folder / "venv") and found == "True True 7", done.stderr


def test_the_command_line_works_from_the_wheel(installed):
    scripts, folder = installed
    database = folder / "cli.sqlite3"
    done = _run(installed, "tracker", "--db", str(database), "init")
    assert done.returncode == 0 and "233 заходи" in done.stdout, done.stderr
    report = folder / "звіт.xlsx"
    done = _run(installed, "tracker", "--db", str(database), "report", "--quarter", "2025Q2", "-o", str(report))
    assert done.returncode == 0 and report.stat().st_size > 10_000, done.stderr


def test_the_window_launcher_starts_the_window_from_the_wheel(installed):
    scripts, folder = installed
    # the first start, as the README's first command makes it: the user's own database, made with the plan (a file
    # named by --db that is not there is asked about first)
    data = folder / "data" / "LutskPlanTracker"
    database = data / "tracker.sqlite3"
    env = {key: value for key, value in os.environ.items() if key != "LUTSK_TRACKER_DB"}
    env.update(QT_QPA_PLATFORM="offscreen", HOME=str(folder), XDG_CONFIG_HOME=str(folder / "config"),
               XDG_DATA_HOME=str(folder / "data"))
    window = subprocess.Popen([str(scripts / "lutsk-tracker")], cwd=folder, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")
    try:
        started = None
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and window.poll() is None and started is None:
            time.sleep(0.5)
            # the start copy is made once the database is open with its plan, just before the window shows
            if any((data / "backups").glob("tracker-*-start.sqlite3")):
                started = True
        assert window.poll() is None, window.communicate()[1]
        assert started, "the window did not open its database in two minutes"
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as check:
            assert check.execute("SELECT count(*) FROM measure").fetchone()[0] == 233
    finally:
        window.terminate()
        _, err = window.communicate(timeout=30)
    assert "Traceback" not in err

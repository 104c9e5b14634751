"""The package as ``pip install .`` installs it (what the Docker image runs), not the source tree.

Everything else runs from the checkout, where a file missing from the package (a migration,
``alembic.ini``) is still found; only an installed copy shows that it would be missing.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from db.migrate import head_revisions

_NOT_SOURCES = shutil.ignore_patterns(".*", "build", "*.egg-info", "__pycache__", "*.db", "*.db-*")


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory holding the project as pip installs it from a wheel, without dependencies."""
    # Built from a copy: setuptools reuses an earlier build's files left in the tree (build/),
    # which would hide a file the package no longer ships.
    source = tmp_path_factory.mktemp("source") / "switchboard"
    shutil.copytree(Path(__file__).resolve().parent.parent, source, ignore=_NOT_SOURCES)
    wheels = tmp_path_factory.mktemp("wheels")
    target = tmp_path_factory.mktemp("site")
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "wheel", "--no-deps", "-w", str(wheels), str(source)], check=True)
    (wheel,) = wheels.glob("switchboard-*.whl")
    subprocess.run([*pip, "install", "--no-deps", "--target", str(target), str(wheel)], check=True)
    return target


def _run_installed(site: Path, cwd: Path, *args: str) -> str:
    """What ``python *args`` prints, run from ``cwd`` with the installed copy first on the path
    (the dependencies still come from this environment)."""
    env = {**os.environ, "PYTHONPATH": str(site), "DATABASE_URL": f"sqlite+aiosqlite:///{cwd}/x.db"}
    done = subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_installed_package_migrates_a_new_database_to_head(installed: Path, tmp_path: Path):
    where = _run_installed(installed, tmp_path, "-c", "import db; print(db.__file__)")
    assert Path(where.strip()).is_relative_to(installed)  # not the checkout

    _run_installed(installed, tmp_path, "-m", "db", "upgrade")
    current = _run_installed(installed, tmp_path, "-m", "db", "current")
    # The head of the checkout's migrations: every one of them shipped.
    assert current.strip() == f"{', '.join(head_revisions())} (head)"


def test_installed_package_imports_the_bot(installed: Path, tmp_path: Path):
    out = _run_installed(
        installed, tmp_path, "-c", "import bot.app, bot.texts; print(bot.texts.__file__)"
    )
    assert Path(out.strip()).is_relative_to(installed)


def test_installed_package_ships_no_test_double(installed: Path, tmp_path: Path):
    assert sorted(path.name for path in installed.iterdir() if (path / "__init__.py").exists()) == [
        "api",
        "bot",
        "db",
        "services",
    ]
    env = {**os.environ, "PYTHONPATH": str(installed)}
    demo = subprocess.run(
        [sys.executable, "-m", "bot", "demo"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert (demo.returncode, demo.stderr.strip()) == (
        2,
        "switchboard: the demo runs from a source checkout: make demo",
    )

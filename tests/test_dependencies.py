"""requirements.lock and requirements-lowest.txt say what pyproject.toml allows.

A bound changed without `make lock` fails here: otherwise `make install` and the Docker image
would install versions outside the bounds, and `make test-lowest` would test versions that are
not the lowest allowed.
"""

import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import NormalizedName, canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent


def direct_requirements(pyproject: str) -> list[Requirement]:
    """The project's dependencies and those of every extra (the dev tools)."""
    project = tomllib.loads(pyproject)["project"]
    extras = project.get("optional-dependencies", {}).values()
    return [Requirement(line) for line in project["dependencies"] + [r for e in extras for r in e]]


def pins(requirements: str) -> dict[NormalizedName, Version]:
    """The version of each ``name==version`` line of a requirements file."""
    pinned = {}
    for line in requirements.splitlines():
        text = line.partition("#")[0].strip()
        if not text:
            continue
        requirement = Requirement(text)
        (specifier,) = requirement.specifier
        assert specifier.operator == "==", f"not a pin: {line}"
        pinned[canonicalize_name(requirement.name)] = Version(specifier.version)
    return pinned


def drift(pyproject: str, lock: str, lowest: str) -> list[str]:
    """What the lock and the lowest-versions file say against pyproject.toml's bounds."""
    locked, lowest_pins = pins(lock), pins(lowest)
    problems = []
    for requirement in direct_requirements(pyproject):
        name = canonicalize_name(requirement.name)
        lower = [Version(s.version) for s in requirement.specifier if s.operator == ">="]
        if not lower:
            problems.append(f"{name} has no lower bound")
        if name not in locked:
            problems.append(f"{name} is not pinned in the lock")
        elif not requirement.specifier.contains(locked[name], prereleases=True):
            problems.append(f"the lock pins {name} {locked[name]}, outside {requirement.specifier}")
        if name not in lowest_pins:
            problems.append(f"{name} is not pinned in the lowest versions")
        elif lower and lowest_pins[name] != max(lower):
            problems.append(
                f"the lowest versions pin {name} {lowest_pins[name]}, the bound is {max(lower)}"
            )
    return problems


def test_lock_and_lowest_versions_follow_pyproject():
    files = ("pyproject.toml", "requirements.lock", "requirements-lowest.txt")
    pyproject, lock, lowest = ((ROOT / name).read_text(encoding="utf-8") for name in files)
    assert drift(pyproject, lock, lowest) == [], "pyproject.toml changed: run `make lock`"


def test_drift_names_each_dependency_out_of_step():
    pyproject = """
[project]
dependencies = ["aiogram>=3.29.1,<4", "aiosqlite>=0.22,<0.23", "asyncpg"]
[project.optional-dependencies]
dev = ["ruff>=0.8"]
"""
    lock = "aiogram==4.0.0\naiosqlite==0.22.1 ; sys_platform == 'linux'\nasyncpg==0.32.0\n"
    lowest = "# written by make lock\naiogram==3.29.1\naiosqlite==0.21.0\nasyncpg==0.29.0\n"
    assert drift(pyproject, lock, lowest) == [
        "the lock pins aiogram 4.0.0, outside <4,>=3.29.1",
        "the lowest versions pin aiosqlite 0.21.0, the bound is 0.22",
        "asyncpg has no lower bound",
        "ruff is not pinned in the lock",
        "ruff is not pinned in the lowest versions",
    ]

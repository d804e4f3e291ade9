"""The lock files: every package pinned with hashes, the run and dev locks agreeing, and each
lock covering what pyproject.toml asks for, so an install never has to resolve anything."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
LOCKS = ROOT / "requirements"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^ \\;]+)")


def read_lock(name: str) -> dict[str, tuple[Version, int]]:
    """Package -> (version, number of hashes) for every requirement in a lock file."""
    pins: dict[str, tuple[Version, int]] = {}
    current = None
    for line in (LOCKS / name).read_text().splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line.startswith(" "):
            match = PIN.match(line)
            assert match, f"{name}: not pinned with ==: {line!r}"
            current = canonicalize_name(match[1])
            pins[current] = (Version(match[2]), 0)
        elif "--hash=sha256:" in line:
            version, hashes = pins[current]
            pins[current] = (version, hashes + 1)
    return pins


def project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


@pytest.mark.parametrize("name", ["installer.lock", "run.lock", "dev.lock"])
def test_every_package_is_pinned_with_a_hash(name):
    pins = read_lock(name)
    assert pins
    assert [package for package, (_, hashes) in pins.items() if hashes == 0] == []


def test_run_and_dev_locks_agree_and_dev_holds_no_less():
    run, dev = read_lock("run.lock"), read_lock("dev.lock")
    assert run.keys() <= dev.keys()
    assert {p: run[p][0] for p in run if run[p][0] != dev[p][0]} == {}


def test_production_lock_holds_no_test_tools():
    run = read_lock("run.lock")
    test_extra = project()["optional-dependencies"]["test"]
    tools = {canonicalize_name(Requirement(r).name) for r in test_extra}
    assert tools & run.keys() == set()


def _unsatisfied(requirements: list[str], pins: dict[str, tuple[Version, int]]) -> list[str]:
    missing = []
    for text in requirements:
        requirement = Requirement(text)
        name = canonicalize_name(requirement.name)
        if name == "inpractice":  # the dev extra names the test extra through the project itself
            continue
        if name not in pins or pins[name][0] not in requirement.specifier:
            missing.append(text)
    return missing


def test_each_lock_covers_what_the_project_asks_for():
    extras = project()["optional-dependencies"]
    assert _unsatisfied(project()["dependencies"], read_lock("run.lock")) == []
    dev_needs = project()["dependencies"] + extras["test"] + extras["dev"]
    assert _unsatisfied(dev_needs, read_lock("dev.lock")) == []


def test_installer_lock_pins_pip_and_the_build_backend():
    installer = read_lock("installer.lock")
    assert {"pip", "setuptools"} <= installer.keys()
    backend = tomllib.loads((ROOT / "pyproject.toml").read_text())["build-system"]["requires"]
    assert _unsatisfied(backend, installer) == []

"""The locks are what gets installed, and they agree with pyproject.toml's ranges (refresh them with `make lock`)."""

from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


def _pins(lock: str) -> dict[str, str]:
    text = (ROOT / lock).read_text()
    pins: dict[str, str] = {canonicalize_name(m.group(1)): m.group(2) for m in map(PIN.match, text.splitlines()) if m}
    assert pins, f"{lock} pins nothing"
    return pins


def _requirements(extra: str | None) -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    listed = project["dependencies"] + (project["optional-dependencies"][extra] if extra else [])
    return [Requirement(line) for line in listed]


@pytest.mark.parametrize(("lock", "extra"), [("requirements.lock", "dev"), ("requirements-prod.lock", None)])
def test_every_requirement_is_pinned_inside_its_range(lock: str, extra: str | None) -> None:
    pins = _pins(lock)
    for requirement in _requirements(extra):
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement.name} is in pyproject.toml but not in {lock}: run `make lock`"
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"{lock} pins {name}=={pins[name]}, outside pyproject.toml's {requirement.specifier}: run `make lock`"
        )


@pytest.mark.parametrize("lock", ["requirements.lock", "requirements-prod.lock"])
def test_every_pin_carries_hashes(lock: str) -> None:
    blocks = re.split(r"\n(?=[A-Za-z0-9])", (ROOT / lock).read_text())
    pinned = [block for block in blocks if PIN.match(block)]
    assert pinned and all("--hash=sha256:" in block for block in pinned)


def test_the_prod_lock_pins_the_same_versions_as_the_dev_lock() -> None:
    dev, prod = _pins("requirements.lock"), _pins("requirements-prod.lock")
    assert {name: dev.get(name) for name in prod} == prod


def test_this_environment_is_the_lock() -> None:
    """CI and `make test` install from requirements.lock: every pinned package is here at its pinned version."""
    wrong = {}
    for name, version in _pins("requirements.lock").items():
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            installed = "missing"
        if canonicalize_name(name) in {"pip", "setuptools"}:
            continue  # the installer's own tools: `pip install --upgrade pip` runs first, on purpose
        if installed != version:
            wrong[name] = (version, installed)
    assert not wrong, f"installed packages differ from requirements.lock (locked, installed): {wrong}"


def test_installs_go_through_the_locks() -> None:
    makefile = (ROOT / "Makefile").read_text()
    assert "--require-hashes -r requirements.lock" in makefile
    assert "make install" in (ROOT / ".ci" / "run").read_text()
    assert "--require-hashes -r requirements-prod.lock" in (ROOT / "Dockerfile").read_text()

"""Packaging: every source folder is an installed package, so a plain install works."""

from __future__ import annotations

import pathlib
import tomllib

ROOT = pathlib.Path(__file__).resolve().parent.parent
MAPPING = {"lang": "tabellion.lang", "runtime": "tabellion.runtime", "stdlib": "tabellion.stdlib",
           "testing": "tabellion.testing"}


def test_every_package_folder_is_listed_in_pyproject():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(config["packages"])
    found = set()
    for folder, package in MAPPING.items():
        for init in (ROOT / folder).rglob("__init__.py"):
            relative = init.parent.relative_to(ROOT / folder)
            found.add(".".join([package, *relative.parts]))
    assert found == listed
    assert config["package-dir"] == {package: folder for folder, package in MAPPING.items()}

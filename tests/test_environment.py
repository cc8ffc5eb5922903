"""environment.yml (conda-forge) lists the same runtime dependencies as pyproject.toml."""

import re
import tomllib

import yaml

from maroc_eval.base import paths


def _name(spec: str) -> str:
    return re.split(r"[<>=!~ ]", spec.strip(), maxsplit=1)[0].lower()


def _spec(spec: str) -> tuple[str, str]:
    return _name(spec), spec.strip()[len(_name(spec)):].replace(" ", "")


def test_environment_matches_pyproject():
    pyproject = tomllib.loads((paths.PROJ_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    env = yaml.safe_load((paths.PROJ_ROOT / "environment.yml").read_text(encoding="utf-8"))
    conda = dict(_spec(d) for d in env["dependencies"] if isinstance(d, str))
    conda.pop("python")
    conda.pop("pip")
    wanted = dict(_spec(d) for d in pyproject["project"]["dependencies"])
    assert conda == wanted


def test_a_conda_user_gets_the_test_tools_too():
    """The pip part installs the package with its ``test`` extras (README: « mêmes
    dépendances », tests included)."""
    env = yaml.safe_load((paths.PROJ_ROOT / "environment.yml").read_text(encoding="utf-8"))
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d)
    assert "-e .[test]" in pip


def test_python_version_agrees():
    pyproject = tomllib.loads((paths.PROJ_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    env = yaml.safe_load((paths.PROJ_ROOT / "environment.yml").read_text(encoding="utf-8"))
    python = next(d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python"))
    assert python.removeprefix("python") == pyproject["project"]["requires-python"]

"""environment.yml (conda-forge) lists the same runtime dependencies as pyproject.toml."""

import re
import tomllib

import yaml

from maroc_eval import paths


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


def test_python_version_agrees():
    pyproject = tomllib.loads((paths.PROJ_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    env = yaml.safe_load((paths.PROJ_ROOT / "environment.yml").read_text(encoding="utf-8"))
    python = next(d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python"))
    assert python.removeprefix("python") == pyproject["project"]["requires-python"]

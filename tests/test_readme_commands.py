"""Issue 26, item 9: every command line the README shows is one the toolkit accepts.

Each ``maroc-eval …`` line of the README (code blocks, indented blocks and inline code) is parsed
by the real command line with ``--aide`` added: an option the command does not have, a command
that does not exist or a value missing after an option fails there, as it would for the user,
without running anything. Each ``make …`` line names a target of the Makefile. The lines cheap
enough to run are also run for real, on a copy of the project; the expensive ones (the battery,
the reports, the servers) are run by their own tests.
"""

from __future__ import annotations

import re
import shlex
import subprocess

import pytest
from click.testing import CliRunner
from project_helpers import cli, copy_project

from maroc_eval.base import i18n, paths
from maroc_eval.cli import main

README = paths.PROJ_ROOT / "README.md"
PLACEHOLDER = re.compile(r"…|\[[^\]]*\]|<[^>]*>")


def _command_lines(text: str) -> list[str]:
    """The command lines of a README, continuation lines joined, comments dropped."""
    found: list[str] = []
    fenced = re.findall(r"^```[^\n]*\n(.*?)^```", text, re.S | re.M)
    indented = re.findall(r"(?m)^ {4}(\S.*)$", re.sub(r"(?ms)^```.*?^```", "", text))
    blocks = [*fenced, "\n".join(indented)]
    for block in blocks:
        joined = re.sub(r"\\\n\s*", " ", block)
        found += [line.split("  #")[0].split(" # ")[0].strip() for line in joined.splitlines()]
    found += re.findall(r"`((?:\.venv/bin/)?maroc-eval [^`]+|make [^`]+)`", text)
    found += [m for m in re.findall(r"`((?:\.venv/bin/)?maroc-eval)`", text)]
    lines = [re.sub(r"^\.venv/bin/", "", line) for line in found]
    return sorted({line for line in lines
                   if line.startswith(("maroc-eval", "make ")) and line != "make"})


LINES = _command_lines(README.read_text("utf-8"))
TOOL_LINES = [line for line in LINES if line.startswith("maroc-eval")]
MAKE_LINES = [line for line in LINES if line.startswith("make ")]


def test_the_readme_shows_commands():
    assert len(TOOL_LINES) >= 20 and len(MAKE_LINES) >= 5
    assert "maroc-eval validate" in TOOL_LINES and "make report" in MAKE_LINES


def _args(line: str) -> list[str]:
    """The arguments of a line, placeholders (« … », « [fichiers] », « <phase> ») left out
    with the option they stand after."""
    words = shlex.split(line)[1:]
    out: list[str] = []
    for word in words:
        if PLACEHOLDER.search(word):
            if out and out[-1].startswith("-"):
                out.pop()
            continue
        out.append(word)
    return out


@pytest.mark.parametrize("line", TOOL_LINES)
def test_each_maroc_eval_line_parses(line):
    args = _args(line)
    spoken = i18n.language()
    try:  # « --langue en » switches the process's language: given back after the parse
        done = CliRunner().invoke(main, [*args, "--aide"] if args else ["--aide"])
    finally:
        i18n.set_language(spoken)
    assert done.exit_code == 0, f"{line}\n{done.output}"
    assert "Utilisation" in done.output or "Usage" in done.output


@pytest.mark.parametrize("line", MAKE_LINES)
def test_each_make_line_names_a_target(line):
    words = shlex.split(line)[1:]
    targets = [w for w in words if "=" not in w]
    makefile = (paths.PROJ_ROOT / "Makefile").read_text("utf-8")
    declared = set(re.findall(r"(?m)^([a-z][\w-]*):", makefile))
    assert targets and set(targets) <= declared, (line, sorted(declared))


RUN_FOR_REAL = ("maroc-eval validate", "maroc-eval summary --phase midterm",
                "maroc-eval summary --partenariat jette-sidi-bibi",
                "maroc-eval comparer --phase final", "maroc-eval nouveau-projet reel")


def test_the_cheap_lines_run_for_real(tmp_path):
    """What the README shows of these commands works as shown (a project copy)."""
    assert set(RUN_FOR_REAL) <= set(TOOL_LINES)
    root = copy_project(tmp_path / "projet")
    for line in RUN_FOR_REAL:
        done = cli(root, *_args(line), check=False)
        assert done.returncode == 0, f"{line}\n{done.stdout}{done.stderr}"
    assert (root / "data" / "reel" / "donnees.yml").is_file()


def test_make_dry_runs_accept_the_readme_variables(tmp_path):
    """``make -n`` of each line: the target and its variables are accepted by make itself."""
    for line in MAKE_LINES:
        words = shlex.split(line)[1:]
        done = subprocess.run(["make", "-n", "-C", str(paths.PROJ_ROOT), *words],
                              capture_output=True, text=True, check=False, timeout=60)
        assert done.returncode == 0, f"{line}\n{done.stderr}"

"""Bad inputs given to `maroc-eval run` (the command that writes outputs): exit 2 before any
kernel starts, a located French message, no traceback, previous outputs byte-for-byte unchanged.

Covers the monitoring-data corpus through ``--donnees`` and broken parameter files through ``-f``.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from maroc_eval.base import paths

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
CLI = Path(sys.executable).with_name("maroc-eval")

DATA_CASES = [  # (corpus file, text the message must contain, "file:line")
    ("text-nd.csv", "n.d.", "text-nd.csv:6"),
    ("date-year.csv", "annee", "date-year.csv:6"),
    ("mixed-separators.csv", "séparateur", "mixed-separators.csv:6"),
    ("binary-garbage.csv", "binary-garbage.csv", "binary-garbage.csv"),
]

PARAM_CASES = [  # (file name, content, text the message must contain, "file:line")
    ("tab.yml", "threshold_late: 0.3\n\tthreshold_met: 1.0\n", "tabulation", "tab.yml:2"),
    ("duplicate.yml", "threshold_late: 0.3\nthreshold_late: 0.2\n", "deux fois", "duplicate.yml:2"),
    ("unknown.yml", "compare_pairs: true\nseuil_retard: 0.3\n", "seuil_retard", "unknown.yml:2"),
    ("escape.yml", "data_dir: ../../etc\n", "data_dir", "escape.yml:1"),
    ("python.yml", "threshold_late: !!python/object/apply:os.getcwd []\n", "python",
     "python.yml:1"),
]


def _digest(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def previous_outputs(battery_outputs, tmp_path_factory) -> Path:
    """A copy of a real previous run: what a failed command must leave untouched."""
    out = tmp_path_factory.mktemp("prev") / "outputs"
    shutil.copytree(battery_outputs, out)
    return out


def _refused_cleanly(args, outputs: Path, cwd: Path, where: str, fragment: str) -> None:
    """`maroc-eval run ARGS` exits 2 with a located message and leaves ``outputs`` as it was."""
    before = _digest(outputs)
    done = subprocess.run([str(CLI), "run", "--sorties", str(outputs), "--quiet", *args],
                          cwd=cwd, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert where in done.stderr
    assert fragment.lower() in done.stderr.lower()
    assert _digest(outputs) == before


@pytest.mark.parametrize(("name", "fragment", "where"), DATA_CASES, ids=[c[0] for c in DATA_CASES])
def test_bad_data_leaves_outputs_untouched(previous_outputs, tmp_path, name, fragment, where):
    data = tmp_path / "donnees"
    shutil.copytree(paths.SAMPLE_DIR, data)
    shutil.copy(CORPUS / name, data / name)
    _refused_cleanly(["--donnees", str(data), "--phase", "midterm"], previous_outputs, tmp_path,
                     where, fragment)


@pytest.mark.parametrize(("name", "content", "fragment", "where"), PARAM_CASES,
                         ids=[c[0] for c in PARAM_CASES])
def test_bad_parameter_file_leaves_outputs_untouched(previous_outputs, tmp_path, name, content,
                                                    fragment, where):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    _refused_cleanly(["-f", str(path), "--phase", "midterm"], previous_outputs, tmp_path, where,
                     fragment)

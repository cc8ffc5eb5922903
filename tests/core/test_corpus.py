"""The bad-input corpus: ``maroc-eval validate`` on each broken file, as a user would run it.

Each case of ``tests/corpus/cases.yml`` must give the expected exit status and a French message
naming the file, line and column, never a traceback, and must leave every file (the corpus file,
the programme, a scratch outputs folder) byte-for-byte unchanged.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml
from hostile_inputs import WRITERS, symlink_loop

from maroc_eval.base import paths
from maroc_eval.core.validation import validate_inputs

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
CASES = yaml.safe_load((CORPUS / "cases.yml").read_text(encoding="utf-8"))
CLI = Path(sys.executable).with_name("maroc-eval")
LARGE_MB = 50


def _tree_digest(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def scratch_root(tmp_path_factory) -> Path:
    """A project copy (params + outputs with a previous run) the command must not touch."""
    root = tmp_path_factory.mktemp("root")
    shutil.copytree(paths.PARAMS_DIR, root / "params")
    (root / "outputs" / "midterm").mkdir(parents=True)
    (root / "outputs" / "midterm" / "ledger.json").write_text('{"runs": []}\n', encoding="utf-8")
    (root / "outputs" / "index.html").write_text("<html>rapport précédent</html>\n",
                                                 encoding="utf-8")
    return root


def _input(case: dict, folder: Path) -> Path:
    """The path validated for a case: its file, or (``dossier: true``) a folder holding it,
    for the checks made on a whole data folder only, or (``appreciation: phase/who``) a copy at
    its place in a data folder's store, ``appreciations/<phase>/<who>.yml``."""
    if case.get("appreciation"):
        target = folder / Path(case["file"]).stem / "appreciations" / f"{case['appreciation']}.yml"
        target.parent.mkdir(parents=True)
        shutil.copy(CORPUS / case["file"], target)
        return target
    if case.get("dossier"):
        holder = folder / Path(case["file"]).stem
        holder.mkdir()
        shutil.copy(CORPUS / case["file"], holder / case["file"])
        return holder
    if case["file"] in ("generated:flood", "generated:junk"):
        return _flood(folder / f"{case['file'].split(':')[1]}.csv", case["file"])
    name = case["file"].removeprefix("generated:")
    if name in WRITERS:
        return WRITERS[name](folder / name)
    if name == "lien-en-boucle.csv":
        return symlink_loop(folder / name)
    if name == "dossier-avec-lien-en-boucle":
        holder = folder / name
        holder.mkdir()
        shutil.copy(CORPUS / "valid.csv", holder / "suivi.csv")
        symlink_loop(holder / "boucle.csv")
        return holder
    if case["file"] == "generated:large":
        path = folder / "enorme.csv"
        row = b"jette-sidi-bibi,RI1.2,2008,1,,Organigramme,ligne de remplissage\n"
        block = row * (1024 * 1024 // len(row) + 1)
        with path.open("wb") as fh:
            fh.write(b"partenariat,indicateur,annee,valeur,ventilation,source,commentaire\n")
            for _ in range(LARGE_MB):
                fh.write(block)
        return path
    return CORPUS / case["file"]


FLOOD_MB = 19


def _flood(path: Path, kind: str) -> Path:
    """19 MB of one mistake repeated: unknown pairs under a good header, or a wrong header."""
    header, row = ((b"partenariat,indicateur,annee,valeur\n", b"x,RI1.2,2009,3\n")
                   if kind == "generated:flood" else (b"x,y,z,w\n", b"x,y,z,w\n"))
    with path.open("wb") as fh:
        fh.write(header)
        fh.write(row * (FLOOD_MB * 1024 * 1024 // len(row)))
    return path


def _run(case: dict, path: Path, root: Path) -> tuple[subprocess.CompletedProcess, str, str]:
    if case.get("programme"):
        args = ["--programme", str(path), str(CORPUS / "valid.csv")]
    else:
        args = ["--programme", str(root / "params" / "programme.yml"), str(path)]
    before = _digest(path)
    env = {**os.environ, "MAROC_EVAL_ROOT": str(root)}
    result = subprocess.run([str(CLI), "validate", *args], cwd=root, env=env,
                            capture_output=True, text=True, timeout=300, check=False)
    return result, before, _digest(path)


def _digest(path: Path) -> str:
    files = sorted(path.rglob("*")) if path.is_dir() else [path]
    return hashlib.sha256(b"".join(f.read_bytes() for f in files if f.is_file())).hexdigest()


@pytest.fixture(scope="module")
def runs(scratch_root, tmp_path_factory) -> dict:
    """Every case run once as a subprocess (a few at a time), with digests before and after."""
    folder = tmp_path_factory.mktemp("generated")
    inputs = {c["file"]: _input(c, folder) for c in CASES}
    tree_before = _tree_digest(scratch_root)
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = {c["file"]: pool.submit(_run, c, inputs[c["file"]], scratch_root) for c in CASES}
        results = {name: (inputs[name], *f.result()) for name, f in futures.items()}
    return {"tree": (tree_before, _tree_digest(scratch_root)), "cases": results}


def _expected_prefix(shown: str, case: dict) -> str:
    where = shown
    if case.get("line") is not None:
        where += f":{case['line']}"
    if case.get("column"):
        where += f":{case['column']}"
    return where + ": " + ("erreur" if case["exit"] else "avertissement") + " : "


def test_corpus_is_large_enough():
    assert len(CASES) >= 40
    assert len({c["file"] for c in CASES}) == len(CASES)
    on_disk = {p.name for p in CORPUS.iterdir()} - {"cases.yml", "make_corpus.py", "__pycache__"}
    assert on_disk == {c["file"] for c in CASES if not c["file"].startswith("generated:")}


@pytest.mark.slow
def test_outputs_folder_untouched(runs):
    before, after = runs["tree"]
    assert before == after
    assert "outputs/index.html" in after


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_validate_on_corpus_case(case, runs):
    path, result, before, after = runs["cases"][case["file"]]
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    assert result.returncode == case["exit"], output
    problems = [line for line in result.stdout.splitlines() if not line.startswith("Validation")]
    if case["kind"] is None:
        assert problems == [], output
    else:
        shown = path / case["file"] if case.get("dossier") else path
        if case.get("entry"):  # the problem is on a file of the folder validated
            shown = path / case["entry"]
        shown = f"{shown}, {case['sheet']}" if case.get("sheet") else str(shown)
        prefix = _expected_prefix(shown, case)
        matching = [line for line in problems if line.startswith(prefix)]
        assert any(case["fragment"] in line for line in matching), (prefix, output)
    assert after == before


@pytest.mark.parametrize("case", [c for c in CASES if c["kind"]
                                  and not c["file"].startswith("generated:")],
                         ids=lambda c: c["file"])
def test_corpus_case_kind(case, tmp_path):
    path = _input(case, tmp_path)
    if case.get("programme"):
        report = validate_inputs([CORPUS / "valid.csv"], path)
    else:
        report = validate_inputs([path], paths.PROGRAMME_FILE)
    assert case["kind"] in {p.kind for p in report.problems}
    assert report.exit_status == case["exit"]

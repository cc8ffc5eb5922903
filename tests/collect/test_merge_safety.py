"""Nothing lost (issue 22, items 1 and 2): two importers racing on one data folder both land
their values, or one is refused and nothing is lost; an importer killed at any write leaves,
for the next command, the complete old values or the complete new ones.

Real processes (``maroc-eval importer``, ``maroc-eval validate``), real SIGKILL; the expected
values are the data folder's before, updated by the rows of the received files as the test
writes them, never computed by the code under test.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from collect_helpers import CHANGED, WRONG_BY, cut_sample
from kill_helpers import cli_code, killed_at

from maroc_eval.base import paths
from maroc_eval.base.transaction import DataTransaction
from maroc_eval.core.validation import validate_inputs

pytestmark = pytest.mark.slow
CLI = str(Path(sys.executable).with_name("maroc-eval"))
HEAD = "partenariat,indicateur,annee,valeur,ventilation,source,commentaire"


def values(data: Path) -> dict[tuple, float]:
    report = validate_inputs([data])
    assert report.exit_status == 0, [p.format() for p in report.errors]
    return {(r.pair, r.indicator, int(r.year), r.dimension, r.category): float(r.value)
            for r in report.observations.itertuples()}


def received(path: Path, rows: list[tuple]) -> dict[tuple, float]:
    """Write a commune's long file; return its values keyed as the data folder's."""
    lines = [HEAD] + [f"{p},{i},{y},{v},{f'{d}={c}' if d else ''},Registre,"
                      for p, i, y, d, c, v in rows]
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return {(p, i, y, d, c): float(v) for p, i, y, d, c, v in rows}


ROWS = {
    "jette-sidi-bibi": [("jette-sidi-bibi", "RI3.3", 2011, "", "", 61),
                        ("jette-sidi-bibi", "RI3.5", 2011, "", "", 40),
                        ("jette-sidi-bibi", "RI3.1", 2011, "sexe", "F", 4)],
    "liege-tanger": [("liege-tanger", "RI3.3", 2011, "", "", 55),
                     ("liege-tanger", "RI3.5", 2011, "", "", 30),
                     ("liege-tanger", "RI3.1", 2011, "sexe", "H", 7)],
}


SAME_PAIR = {  # two files of one pair: one key in both, with two values
    "premier": [("jette-sidi-bibi", "RI3.3", 2011, "", "", 61),
                ("jette-sidi-bibi", "RI3.5", 2011, "", "", 40)],
    "second": [("jette-sidi-bibi", "RI3.3", 2011, "", "", 62),
               ("jette-sidi-bibi", "RI3.1", 2011, "sexe", "F", 4)],
}


def race(tmp_path, files: dict[str, list[tuple]]):
    """Start one importer per file at once; return the data folder's values before, the
    values each file sends and each process's (status, stdout, stderr)."""
    data = cut_sample(tmp_path / "data", keep=())
    before = values(data)
    sent = {name: received(tmp_path / f"{name}.csv", rows) for name, rows in files.items()}
    procs = [subprocess.Popen([CLI, "importer", str(tmp_path / f"{name}.csv"), "--donnees",
                               str(data), "--appliquer"], cwd=tmp_path, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for name in files]
    outcomes = [proc.communicate(timeout=120) for proc in procs]
    outcomes = [(proc.returncode, out, err) for proc, (out, err) in zip(procs, outcomes,
                                                                        strict=True)]
    for status, _out, err in outcomes:
        assert status in (0, 2) and "Traceback" not in err, err
        if status == 2:  # refused after its bounded wait: said, nothing of it written
            assert "rien n'a été écrit" in err, err
    return data, before, sent, outcomes


@pytest.mark.parametrize("trial", range(3))
def test_two_importers_of_two_pairs_at_once_both_land_their_values(tmp_path, trial):
    data, before, sent, outcomes = race(tmp_path, ROWS)
    expected = dict(before)
    for (status, out, _err), pair in zip(outcomes, ROWS, strict=True):
        if status == 0:
            assert "Fusionné : 3 valeurs" in out
            expected.update(sent[pair])
    assert values(data) == expected
    assert [status for status, *_ in outcomes] == [0, 0]  # the second waited for the first


@pytest.mark.parametrize("trial", range(3))
def test_two_importers_of_one_pair_at_once_never_contradict(tmp_path, trial):
    """Both see the folder as the other left it: the later one finds the first's value
    changed (not replaced without --remplacer) and lands the rest; the folder stays valid."""
    data, before, sent, outcomes = race(tmp_path, SAME_PAIR)
    assert [status for status, *_ in outcomes] == [0, 0]
    first, second = sent["premier"], sent["second"]
    one_first = {**before, **second, **first}
    second_first = {**before, **first, **second}
    got = values(data)  # valid: no contradictory duplicate
    assert got in (one_first, second_first)
    later = outcomes[1] if got == one_first else outcomes[0]
    assert "1 valeur modifiée non remplacée" in later[1]


def test_a_second_importer_is_refused_in_french_when_the_lock_stays_taken(tmp_path):
    data = cut_sample(tmp_path / "data", keep=())
    before = values(data)
    received(tmp_path / "jette.csv", ROWS["jette-sidi-bibi"])
    hold = subprocess.Popen([sys.executable, "-c", (
        "import sys, time\nfrom pathlib import Path\n"
        "from maroc_eval.base.transaction import DataTransaction\n"
        "with DataTransaction(Path(sys.argv[1])):\n"
        "    print('held', flush=True)\n    time.sleep(60)\n"), str(data)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert hold.stdout.readline().strip() == "held"
        done = subprocess.run([CLI, "importer", str(tmp_path / "jette.csv"), "--donnees",
                               str(data), "--appliquer", "--attente", "1"], cwd=tmp_path,
                              capture_output=True, text=True, timeout=120, check=False)
    finally:
        hold.kill()
        hold.wait()
    assert done.returncode == 2
    assert "En attente : une autre commande écrit dans le dossier de données" in done.stderr
    assert "est en cours d'écriture par une autre commande (pid " in done.stderr
    assert "rien n'a été écrit" in done.stderr and "Traceback" not in done.stderr
    assert values(data) == before


def test_an_importer_killed_at_any_write_loses_nothing(tmp_path, truth):
    """SIGKILL before each write of ``importer --appliquer --remplacer`` (two new values, one
    replaced): ``validate`` then sees every old value or every new one, never a mix, never a
    value lost; once a kill lands after the journal, the new state is complete."""
    base = cut_sample(tmp_path / "base")  # CHANGED is held wrong, in suivi.csv
    fixed = truth[CHANGED]
    rows = [*ROWS["jette-sidi-bibi"][:2], (*CHANGED, fixed)]
    sent = received(tmp_path / "recu.csv", rows)
    old = values(base)
    assert old[CHANGED] == fixed + WRONG_BY
    new = {**old, **sent}
    finished = False
    outcomes = []
    for step in range(1, 20):
        data = tmp_path / f"data-{step}"
        subprocess.run(["cp", "-a", str(base), str(data)], check=True)
        raw = (data / "suivi.csv").read_bytes()
        done = killed_at(step, cli_code("importer", tmp_path / "recu.csv", "--donnees", data,
                                        "--appliquer", "--remplacer", "--recu-le",
                                        "2012-03-14"), cwd=tmp_path)
        assert done.returncode in (0, -9), done.stderr
        check = subprocess.run([CLI, "validate", str(data)], cwd=tmp_path,
                               capture_output=True, text=True, timeout=120, check=False)
        assert check.returncode == 0, check.stdout + check.stderr
        after = values(data)
        assert after in (old, new), step
        kept = sorted(paths.received_dir(data).glob("*")) if paths.received_dir(data).exists() \
            else []
        assert [p.name for p in kept] == (["2012-03-14-recu.csv"] if after == new else [])
        assert (data / "suivi.csv").read_bytes() == raw  # the commune's file is never edited
        assert not paths.data_journal_path(data).exists()
        assert not list(data.rglob(f"{paths.STAGE_PREFIX}*{paths.STAGE_SUFFIX}"))
        outcomes.append((done.returncode, after == new))
        if done.returncode == 0:
            finished = True
            break
    assert finished and len(outcomes) >= 9  # every write was interrupted once
    assert outcomes[0] == (-9, False) and outcomes[-1] == (0, True)
    states = [is_new for _status, is_new in outcomes]
    assert states == sorted(states)  # old, then new from the first kill after the journal
    with DataTransaction(data):  # and the folder is free for the next writer
        pass

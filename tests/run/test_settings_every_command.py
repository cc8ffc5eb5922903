"""One resolution of settings for every command (issue 26, item 3): a threshold given with
``-p`` to one pair's run gives that pair's report and ``summary -p`` the same status, and the
programme report says which pair was judged with which threshold, from where."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest

from maroc_eval.base import paths

CLI = Path(sys.executable).with_name("maroc-eval")
PAIR = "jette-sidi-bibi"


def cli(*args, cwd=None):
    return subprocess.run([str(CLI), *args], capture_output=True, text=True, check=False,
                          timeout=900, cwd=cwd or paths.PROJ_ROOT)


@pytest.fixture(scope="module")
def one_pair_run(battery_outputs, tmp_path_factory):
    """The battery's outputs, then ``run --pair jette-sidi-bibi --phase midterm -p
    threshold_on_track 0,95`` (Jette's midterm index is 91 %), and the midterm reports."""
    from maroc_eval.report.build import build_reports

    outputs = tmp_path_factory.mktemp("un-partenariat") / "outputs"
    shutil.copytree(battery_outputs, outputs)
    done = cli("run", "--pair", PAIR, "--phase", "midterm", "-p", "threshold_on_track", "0,95",
               "--sorties", str(outputs), "--quiet")
    assert done.returncode == 0, done.stdout + done.stderr
    build_reports(outputs=outputs, phase="midterm", echo=lambda *_: None, formats=("html",))
    return outputs


def _sidecar(outputs, who, stem):
    folder = (paths.programme_dir(outputs, "midterm") if who == "programme"
              else paths.pair_dir(outputs, "midterm", who))
    return json.loads(paths.sidecar_path(folder / f"{stem}.ipynb").read_text("utf-8"))


def _summary_status(*args):
    done = cli("summary", "--phase", "midterm", "--pair", PAIR, *args)
    assert done.returncode == 0, done.stderr
    return next(line for line in done.stdout.splitlines() if "Jette" in line).rsplit("  ", 1)[1]


def test_summary_with_p_gives_the_status_of_the_report(one_pair_run):
    from maroc_eval.base.status import status_label

    pair = _sidecar(one_pair_run, PAIR, "synthese_partenariat")
    assert pair["parameters"]["threshold_on_track"] == 0.95
    assert pair["origins"]["threshold_on_track"] == "carnet"  # given to the notebook
    assert pair["overall_status"] == "en_retard"  # 91 % under 95 %
    assert _summary_status("-p", "threshold_on_track", "0,95") == "En retard" == \
        status_label(pair["overall_status"])
    assert _summary_status("-p", "threshold_on_track", "0.95") == "En retard"
    assert _summary_status() == "En bonne voie"  # without -p: 91 % against 75 %
    text = _text(paths.pair_report_path(one_pair_run, "midterm", PAIR).read_text("utf-8"))
    assert "Ensemble 91 % En retard" in text  # the report's overall status
    assert "Ensemble 91 % En bonne voie" not in text


def test_the_programme_report_says_which_pair_used_which_threshold_from_where(one_pair_run):
    programme = _sidecar(one_pair_run, "programme", "synthese_programme")
    assert programme["pair_settings"][PAIR]["threshold_on_track"] == 0.95
    assert programme["pair_origins"][PAIR]["threshold_on_track"] == "carnet"
    # forest-jerada's own report (the battery's run) used the programme's 75 %
    assert programme["pair_settings"]["forest-jerada"]["threshold_on_track"] == 0.75
    assert programme["pair_origins"]["forest-jerada"]["threshold_on_track"].startswith(
        "programme:")
    html = paths.programme_report_path(one_pair_run, "midterm").read_text("utf-8")
    annex = html[html.index("Paramètres et provenance"):]
    assert "threshold_on_track" not in annex  # the reader sees the setting's label
    rows = _rows(annex, "Seuil « en bonne voie »")
    assert any("Partenariat Jette – Sidi Bibi" in r and "95" in r and "ligne de commande" in r
               for r in rows), rows
    assert any("Partenariat Forest – Jérada" in r and "75" in r and "cadre du programme" in r
               for r in rows), rows
    assert not any("tous les chapitres" in r for r in rows), rows


def _text(html: str) -> str:
    """The text of some HTML, entities decoded and every space (non-breaking too) as one."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def _rows(html: str, name: str) -> list[str]:
    rows = (_text(row) for row in re.findall(r"<tr.*?</tr>", html, re.S))
    return [row for row in rows if name in row]

"""End to end in English: ``maroc-eval run --langue en`` then ``maroc-eval report --langue en``
(real kernels, nbconvert, Chromium, pandoc) with a tiny temporary English catalogue
(``MAROC_EVAL_LOCALE``): everything lands in ``<sorties>/en`` and speaks English."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from english_helpers import write_catalogue

pytestmark = [pytest.mark.kernel, pytest.mark.browser, pytest.mark.slow]

EXE = str(Path(sys.executable).with_name("maroc-eval"))
MESSAGES = {"Résumé exécutif": "Executive summary", "Sommaire": "Contents",
            "Lisez-moi": "Read me", "page {page} / {pages}": "page {page} of {pages}",
            "Rapports d’évaluation — {programme}": "Evaluation reports — {programme}"}


def test_english_run_then_english_report(tmp_path):
    write_catalogue(tmp_path / "locale", MESSAGES)
    env = {**os.environ, "MAROC_EVAL_LOCALE": str(tmp_path / "locale")}
    outputs = tmp_path / "outputs"
    common = ["--langue", "en", "--phase", "midterm", "--sorties", str(outputs)]
    done = subprocess.run([EXE, "run", "--partenariat", "jette-sidi-bibi", "-q", *common],
                          capture_output=True, text=True, env=env, timeout=900, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    done = subprocess.run([EXE, "report", *common], capture_output=True, text=True, env=env,
                          timeout=900, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    english = outputs / "en"
    assert not (outputs / "index.html").exists()  # the French outputs are left alone
    index = (english / "index.html").read_text("utf-8")
    assert '<html lang="en">' in index and "<title>Evaluation reports — " in index
    assert '<span lang="ar" dir="rtl">سيدي بيبي</span>' in index
    folder = english / "midterm" / "jette-sidi-bibi"
    html = (folder / "rapport-midterm-jette-sidi-bibi.html").read_text("utf-8")
    assert '<html lang="en">' in html
    assert re.search(r'<h1 id="[^"]+">Executive summary</h1>', html)
    assert 'rapport-sommaire-titre">Contents</p>' in html
    assert ">Résumé exécutif<" not in html

    from openpyxl import load_workbook
    from pypdf import PdfReader

    assert load_workbook(folder / "annexe-midterm-jette-sidi-bibi.xlsx").sheetnames[0] == \
        "Read me"
    reader = PdfReader(folder / "rapport-midterm-jette-sidi-bibi.pdf")
    footer = re.findall(r"page (\d+) of (\d+)", reader.pages[2].extract_text())
    assert footer == [("3", str(len(reader.pages)))]
    assert (folder / "rapport-midterm-jette-sidi-bibi.docx").stat().st_size > 10_000

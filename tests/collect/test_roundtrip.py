"""The round trip of issue 17: forms for every pair, filled, imported, merged, summarised.

The data folder is the sample cut at 2010 (plus one 2011 value, wrong); the communes « send »
the sample's own 2011 and 2012 values. So the merged folder must summarise exactly as the
sample does (with the wrong value until it is replaced): an expectation that does not come from
the code under test.
"""

from __future__ import annotations

import hashlib
import shutil
from types import SimpleNamespace

import openpyxl
import pytest
from collect_helpers import CHANGED, WRONG_BY, cli, cut_sample, fill_form, imported, imported_rows

from maroc_eval.base import paths
from maroc_eval.collect.form import form_name

YEARS = [2011, 2012]


def fr(x: float) -> str:
    return f"{x:g}".replace(".", ",")


BAD = ("forest-jerada", "RI1.3", 2011, "", "")


def digest(folder):
    """Every file of a data folder by its SHA-256, the lock file aside (a command taking the
    lock writes in it who holds it)."""
    lock = paths.data_lock_path(folder)
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and p != lock}


def summary(data):
    result = cli("summary", "--donnees", data)
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def world(tmp_path_factory, truth):
    """Forms written for every pair, then filled: one bad value, one corrected value."""
    tmp = tmp_path_factory.mktemp("roundtrip")
    data = cut_sample(tmp / "data")
    result = cli("formulaire", "--annees", "2011-2012", "--donnees", data,
                 "--sorties", tmp / "forms")
    assert result.exit_code == 0, result.stderr
    forms = sorted((tmp / "forms").glob("*.xlsx"))
    assert [f.name for f in forms] == sorted(form_name(p, YEARS) for p in
                                            ("schaerbeek-al-hoceima", "jette-sidi-bibi",
                                             "forest-jerada", "liege-tanger",
                                             "auderghem-amerzgane", "bruxelles-tetouan"))
    sent = {k: v for k, v in truth.items() if k[2] in YEARS}
    cells = {}
    for form in forms:
        cells.update(fill_form(form, sent, {BAD: 140}))
    return SimpleNamespace(tmp=tmp, data=data, forms=forms, sent=sent, cells=cells)


def test_the_form_shows_the_known_value_to_be_corrected(world, truth):
    tmp, data, cells = world.tmp, world.data, world.cells
    sheet, ref = cells[CHANGED].split("!")
    path = tmp / "forms" / form_name("liege-tanger", YEARS)
    fresh = tmp / "fresh"
    cli("formulaire", "--annees", "2011-2012", "--partenariat", "liege-tanger", "--donnees",
        data, "--sorties", fresh)
    assert openpyxl.load_workbook(fresh / path.name)[sheet][ref].value == \
        truth[CHANGED] + WRONG_BY


def test_a_bad_value_merges_nothing_and_is_named_by_its_cell(world):
    data, forms, cells = world.data, world.forms, world.cells
    before = digest(data)
    result = cli("importer", *forms, "--donnees", data, "--appliquer", "--remplacer")
    assert result.exit_code == 2
    where = f"{form_name('forest-jerada', YEARS)}, {cells[BAD]}"
    assert f"{where}: erreur : valeur « 140 » — attendu : un pourcentage entre 0 et 100" \
        in result.stderr
    assert "1 erreur," in result.stderr and "Traceback" not in result.stderr
    assert digest(data) == before


def test_after_the_fix_the_diff_then_the_merge(world, truth, tmp_path):
    tmp, data, forms, sent = world.tmp, world.data, world.forms, world.sent
    fill_form(tmp / "forms" / form_name("forest-jerada", YEARS), sent)
    cut = summary(data)
    before = digest(data)

    shown = cli("importer", *forms, "--donnees", data)
    assert shown.exit_code == 0, shown.stderr
    assert digest(data) == before  # nothing merged without --appliquer
    new = len(sent) - 1
    assert f"Nouvelles valeurs : {new}" in shown.stdout
    old, fixed = truth[CHANGED] + WRONG_BY, truth[CHANGED]
    assert f"liege-tanger · RI3.2 · 2011 : {fr(old)} → {fr(fixed)}" in shown.stdout
    assert "Valeurs modifiées (ancienne → nouvelle) : 1" in shown.stdout
    assert "Conflits entre fichiers reçus (non fusionnés) : 0" in shown.stdout

    applied = cli("importer", *forms, "--donnees", data, "--appliquer", "--recu-le",
                  "2012-03-14")
    assert applied.exit_code == 0, applied.stderr
    assert f"Fusionné : {new} valeur" in applied.stdout
    assert "1 valeur modifiée non remplacée" in applied.stdout
    kept = sorted(p.name for p in paths.received_dir(data).iterdir())
    assert kept == sorted(f"2012-03-14-{f.name}" for f in forms)  # their own names kept
    for form in forms:
        assert (paths.received_dir(data) / f"2012-03-14-{form.name}").read_bytes() == \
            form.read_bytes()
    assert cli("validate", data).exit_code == 0
    reference = cut_sample(tmp_path / "wrong", last_year=2012)  # the sample, one value wrong
    assert summary(data) == summary(reference) != cut
    merged = imported(data)
    assert ("forest-jerada,RI1.3,2011," in merged and "formulaire reçu le 2012-03-14 "
            "(recus/2012-03-14-formulaire-forest-jerada-2011-2012.xlsx)" in merged)

    replaced = cli("importer", *forms, "--donnees", data, "--appliquer", "--remplacer",
                   "--recu-le", "2012-03-14")
    assert replaced.exit_code == 0, replaced.stderr
    assert "Fusionné : 1 valeur " in replaced.stdout
    assert len(list(paths.received_dir(data).iterdir())) == len(forms)  # same bytes, same name
    assert cli("validate", data).exit_code == 0
    sample = tmp_path / "sample"
    shutil.copytree(paths.SAMPLE_DIR, sample)
    assert summary(data) == summary(sample)
    [row] = [r for r in imported_rows(data) if r["partenariat"] == "liege-tanger"
             and r["indicateur"] == "RI3.2" and r["annee"] == "2011"]
    suivi = (data / "suivi.csv").read_text("utf-8").splitlines()
    line = next(n for n, text in enumerate(suivi, start=1)
                if text.startswith("liege-tanger,RI3.2,2011,"))
    assert row["remplace"] == f"suivi.csv:{line}={old:g}"  # suivi.csv kept as it was
    assert "remplace" not in row["commentaire"] and "reçu" not in row["source"]

    again = digest(data)
    rerun = cli("importer", *forms, "--donnees", data, "--appliquer", "--remplacer")
    assert rerun.exit_code == 0
    assert "Rien à fusionner" in rerun.stdout and digest(data) == again


def test_received_files_are_not_monitoring_data(tmp_path):
    (tmp_path / "recus").mkdir()
    (tmp_path / "recus" / "2012-03-14-tanger.xlsx").write_bytes(b"PK")
    (tmp_path / "suivi.csv").write_text("partenariat\n", "utf-8")
    assert paths.data_files(tmp_path)[0] == [tmp_path / "suivi.csv"]

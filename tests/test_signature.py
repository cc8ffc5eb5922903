"""The signature record, its manifest of inputs and what changed since a signed version
(``maroc_eval.base.signature``): no kernel, no report."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil

import pytest
import yaml

from maroc_eval.base import paths
from maroc_eval.base.signature import (
    CHANGED,
    SIGNED,
    UNSIGNED,
    Signatory,
    Signature,
    SignatureUnreadable,
    input_files,
    latest_signature,
    manifest,
    next_version,
    read_signature,
    version_folders,
    version_state,
)
from maroc_eval.base.signed_changes import change_summary

PAIR = "forest-jerada"
NOTEBOOKS = ["ri1_service_action_sociale", "ri2_planification_suivi", "ri3_competences_personnel",
             "ri4_infrastructures_sociales", "ri5_elus_budget_social", "ri7_partenariats_locaux",
             "synthese_partenariat"]


@pytest.fixture
def data(tmp_path):
    """A copy of the sample data folder."""
    return shutil.copytree(paths.SAMPLE_DIR, tmp_path / "donnees")


def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def record(inputs: dict[str, str], version="1.0", **kw) -> Signature:
    return Signature("final", PAIR, version, dt.date(2013, 2, 28), dt.date(2013, 3, 4),
                     [Signatory("Nadia Berrada", "cheffe de mission")], inputs,
                     {"rapport.html": "ab" * 32}, **kw)


def test_a_pair_reports_inputs_are_its_data_its_appraisals_up_to_its_phase_params_notebooks(data):
    final = input_files(paths.PROGRAMME_FILE, data, "final", PAIR, ["midterm", "final"])
    assert list(final) == sorted([
        *(f"carnets/{n}.ipynb" for n in NOTEBOOKS),
        f"donnees/appreciations/final/{PAIR}.yml", f"donnees/appreciations/midterm/{PAIR}.yml",
        "donnees/budget.csv", "donnees/donnees.yml", "donnees/suivi.csv",
        "params/evaluation.yml", "params/phases/final.yml", "params/phases/midterm.yml",
        "params/programme.yml"])
    assert final["donnees/suivi.csv"] == data / "suivi.csv"
    # the mid-term report sees neither the final appraisal nor the final parameters
    midterm = input_files(paths.PROGRAMME_FILE, data, "midterm", PAIR, ["midterm"])
    assert f"donnees/appreciations/final/{PAIR}.yml" not in midterm
    assert "params/phases/final.yml" not in midterm
    # the programme rests on every pair's appraisals and on its own synthesis too
    whole = input_files(paths.PROGRAMME_FILE, data, "final", "programme", ["midterm", "final"])
    assert len([n for n in whole if n.startswith("donnees/appreciations/")]) == 14
    assert "carnets/synthese_programme.ipynb" in whole
    # hashes are those of the files' bytes
    assert manifest(final)["donnees/budget.csv"] == sha(data / "budget.csv")


def test_the_record_is_written_and_read_back_as_it_was(tmp_path):
    signed = record({"donnees/suivi.csv": "cd" * 32}, language="fr",
                    tool={"maroc_eval": "0.1.0"})
    (tmp_path / "signature.yml").write_text(signed.dump(), "utf-8")
    text = (tmp_path / "signature.yml").read_text("utf-8")
    assert text.startswith("# Version signée")
    data = yaml.safe_load(text)
    assert data["version"] == "1.0" and data["date_evaluation"] == dt.date(2013, 2, 28)
    assert data["signataires"] == [{"nom": "Nadia Berrada", "fonction": "cheffe de mission"}]
    assert read_signature(tmp_path) == signed


@pytest.mark.parametrize("text", ["", "- a\n- b\n", "version: 1.0\n", "{unclosed: [\n",
                                  "phase: final\npartenariat: x\nversion: deux\n"])
def test_a_folder_without_a_readable_record_is_not_a_signature(tmp_path, text):
    (tmp_path / "signature.yml").write_text(text, "utf-8")
    with pytest.raises(SignatureUnreadable):
        read_signature(tmp_path)


def test_versions_follow_in_numeric_order_and_temporaries_are_not_versions(data):
    assert next_version(None) == "1.0" and next_version("1.0") == "1.1"
    assert next_version("1.9") == "1.10" and next_version(None, "2.0") == "2.0"
    root = paths.signature_dir(data, "final", PAIR)
    for name in ("v1.9", "v1.10", "v1.2", ".v1.11.123.ab.tmp", "notes"):
        (root / name).mkdir(parents=True)
    assert [v for v, _ in version_folders(data, "final", PAIR)] == ["1.2", "1.9", "1.10"]
    # none has a record: there is no signed version to speak of
    assert latest_signature(data, "final", PAIR) is None
    folder = root / "v1.9"
    (folder / "signature.yml").write_text(record({}, version="1.9").dump(), "utf-8")
    found, where = latest_signature(data, "final", PAIR)
    assert (found.version, where) == ("1.9", folder)


def test_the_state_goes_from_unsigned_to_signed_to_a_draft_of_the_next_version(data):
    phases = ["midterm", "final"]
    assert version_state(paths.PROGRAMME_FILE, data, "final", PAIR, phases).kind == UNSIGNED
    files = input_files(paths.PROGRAMME_FILE, data, "final", PAIR, phases)
    folder = paths.signed_version_dir(data, "final", PAIR, "1.0")
    (folder / "appreciations" / "final").mkdir(parents=True)
    store = paths.appraisals_dir(data) / "final" / f"{PAIR}.yml"
    shutil.copyfile(store, folder / "appreciations" / "final" / f"{PAIR}.yml")
    inputs = {name: sha(path) for name, path in files.items()}  # computed here, with hashlib
    (folder / "signature.yml").write_text(record(inputs).dump(), "utf-8")

    state = version_state(paths.PROGRAMME_FILE, data, "final", PAIR, phases)
    assert (state.kind, state.version, state.changes) == (SIGNED, "1.0", None)
    # the other pairs and the mid-term report are not signed
    assert version_state(paths.PROGRAMME_FILE, data, "midterm", PAIR, ["midterm"]).kind == \
        UNSIGNED

    text = store.read_text("utf-8")
    store.write_text(text.replace("    note: C\n", "    note: D\n", 1), "utf-8")
    (data / "budget.csv").write_text((data / "budget.csv").read_text("utf-8") + "\n", "utf-8")
    state = version_state(paths.PROGRAMME_FILE, data, "final", PAIR, phases)
    assert (state.kind, state.version) == (CHANGED, "1.1")
    assert state.changes.changed == ["donnees/appreciations/final/forest-jerada.yml",
                                     "donnees/budget.csv"]
    [grade] = state.changes.places["donnees/appreciations/final/forest-jerada.yml"]
    assert (grade.place, grade.before, grade.after) == (("questions", "QE1", "note"), "C", "D")
    assert change_summary(state.changes) == ("QE1 — note : C → D ; données : budget.csv "
                                             "(modification)")
    # put back as signed: the report is the signed version again
    store.write_text(text, "utf-8")
    (data / "budget.csv").write_bytes((paths.SAMPLE_DIR / "budget.csv").read_bytes())
    assert version_state(paths.PROGRAMME_FILE, data, "final", PAIR, phases).kind == SIGNED

"""One name per setting (issue 24, item 5) and the decimal comma (issue 26, item 4)."""

from __future__ import annotations

import re
import shutil

import pytest

from maroc_eval.base import paths
from maroc_eval.base.errors import ParameterError
from maroc_eval.core.matrix_items import Verification
from maroc_eval.core.programme import load_programme
from maroc_eval.core.setting_registry import SETTINGS, THRESHOLD_NAMES, number
from maroc_eval.core.settings import load_layer, resolve_settings, settings_problems
from maroc_eval.core.summary import summary_lines
from maroc_eval.core.thresholds import Thresholds
from maroc_eval.core.validation import validate_inputs
from maroc_eval.report.provenance import PARAMETER_LABELS, RATIO_PARAMETERS
from maroc_eval.run.parameters import notebook_parameters, parse_cli_value


@pytest.fixture(autouse=True)
def french():
    """These tests read French messages and statuses, whatever an earlier test left."""
    from maroc_eval.base import i18n

    before = i18n.language()
    i18n.set_language("fr")
    yield
    i18n.set_language(before)


def test_every_layered_setting_of_the_notebooks_is_in_the_registry_under_its_one_name():
    cells = {}
    for nb in paths.NOTEBOOKS_DIR.glob("*.ipynb"):
        cells.update(notebook_parameters(nb))
    layered = {n for n, p in cells.items() if p.default is None and p.kind is not None} - {
        "data_dir", "output_dir", "sidecar_path", "results_dir", "langue", "first_year",
        "last_year"}
    assert layered == set(SETTINGS)
    assert tuple(Thresholds.model_fields) == THRESHOLD_NAMES == (
        "threshold_met", "threshold_on_track", "threshold_late")
    for name, spec in SETTINGS.items():  # the annex shows the registry's label
        assert PARAMETER_LABELS[name] == spec.label
    assert {*THRESHOLD_NAMES, "min_share_women"} == RATIO_PARAMETERS


def test_the_sample_programme_writes_the_one_name_and_has_no_warning():
    text = paths.PROGRAMME_FILE.read_text("utf-8")
    assert "threshold_on_track: 0.75" in text and "en_bonne_voie:" not in text
    assert load_programme().notices == []


@pytest.fixture
def old_programme(tmp_path):
    """The sample programme with its thresholds under their former French names."""
    text = paths.PROGRAMME_FILE.read_text("utf-8")
    text = re.sub(r"threshold_met: 1.0[^\n]*", "atteint: 1.0", text)
    text = re.sub(r"threshold_on_track: 0.75[^\n]*", "en_bonne_voie: 0.95", text)
    text = re.sub(r"threshold_late: 0.40[^\n]*", "en_retard: 0.40", text)
    path = tmp_path / "programme.yml"
    path.write_text(text, "utf-8")
    return path, text.splitlines().index("  en_bonne_voie: 0.95") + 1


def test_a_former_name_is_still_read_with_a_located_warning(old_programme):
    path, line = old_programme
    programme = load_programme(path)
    assert programme.thresholds.threshold_on_track == 0.95
    report = validate_inputs([paths.SAMPLE_DIR], path)
    found = [p for p in report.warnings if p.kind == "former-name"]
    assert len(found) == 3
    on_track = next(p for p in found if p.column == "seuils.en_bonne_voie")
    assert on_track.line == line and on_track.file.endswith("programme.yml")
    assert "« threshold_on_track »" in on_track.format() and "avertissement" in on_track.format()
    assert report.exit_status == 0


def _status(programme, phase="midterm", pair="jette-sidi-bibi", layers=()):
    from maroc_eval.core.dataset import read_dataset

    dataset = read_dataset(paths.resolved(programme.source), paths.SAMPLE_DIR)
    line = next(x for x in summary_lines(programme, dataset.for_phase(phase).observations,
                                         phase, (pair,), tuple(layers)) if "Jette" in x)
    return line.rsplit("  ", 1)[1]


def test_a_threshold_changed_in_the_programme_file_changes_the_status(old_programme, tmp_path):
    """Jette's midterm index is 91 %: « en bonne voie » at 75 %, « en retard » at 95 %, whether
    the programme file writes the former or the one name."""
    assert _status(load_programme()) == "En bonne voie"
    assert _status(load_programme(old_programme[0])) == "En retard"
    new = tmp_path / "nouveau.yml"
    new.write_text(old_programme[0].read_text("utf-8").replace(
        "en_bonne_voie: 0.95", "threshold_on_track: 0.95"), "utf-8")
    assert load_programme(new).notices == [p for p in load_programme(new).notices
                                           if p.column != "seuils.en_bonne_voie"]
    assert _status(load_programme(new)) == "En retard"


@pytest.mark.parametrize(("typed", "value"), [("0,9", 0.9), ("0.9", 0.9), (" 1,25 ", 1.25),
                                              ("3", 3), (",5", 0.5)])
def test_a_number_is_read_with_a_decimal_comma_or_point(typed, value):
    assert number(typed) == value
    assert parse_cli_value(typed, float) == float(value)


def test_a_text_that_is_no_number_stays_text():
    assert number("0,9,1") == "0,9,1" and number("1 000") == "1 000"
    assert parse_cli_value("0,9", str) == "0,9"  # a text parameter keeps what was typed
    assert parse_cli_value("[0,9]", None) == [0, 9]  # a list stays a list


def test_the_decimal_comma_reaches_the_status_from_every_layer(programme, tmp_path):
    pair_file = tmp_path / "p.yml"
    pair_file.write_text('threshold_on_track: "0,95"\nmin_share_women: 0,5\n', "utf-8")
    layer = load_layer(pair_file, "file")
    assert layer.values == {"threshold_on_track": 0.95, "min_share_women": 0.5}
    settings = resolve_settings(programme, "midterm", "jette-sidi-bibi", layers=[layer])
    assert settings.thresholds.threshold_on_track == 0.95
    assert settings_problems(settings, programme) == []
    typed_in_cell = resolve_settings(programme, "midterm", "jette-sidi-bibi",
                                     {"threshold_on_track": "0,95"}, layers=[])
    assert typed_in_cell.thresholds.threshold_on_track == 0.95
    assert _status(programme, layers=[layer]) == "En retard"


def test_one_validation_says_each_refused_setting_with_its_origin(programme, tmp_path):
    path = tmp_path / "p.yml"
    path.write_text("min_share_women: 30\nper_inhabitants: 0\nthreshold_on_track: 80\n"
                    "maturity_reference: demain\n", "utf-8")
    settings = resolve_settings(programme, "midterm", "jette-sidi-bibi",
                                layers=[load_layer(path, "file")])
    problems = settings_problems(settings, programme)
    where = f"file:{path}"
    assert problems == [
        f"{where} : paramètre « min_share_women » = « 30 » : attendu un nombre entre 0 et 1 : "
        "vouliez-vous 0,3 ?",
        f"{where} : paramètre « per_inhabitants » = « 0 » : attendu un nombre d'au moins 1.",
        f"{where} : Paramètre threshold_on_track = « 80 » : attendu un seuil entre 0 et 2 "
        "(1 = 100 % de réalisation) : vouliez-vous 0,8 ?",
        f"{where} : paramètre « maturity_reference » = « demain » : attendu une phase du "
        "programme, midterm ou final.",
    ]


def test_a_matrix_test_names_a_threshold_by_its_one_name():
    test = Verification.model_validate({"indicateurs": ["RI1.1"], "seuil": "threshold_on_track"})
    assert test.threshold in THRESHOLD_NAMES


def test_an_analysis_argument_is_used_checked_and_recorded(tmp_path):
    """``ri.analysis(min_share_women=…)`` used to ignore its argument."""
    from maroc_eval.notebook.context import open_context
    from maroc_eval.notebook.riview import RIView

    out = tmp_path / "out"
    shutil.copytree(paths.SAMPLE_DIR, tmp_path / "data")
    ctx = open_context("ri3_competences_personnel", phase="midterm", pair="jette-sidi-bibi",
                       data_dir=str(tmp_path / "data"), output_dir=str(out))
    view = RIView(ctx, "RI3")
    assert ctx.setting("min_share_women") is None
    view.analysis(min_share_women=0.6)
    assert ctx.setting("min_share_women") == 0.6
    assert ctx.settings.origins["min_share_women"] == "carnet"
    assert ctx.parameters["min_share_women"] == 0.6  # what the sidecar records
    with pytest.raises(ParameterError, match="attendu un nombre entre 0 et 1"):
        view.analysis(min_share_women=60)
    view.analysis(min_share_women=None)  # None: left to the layers (here: unchanged)
    assert ctx.setting("min_share_women") == 0.6

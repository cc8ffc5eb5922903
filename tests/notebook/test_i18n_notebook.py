"""What notebooks render, in French (unchanged) and in English (through a tiny catalogue built
here), the evaluators' bilingual prose, and how a notebook chooses its language."""

from __future__ import annotations

import textwrap

import pytest
from i18n_helpers import MARKER_EN, MARKER_FR, write_catalogue

from maroc_eval.base import i18n, paths
from maroc_eval.base.errors import ParameterError
from maroc_eval.core.appraisal import localised
from maroc_eval.core.appraisal_store import appraisal_path, read_appraisals
from maroc_eval.core.matrix import load_matrix
from maroc_eval.core.project import Project
from maroc_eval.notebook import annex_blocks, charts, conclusion_blocks, ri_specific
from maroc_eval.notebook.context import notebook_language, open_context
from maroc_eval.notebook.display import figure_text

ENGLISH = {
    "Matrice d’évaluation": "Evaluation matrix",
    "Critère": "Criterion",
    "Critères de jugement": "Judgement criteria",
    "en construction": "under construction",
    " — plus bas = mieux": " — lower is better",
    "Trajectoire cible": "Target path",
    "Partenariat": "Pair",
    "Autres partenariats": "Other pairs",
    "Graphique": "Chart",
    "Conclusions": "Conclusions",
    "Recommandation": "Recommendation",
    MARKER_FR: MARKER_EN,
}


@pytest.fixture
def speak():
    """Switch the language for one test; French again afterwards."""
    yield i18n.set_language
    i18n.set_language("fr")
    i18n._translations.cache_clear()


@pytest.fixture
def english(tmp_path, monkeypatch, speak):
    """English through a temporary catalogue (the real one is written at the end)."""
    monkeypatch.setattr(paths, "LOCALE_DIR", write_catalogue(tmp_path / "locale", ENGLISH))
    i18n._translations.cache_clear()
    speak("en")


@pytest.fixture(scope="module")
def matrix(programme):
    return load_matrix(programme)


# -- package-rendered text -------------------------------------------------------------------
def test_a_table_and_its_caption_in_french_then_in_english(programme, matrix, english, speak):
    speak("fr")
    french = str(annex_blocks.matrix_annex(programme, matrix))
    assert "<caption>Matrice d’évaluation</caption>" in french
    assert "<th>Critère</th>" in french and "Evaluation matrix" not in french
    speak("en")
    html = str(annex_blocks.matrix_annex(programme, matrix))
    assert "<caption>Evaluation matrix</caption>" in html
    assert "<th>Criterion</th>" in html and "<th>Judgement criteria</th>" in html
    assert "Matrice d’évaluation" not in html
    # a header the tiny catalogue does not know stays French (gettext's fallback)
    assert "<th>Indicateurs</th>" in html


def test_labels_constants_and_chart_titles_in_english(programme, english):
    assert ri_specific.maturity_label(0.3) == "under construction"  # N_ constant, translated late
    title = charts.panel_title(programme.indicator_map["RI4.4"])    # a ↓ indicator
    assert title.endswith("lower is better") and "plus bas" not in title


def test_chart_legend_and_text_alternative_in_english(programme, english):
    from maroc_eval.core.observations import load_observations

    obs = load_observations([paths.SAMPLE_OBSERVATIONS], programme)
    fig = charts.trend_grid(programme, obs, "jette-sidi-bibi", "midterm",
                            programme.indicators_of("RI3")[:2], list(range(2007, 2011)))
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == ["Pair", "Target path", "Other pairs"]
    import matplotlib.pyplot as plt

    empty = plt.figure()
    assert figure_text(empty) == "Chart"
    plt.close("all")


def test_french_output_is_the_source_text(programme):
    assert i18n.language() == "fr"
    assert ri_specific.maturity_label(0.3) == "en construction"
    assert charts.panel_title(programme.indicator_map["RI4.4"]).endswith("plus bas = mieux")


# -- the evaluators' prose in two languages --------------------------------------------------
BILINGUAL = textwrap.dedent("""\
    partenariat: jette-sidi-bibi
    phase: midterm
    resultats:
      RI1:
        note: B
        appreciation: {fr: "Service créé en 2009.", en: "Service set up in 2009."}
        justification: {fr: "Progrès réguliers."}
    conclusions:
      - {id: C1, texte: {fr: "Le service existe.", en: "The service exists."}}
      - {id: C2, texte: "Le suivi reste faible."}
    """)


def _read(tmp_path, programme, text, matrix=None):
    path = appraisal_path(tmp_path, "midterm", "jette-sidi-bibi")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    found, problems = read_appraisals(tmp_path, programme, matrix)
    return found, problems


def test_both_forms_are_read_french_kept_english_beside(programme, tmp_path):
    found, problems = _read(tmp_path, programme, BILINGUAL)
    assert not problems.errors
    grade = found.ri("midterm", "jette-sidi-bibi", "RI1")
    assert (grade.text, grade.justification) == ("Service créé en 2009.", "Progrès réguliers.")
    assert found.english == {"Service créé en 2009.": "Service set up in 2009.",
                             "Le service existe.": "The service exists."}
    ev = found.evaluation("midterm", "jette-sidi-bibi")
    assert [c.text for c in ev.conclusions] == ["Le service existe.", "Le suivi reste faible."]
    assert ev.english["Le service existe."] == "The service exists."
    # what the phase's view keeps
    assert found.only(["midterm"]).english == found.english


def test_english_shown_when_given_else_french_with_the_marker(programme, tmp_path, english):
    found, _problems = _read(tmp_path, programme, BILINGUAL)
    english_map = found.english
    assert localised("Service créé en 2009.", english_map) == "Service set up in 2009."
    assert localised("Progrès réguliers.", english_map) == f"Progrès réguliers. {MARKER_EN}"
    ev = found.evaluation("midterm", "jette-sidi-bibi")
    html = str(conclusion_blocks.conclusions_block(load_matrix(programme), ev))
    assert "C1. The service exists." in html
    assert f"C2. Le suivi reste faible. {MARKER_EN}" in html


def test_french_output_never_carries_the_marker(programme, tmp_path, speak):
    found, _problems = _read(tmp_path, programme, BILINGUAL)
    speak("fr")
    for text in ("Service créé en 2009.", "Progrès réguliers.", "Le suivi reste faible."):
        assert localised(text, found.english) == text
    html = str(conclusion_blocks.conclusions_block(
        load_matrix(programme), found.evaluation("midterm", "jette-sidi-bibi")))
    assert "C1. Le service existe." in html and "C2. Le suivi reste faible." in html
    assert MARKER_FR not in html and MARKER_EN not in html and "The service" not in html


def test_english_without_a_catalogue_marks_with_the_french_source(speak, monkeypatch, tmp_path):
    monkeypatch.setattr(paths, "LOCALE_DIR", tmp_path)  # no catalogue at all
    i18n._translations.cache_clear()
    speak("en")
    assert localised("Texte.", {}) == f"Texte. {MARKER_FR}"


def test_bad_bilingual_texts_are_located_all_at_once(programme, tmp_path):
    text = textwrap.dedent("""\
        resultats:
          RI1:
            note: B
            appreciation: {fr: "Un constat.", de: "Ein Befund."}
            justification: {en: "Only English."}
        conclusions:
          - {id: C1, texte: {fr: [1, 2]}}
        """)
    _found, problems = _read(tmp_path, programme, text)
    found = sorted((p.line, p.column, p.kind) for p in problems.errors)
    assert found == [(4, "resultats.RI1.appreciation.de", "unknown-key"),
                     (5, "resultats.RI1.justification.fr", "missing-key"),
                     (7, "conclusions.0.texte.fr", "missing-key")]
    messages = " ".join(p.expected for p in problems.errors)
    assert "une langue (fr, en)" in messages and "le texte en français (clé « fr »)" in messages


# -- the notebook's language -----------------------------------------------------------------
@pytest.mark.parametrize(("explicit", "project", "environ", "expected"), [
    ("en", "fr", {"LANG": "fr_FR.UTF-8"}, "en"),      # the parameter wins
    ("fr", "en", {"LANG": "en_GB.UTF-8"}, "fr"),
    (None, "en", {"LANG": "fr_FR.UTF-8"}, "en"),      # then params/projet.yml
    (None, None, {"LANG": "en_US.UTF-8"}, "en"),      # then the environment
    (None, None, {"LC_ALL": "fr_BE.UTF-8", "LANG": "en_US.UTF-8"}, "fr"),
    (None, None, {}, "fr"),                           # French by default
])
def test_language_resolution_order(tmp_path, explicit, project, environ, expected):
    found = notebook_language(explicit, Project(tmp_path, "projet.yml", project), environ)
    assert found == expected


def test_an_unknown_language_is_a_french_parameter_error():
    with pytest.raises(ParameterError) as err:
        notebook_language("de", None, {})
    assert "Paramètre langue = « de »" in str(err.value)
    assert "attendu fr ou en" in str(err.value)


def test_opening_a_context_sets_and_records_the_language(tmp_path, speak):
    ctx = open_context("ri1_service_action_sociale", phase="midterm", pair="jette-sidi-bibi",
                       output_dir=tmp_path, langue="en")
    assert i18n.language() == "en" and ctx.language == "en"
    assert ctx.parameters["langue"] == "en"
    speak("fr")
    ctx = open_context("ri1_service_action_sociale", phase="midterm", pair="jette-sidi-bibi",
                       output_dir=tmp_path, langue="fr")
    assert i18n.language() == "fr" and ctx.parameters["langue"] == "fr"


# -- a real kernel -----------------------------------------------------------------------------
@pytest.mark.kernel
@pytest.mark.slow
def test_an_ri_notebook_run_in_english(tmp_path, monkeypatch):
    """papermill runs RI 1 with ``langue="en"``; the kernel finds the temporary catalogue
    through ``MAROC_EVAL_LOCALE`` (it inherits the environment)."""
    import json

    import nbformat
    import papermill as pm

    from maroc_eval.base import catalogue

    locale = write_catalogue(tmp_path / "locale", {
        "Indicateur": "Indicator", "Réalisation": "Achievement", "Statut": "Status",
        "Appréciation de l’équipe d’évaluation": "The evaluation team's appraisal"})
    monkeypatch.setenv("MAROC_EVAL_LOCALE", str(locale))
    out_dir, target = tmp_path / "out", tmp_path / "ri1-en.ipynb"
    spec = catalogue.ri_notebook("RI1")
    pm.execute_notebook(str(spec.path), str(target),
                        parameters={"pair": "jette-sidi-bibi", "phase": "midterm",
                                    "output_dir": str(out_dir), "langue": "en"},
                        kernel_name="python3", cwd=str(paths.PROJ_ROOT), progress_bar=False,
                        execution_timeout=300)
    nb = nbformat.read(target, as_version=4)
    html = "".join(o.get("data", {}).get("text/html", "") for c in nb.cells
                   if c.cell_type == "code" for o in c.outputs)
    assert "<th>Indicator</th>" in html and "<th>Achievement</th>" in html
    assert "<th>Status</th>" in html
    assert "<p class=\"me-cadre-titre\"><strong>The evaluation team&#x27;s appraisal</strong>" \
        in html
    assert "<th>Réalisation</th>" not in html and "<th>Indicateur</th>" not in html
    sidecar = paths.sidecar_path(paths.pair_dir(out_dir, "midterm", "jette-sidi-bibi")
                                 / f"{spec.stem}.ipynb")
    assert json.loads(sidecar.read_text(encoding="utf-8"))["parameters"]["langue"] == "en"

"""The sample reports read as evaluations: every question answered with its evidence, a verdict
on the objective, numbered conclusions and recommendations (addressee, priority, deadline),
lessons and the follow-up of the mid-term at the end, the phase's own vocabulary, verdicts that
agree with the tables, and prose specific to each pair.

All checks read the 14 built HTML reports as text (``sample_reports``); expected values come from
the judgements file and the evaluation matrix, read here directly with PyYAML.
"""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from maroc_eval import paths
from maroc_eval.core.programme import load_programme

pytestmark = [pytest.mark.kernel, pytest.mark.slow]

PROGRAMME = load_programme()
MATRIX = yaml.safe_load(paths.evaluation_file(paths.PROGRAMME_FILE).read_text("utf-8"))
JUDGED = yaml.safe_load(paths.SAMPLE_JUDGEMENTS.read_text("utf-8"))
ADDRESSEES = MATRIX["destinataires"]
STATES = MATRIX["etats_suivi"]


class _Text(HTMLParser):
    """Text of a report: all of it, and its paragraphs and list items outside tables."""

    def __init__(self):
        super().__init__()
        self.all: list[str] = []
        self.items: list[str] = []
        self._table = 0
        self._skip = 0
        self._buf: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._table += 1
        elif tag in ("script", "style"):
            self._skip += 1
        elif tag in ("p", "li") and not self._table:
            self._buf = []
        if tag in ("p", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "caption", "div"):
            self.all.append("\n")

    def handle_endtag(self, tag):
        if tag == "table":
            self._table -= 1
        elif tag in ("script", "style"):
            self._skip -= 1
        elif tag in ("p", "li") and self._buf is not None:
            self.items.append(" ".join("".join(self._buf).split()))
            self._buf = None

    def handle_data(self, data):
        if self._skip:
            return
        self.all.append(data)
        if self._buf is not None:
            self._buf.append(data)


def _read(path: Path) -> _Text:
    parser = _Text()
    parser.feed(path.read_text("utf-8"))
    return parser


def _report(outputs: Path, phase: str, pair: str) -> _Text:
    return _read(paths.pair_report_path(outputs, phase, pair))


def _text(outputs, phase, pair) -> str:
    return " ".join("".join(_report(outputs, phase, pair).all).split())


@pytest.mark.parametrize("phase", ["midterm", "final"])
def test_every_question_is_answered_with_its_verdict(sample_reports, phase):
    scale = {r.code: r.label for r in PROGRAMME.scale}
    for pair in PROGRAMME.pair_codes:
        text = _text(sample_reports, phase, pair)
        for q in MATRIX["questions"]:
            answer = JUDGED[phase][pair]["questions"][q["code"]]
            head = f"{q['code']} — {' '.join(q['question'].split())}"
            assert head in text, (pair, q["code"])
            after = text[text.index(head):]
            assert f"Verdict {answer['note']} — {scale[answer['note']]}" in after[:600]
            # its evidence: every indicator code of the question, in the table that follows
            codes = [c for code in q["indicateurs"] for c in (
                [i.code for i in PROGRAMME.indicators_of(code)]
                if code in PROGRAMME.result_map else [code])]
            assert all(c in after[:4000] for c in codes), (pair, q["code"])
        objective = JUDGED[phase][pair]["objectif"]["note"]
        assert f"Verdict sur l’objectif spécifique : {objective} — {scale[objective]}." in text


@pytest.mark.parametrize("phase", ["midterm", "final"])
def test_conclusions_and_recommendations_are_numbered_with_addressee(sample_reports, phase):
    for pair in PROGRAMME.pair_codes:
        text = _text(sample_reports, phase, pair)
        entry = JUDGED[phase][pair]
        for c in entry["conclusions"]:
            assert f"{c['id']}. {' '.join(c['texte'].split())}" in text
        for r in entry["recommandations"]:
            row = (f"{r['id']} {' '.join(r['texte'].split())} {ADDRESSEES[r['destinataire']]} "
                   f"{MATRIX['priorites'][r['priorite']]} {r['echeance']}")
            assert row in text, (pair, r["id"])


def test_the_final_reports_follow_up_the_midterm_and_draw_lessons(sample_reports):
    for pair in PROGRAMME.pair_codes:
        text = _text(sample_reports, "final", pair)
        assert "Leçons apprises" in text
        for lesson in JUDGED["final"][pair]["lecons"]:
            assert " ".join(lesson.split()) in text
        made = JUDGED["midterm"][pair]["recommandations"]
        follow = JUDGED["final"][pair]["suivi"]
        assert set(follow) == {r["id"] for r in made}
        table = text[text.index("Suivi des recommandations de l'évaluation précédente N°"):]
        for rec in made:
            state = STATES[follow[rec["id"]]["etat"]]
            assert f"{rec['id']} {' '.join(rec['texte'].split())} " in table
            assert state in table
        midterm = _text(sample_reports, "midterm", pair)
        assert "Leçons apprises" not in midterm and "Suivi des recommandations" not in midterm


def test_each_phase_speaks_its_own_language(sample_reports):
    for pair in PROGRAMME.pair_codes:
        final = _text(sample_reports, "final", pair)
        # the parameters annex names every threshold parameter, used or not: not prose
        final = final[:final.rindex("Annexe G — Paramètres et provenance")]
        midterm = _text(sample_reports, "midterm", pair)
        for word in ("En bonne voie", "en bonne voie", "En retard", "Critique"):
            # the comparison table quotes no 2010 status: a final report never says these
            assert word not in final, (pair, word)
        assert "Partiellement atteint" not in midterm and "Non atteint" not in midterm
        assert "L'objectif est-il atteint ?" in final
        assert "L'objectif est-il en voie d'être atteint ?" in midterm
    programme = " ".join("".join(_read(paths.programme_report_path(
        sample_reports, "final")).all).split())
    programme = programme[:programme.rindex("Annexe G — Paramètres et provenance")]
    assert "En bonne voie" not in programme and "en bonne voie" not in programme


def _summary_rows(text: str) -> list[tuple[str, float, str]]:
    """(RI, index, score) of the executive summary's table."""
    table = text[text.index("État des résultats intermédiaires"):]
    table = table[:table.index("Recommandations")]
    found = re.findall(r"RI\s(\d) .*? (\d+) % (?:[A-Z][a-zé ]+?) ([A-D])\b", table)
    return [(f"RI{ri}", float(index) / 100, score) for ri, index, score in found]


@pytest.mark.parametrize("phase", ["midterm", "final"])
def test_scores_agree_with_the_figures_of_the_same_report(sample_reports, phase):
    """The rules of params/evaluation.yml, applied to what the report itself prints."""
    late = PROGRAMME.thresholds.threshold_late
    on_track = PROGRAMME.thresholds.threshold_on_track
    for pair in PROGRAMME.pair_codes:
        text = _text(sample_reports, phase, pair)
        rows = _summary_rows(text)
        assert [r[0] for r in rows] == [r.code for r in PROGRAMME.results], pair
        for ri, index, score in rows:
            assert not (score in ("A", "B") and index < late), (pair, ri, score, index)
            assert not (score == "D" and index >= on_track), (pair, ri, score, index)
        assert "Aucune incohérence relevée entre les notes et les chiffres" in text


@pytest.mark.parametrize("phase", ["midterm", "final"])
def test_prose_is_specific_to_each_pair(sample_reports, phase):
    """Paragraphs and list items over 40 characters (tables excluded): at most 5 % appear in
    some but not all six pair reports (text in all six is the report's frame)."""
    sets = [{t for t in _report(sample_reports, phase, p).items if len(t) > 40}
            for p in PROGRAMME.pair_codes]
    counts = Counter(t for s in sets for t in s)
    total = sum(len(s) for s in sets)
    shared = {t: n for t, n in counts.items() if 1 < n < len(sets)}
    share = sum(shared.values()) / total
    assert total > 300
    assert share <= 0.05, sorted(shared, key=shared.get, reverse=True)[:10]


def test_the_method_never_claims_a_visit_it_did_not_make(sample_reports):
    """Liège–Tanger had no field visit at mid-term: its report says so, and no question
    credits the visits."""
    assert not JUDGED["midterm"]["liege-tanger"]["methode"]["visites"]
    text = _text(sample_reports, "midterm", "liege-tanger")
    assert "Aucune visite de terrain pour le partenariat Liège – Tanger" in text
    for line in re.findall(r"Sources : [^.]*\.", text):
        credited = line.split(" — prévues mais non mobilisées")[0]
        assert "visites de terrain" not in credited.lower()
    assert "prévues mais non mobilisées : visites de terrain" in text
    other = _text(sample_reports, "midterm", "jette-sidi-bibi")
    assert "prévues mais non mobilisées" not in other


def test_the_programme_report_answers_and_compares(sample_reports):
    text = " ".join("".join(_read(paths.programme_report_path(
        sample_reports, "final")).all).split())
    entry = JUDGED["final"]["programme"]
    for q in MATRIX["questions"]:
        assert f"{q['code']} — {' '.join(q['question'].split())}" in text
        assert " ".join(entry["questions"][q["code"]]["reponse"].split()) in text
    for r in entry["recommandations"]:
        assert f"{r['id']} {' '.join(r['texte'].split())} Programme / coordination" in text
    assert "Agrégats du programme : évolution depuis l'évaluation précédente" in text
    # RI3.1, agents trained: the sum over pairs, 2010 → 2012, with its unit and its movement
    assert re.search(r"RI3\.1 Agents formés[^→]*\d+ → \d+ agents : progrès \(\+\d+ agents\)",
                     text)

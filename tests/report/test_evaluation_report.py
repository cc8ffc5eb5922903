"""The sample reports read as the evaluation team's evaluation: every question answered in the
team's words beside the computed evidence, the team's verdict on the objective, its numbered
conclusions and recommendations (addressee, priority, deadline), lessons and the follow-up of the
mid-term at the end, the phase's own vocabulary, and prose specific to each pair.

All checks read the 14 built HTML reports as text (``sample_reports``); expected values come from
the team's appraisal files and the evaluation matrix, read here directly with PyYAML.
"""

from __future__ import annotations

import html as html_lib
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from maroc_eval.base import paths
from maroc_eval.core.programme import load_programme

pytestmark = [pytest.mark.kernel, pytest.mark.slow]

PROGRAMME = load_programme()
MATRIX = yaml.safe_load(paths.evaluation_file(paths.PROGRAMME_FILE).read_text("utf-8"))
ADDRESSEES = MATRIX["destinataires"]
STATES = MATRIX["etats_suivi"]
SCALE = {r.code: r.label for r in PROGRAMME.scale}
MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre"]


def judged(phase: str, who: str) -> dict:
    """The team's appraisal file of a pair (or the programme) at a phase."""
    path = paths.appraisals_dir(paths.SAMPLE_DIR) / phase / f"{who}.yml"
    return yaml.safe_load(path.read_text("utf-8"))


def words(text: str) -> str:
    return " ".join(str(text).split())


def long_date(day) -> str:
    """« 31 décembre 2013 » (the French long date, written out here)."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


BLOCKS = ("p", "li", "td", "dd")


class _Text(HTMLParser):
    """Text of a report: all of it, and its paragraphs, list items, table cells and the
    descriptions of definition lists (the team's findings, source by source)."""

    def __init__(self):
        super().__init__()
        self.all: list[str] = []
        self.blocks: list[str] = []
        self._skip = 0
        self._buf: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in BLOCKS:
            self._buf = []
        if tag in ("p", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "caption", "div", "dt",
                   "dd"):
            self.all.append("\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1
        elif tag in BLOCKS and self._buf is not None:
            self.blocks.append(words("".join(self._buf)))
            self._buf = None

    def handle_data(self, data):
        if self._skip:
            return
        self.all.append(data)
        if self._buf is not None:
            self._buf.append(data)


def _read(path: Path) -> _Text:
    parser = _Text()
    parser.feed(path.read_text("utf-8").replace("\u00a0", " ").replace("\u202f", " "))
    return parser


def _text(outputs, phase, who) -> str:
    path = (paths.programme_report_path(outputs, phase) if who == "programme"
            else paths.pair_report_path(outputs, phase, who))
    return words("".join(_read(path).all)).replace("'", "’")


def same(text: str) -> str:
    """A team's text as the report prints it (spaces and apostrophes normalised)."""
    return words(html_lib.unescape(text)).replace("'", "’")


@pytest.mark.parametrize("phase", ["midterm", "final"])
def test_every_question_carries_the_teams_answer_and_grade_beside_the_evidence(sample_reports,
                                                                              phase):
    for pair in PROGRAMME.pair_codes:
        text = _text(sample_reports, phase, pair)
        team = judged(phase, pair)
        for q in MATRIX["questions"]:
            answer = team["questions"][q["code"]]
            head = f"{q['code']} — {words(q['question'])}".replace("'", "’")
            assert head in text, (pair, q["code"])
            block = text[text.index(head):]
            block = block[:block.index("Sources :")]
            assert f"Note de l’équipe : {answer['note']} — {SCALE[answer['note']]}." in block
            assert same(answer["reponse"]) in block, (pair, q["code"])
            for finding in answer["constats"]:
                for kind, label in (("entretiens", "Entretiens"), ("visites", "Visites")):
                    if finding.get(kind):
                        assert f"{label} {same(finding[kind])}" in block, (pair, q["code"])
            # the evidence, apart: every indicator of the question and the proposal's basis
            evidence = block[block.index("Éléments de preuve calculés par l’outil"):]
            codes = [c for code in q["indicateurs"] for c in (
                [i.code for i in PROGRAMME.indicators_of(code)]
                if code in PROGRAMME.result_map else [code])]
            assert all(c in evidence for c in codes), (pair, q["code"])
            assert "note proposée par le barème" in evidence.lower() or \
                "Aucune note proposée" in evidence
        qe1 = team["questions"]["QE1"]["note"]
        assert f"Verdict de l’équipe d’évaluation sur l’objectif spécifique : {qe1} — " \
               f"{SCALE[qe1]}." in text


@pytest.mark.parametrize("phase", ["midterm", "final"])
def test_conclusions_and_recommendations_are_the_teams(sample_reports, phase):
    for pair in PROGRAMME.pair_codes:
        text = _text(sample_reports, phase, pair)
        entry = judged(phase, pair)
        for c in entry["conclusions"]:
            assert f"{c['id']}. {same(c['texte'])} (repose sur : " in text, (pair, c["id"])
        for r in entry["recommandations"]:
            row = (f"{r['id']} {same(r['action'])} {same(ADDRESSEES[r['destinataire']])} "
                   f"{MATRIX['priorites'][r['priorite']]} {long_date(r['echeance'])} "
                   f"{', '.join(r['conclusions'])}")
            assert row in text, (pair, r["id"])


def test_the_final_reports_follow_up_the_midterm_and_draw_lessons(sample_reports):
    for pair in PROGRAMME.pair_codes:
        text = _text(sample_reports, "final", pair)
        final, midterm = judged("final", pair), judged("midterm", pair)
        for lesson in final["lecons"]:
            assert same(lesson) in text
        assert set(final["suivi"]) == {r["id"] for r in midterm["recommandations"]}
        table = text[text.index("Suivi des recommandations de l’évaluation précédente N°"):]
        for rec in midterm["recommandations"]:
            follow = final["suivi"][rec["id"]]
            assert (f"{rec['id']} {same(rec['action'])} {same(ADDRESSEES[rec['destinataire']])} "
                    f"{STATES[follow['etat']]} {same(follow['commentaire'])}") in table
        mid = _text(sample_reports, "midterm", pair)
        assert "Leçons apprises" not in mid and "Suivi des recommandations" not in mid


def test_a_complete_sample_says_nothing_is_left_to_complete(sample_reports):
    for phase in PROGRAMME.phases:
        for who in [*PROGRAMME.pair_codes, "programme"]:
            text = _text(sample_reports, phase, who)
            path = (paths.programme_report_path(sample_reports, phase) if who == "programme"
                    else paths.pair_report_path(sample_reports, phase, who))
            assert "me-a-completer" not in path.read_text("utf-8"), (phase, who)
            assert "À compléter par l’équipe" not in text, (phase, who)
            assert "Version 1.0 — version complète, non signée" in text, (phase, who)
            assert "Ouvert : à corriger" not in text, (phase, who)


def test_each_phase_speaks_its_own_language(sample_reports):
    for pair in PROGRAMME.pair_codes:
        final = _text(sample_reports, "final", pair)
        # the team's prose and the annexes may quote the mid-term's vocabulary: the computed
        # parts are checked, up to the team's first answer
        computed = final[:final.index("Appréciation de l’équipe d’évaluation")]
        for word in ("En bonne voie", "En retard", "Critique"):
            assert word not in computed, (pair, word)
        midterm = _text(sample_reports, "midterm", pair)
        assert "Partiellement atteint" not in midterm[:midterm.index("Appréciation de l’équipe")]
        assert "L’objectif spécifique est-il atteint ?" in final
        assert "L’objectif spécifique est-il en voie d’être atteint ?" in midterm


MASK_NAMES = re.compile(r"[A-ZÀ-Ý][\w’'-]+(?:\s?[/–-]\s?[A-ZÀ-Ý][\w’'-]+)*")
MASK_NUMBERS = re.compile(r"\d[\d\s,.]*")


QUOTED = ("Vision visée", "Objectif spécifique", "Note proposée par le barème", "RI ")
"""Blocks that quote the programme's framework (an RI's vision, the specific objective, an RI's
title) or state the rubric's proposed grade in its fixed form: the same words in every report by
design, whatever the pair."""


def _blocks(path: Path) -> list[str]:
    """The blocks of a whole report: summary, method, answers, chapters, conclusions, annexes."""
    parser = _Text()
    parser.feed(path.read_text("utf-8").replace("\u00a0", " ").replace("\u202f", " "))
    return parser.blocks


@pytest.mark.parametrize("phase", ["midterm", "final"])
def test_at_least_half_the_prose_is_specific_to_the_pair(sample_reports, phase):
    """Paragraphs, list items, table cells and findings over 60 characters of the whole report
    (method and annexes included), names and numbers masked, quotations of the framework left
    aside (:data:`QUOTED`): the words of those found in no other pair report of the phase are at
    least half the words."""
    def mask(text: str) -> str:
        return MASK_NUMBERS.sub("#", MASK_NAMES.sub("§", text))

    reports = {p: [(mask(t), t) for t in _blocks(paths.pair_report_path(
        sample_reports, phase, p)) if len(t) > 60 and not t.startswith(QUOTED)]
        for p in PROGRAMME.pair_codes}
    counts = Counter(m for blocks in reports.values() for m in {m for m, _t in blocks})
    for pair, blocks in reports.items():
        total = sum(len(t.split()) for _m, t in blocks)
        own = sum(len(t.split()) for m, t in blocks if counts[m] == 1)
        assert total > 3000, (pair, total)  # the body is there, not an empty shell
        assert own / total >= 0.5, (pair, round(own / total, 3))


def test_the_programme_report_answers_across_pairs(sample_reports):
    text = _text(sample_reports, "final", "programme")
    entry = judged("final", "programme")
    for q in MATRIX["questions"]:
        head = f"{q['code']} — {words(q['question'])}".replace("'", "’")
        assert head in text
        assert same(entry["questions"][q["code"]]["reponse"]) in text
    for r in entry["recommandations"]:
        assert f"{r['id']} {same(r['action'])} {same(ADDRESSEES[r['destinataire']])}" in text
    assert "Ce classement compare des indices de réalisation" in text  # the ranking's caveat
    assert "Agrégats du programme : évolution depuis l’évaluation précédente" in text
    # RI3.1, agents trained: the sum over pairs, 2010 → 2012, with its unit and its movement
    assert re.search(r"RI3\.1 Agents formés[^→]*\d+ → \d+ agents : progrès \(\+\d+ agents\)",
                     text)

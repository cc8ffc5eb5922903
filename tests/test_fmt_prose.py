"""French prose helpers: elision, agreement, small numbers and signs (fmt); the typography of
texts typed with plain spaces, comments quoted once, timestamps for people (typography)."""

from types import SimpleNamespace

import pytest

from maroc_eval.base import fmt, typography

S, NB = fmt.NNBSP, fmt.NBSP


@pytest.mark.parametrize(("name", "expected"), [
    ("Auderghem", "d’Auderghem"),
    ("Al Hoceima", "d’Al Hoceima"),
    ("Auderghem – Amerzgane / Aït Zineb", "d’Auderghem – Amerzgane / Aït Zineb"),
    ("Ouarzazate", "d’Ouarzazate"),
    ("Évere", "d’Évere"),
    ("Schaerbeek", "de Schaerbeek"),
    ("Ville de Bruxelles – Tétouan", "de Ville de Bruxelles – Tétouan"),
    ("Le Caire", "du Caire"),
    ("Les Mureaux", "des Mureaux"),
    ("La Haye", "de La Haye"),
    ("Yverdon", "d’Yverdon"),
    ("Yaoundé", "de Yaoundé"),
    ("Hal", "de Hal"),
])
def test_de_nom(name, expected):
    assert fmt.de_nom(name) == expected


def test_de_nom_with_a_silent_h():
    assert fmt.de_nom("Hérouville", h_muet=True) == "d’Hérouville"


@pytest.mark.parametrize(("part", "whole", "noun", "expected"), [
    (1, 3, "agent", "1 agent sur 3 (indicatif)"),
    (0, 4, "convention", "0 convention sur 4 (indicatif)"),
    (2, 9, "élu", "2 élus sur 9 (indicatif)"),
    (2, 4, "", "2 sur 4 (indicatif)"),
    (6, 13, "agent", f"46{S}%"),  # 46,15 %
    (5, 10, "agent", f"50{S}%"),  # ten people: a percentage
    (1, 0, "agent", "—"),
    (None, 3, "agent", "—"),
])
def test_share_is_a_count_below_ten(part, whole, noun, expected):
    assert fmt.share(part, whole, noun) == expected


@pytest.mark.parametrize(("value", "ratio", "expected"), [
    (0.546, True, f"+55{S}%"),
    (-0.03, True, f"−3{S}%"),
    (0.001, True, f"0{S}%"),
    (12.0, False, f"+12{S}%"),
    (None, False, "—"),
])
def test_signed_percent(value, ratio, expected):
    assert fmt.signed_percent(value, ratio=ratio) == expected


@pytest.mark.parametrize(("unit", "value", "expected"), [
    ("évaluations", 1, "évaluation"),
    ("actions/an", 0, "action/an"),
    ("mises à jour/an", 1, "mise à jour/an"),
    ("points /100", -1, "point /100"),
    ("évaluations", 2, "évaluations"),
    ("kMAD/an", 1, "kMAD/an"),
    ("ETP", 1, "ETP"),
])
def test_agreed_unit(unit, value, expected):
    assert fmt.agreed(unit, value) == expected


def test_value_agrees_its_unit():
    assert fmt.value(1, "nombre", unit="projets") == f"1{NB}projet"
    assert fmt.value(3, "nombre", unit="projets") == f"3{NB}projets"


@pytest.mark.parametrize(("text", "expected"), [
    ("Les communes partenaires", "les communes partenaires"),
    ("Dans les 5 ans", "dans les 5 ans"),
    ("Très bon", "très bon"),
    ("INDH et DAS", "INDH et DAS"),
    ("RI7.1 progresse", "RI7.1 progresse"),
    ("« Convention signée »", "« Convention signée »"),
    ("A", "A"),
])
def test_after_colon(text, expected):
    assert fmt.after_colon(text) == expected


def test_after_colon_keeps_proper_nouns():
    assert fmt.after_colon("Tanger et Tétouan", {"Tanger"}) == "Tanger et Tétouan"


@pytest.mark.parametrize(("text", "expected"), [
    ("Note : 45 % ; voir", f"Note{NB}: 45{S}%{S}; voir"),
    ("Sources : suivi.csv; revue", f"Sources{NB}: suivi.csv{S}; revue"),
    ("Quoi? Rien!", f"Quoi{S}? Rien{S}!"),
    ("16 826 (7 593 + 9 233)", f"16{S}826 (7{S}593 + 9{S}233)"),
    ("en 2012 250 agents", "en 2012 250 agents"),  # a year is not a thousands group
    ("à 22:51, http://x.org", "à 22:51, http://x.org"),
    ("R&amp; D", "R&amp; D"),
])
def test_french(text, expected):
    assert typography.french(text) == expected
    assert typography.french(expected) == expected  # idempotent


def test_french_html_touches_text_only():
    html = ('<p class="a" style="x:y ; z">Taux : 12 %</p><code>a : b</code>'
            '<style>p { a : b }</style><!-- c : d --><p>Fin ; ok</p>')
    assert typography.french_html(html) == (
        f'<p class="a" style="x:y ; z">Taux{NB}: 12{S}%</p><code>a : b</code>'
        f'<style>p {{ a : b }}</style><!-- c : d --><p>Fin{S}; ok</p>')


def test_quoted_comments_once_per_indicator_and_year():
    text = "Convention signée avec l'Entraide nationale ; procédure rapide."
    rows = [SimpleNamespace(indicator="RI7.1", year=2009, text=text) for _ in range(4)]
    rows.append(SimpleNamespace(indicator="RI7.1", year=2009, text=f"  {text} "))
    rows.append(SimpleNamespace(indicator="RI7.1", year=2010, text="Autre."))
    assert typography.quoted_comments(rows) == [
        ("RI7.1", "2009", f"«{S}{text}{S}»"), ("RI7.1", "2010", f"«{S}Autre.{S}»")]
    assert typography.quoted_comments([("RI3.1", "2011", "a"), ("RI3.1", "2011", "b")]) == [
        ("RI3.1", "2011", f"«{S}a{S}»{S}; «{S}b{S}»")]


@pytest.mark.parametrize(("iso", "expected"), [
    ("2026-11-29T22:51:38.050827+00:00", f"29/11/2026 à 22{NB}h{NB}51 (UTC)"),
    ("2026-11-29T23:51:38+01:00", f"29/11/2026 à 23{NB}h{NB}51 (UTC+1)"),
    ("2026-11-29T22:51:38", f"29/11/2026 à 22{NB}h{NB}51"),
    (None, "—"),
    ("hier", "hier"),
])
def test_when(iso, expected):
    assert typography.when(iso) == expected

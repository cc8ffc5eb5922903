"""Numbers, percentages, dates and typography in English (Babel); French stays as it was."""

from __future__ import annotations

import datetime as dt

import pytest
from english_helpers import reset, use_catalogue, write_catalogue

from maroc_eval.base import fmt, i18n, typography

NNBSP = "\u202f"


@pytest.fixture
def english(tmp_path, monkeypatch):
    write_catalogue(tmp_path / "locale", {
        "oui": "yes", "non": "no",
        "{counted} sur {whole} (indicatif)": "{counted} out of {whole} (indicative)",
        "{day} à {time}": "{day} at {time}",
    })
    use_catalogue(monkeypatch, tmp_path / "locale")
    yield
    reset()


@pytest.mark.parametrize(("value", "decimals", "expected"), [
    (1234.5, 1, "1,234.5"),
    (1234567.25, 2, "1,234,567.25"),
    (12.0, 1, "12"),
    (-0.04, 1, "0"),
    (-1234.56, 1, "-1,234.6"),
    (0.5, 0, "0"),  # Python's rounding, as in French (half to even on the binary value)
    (None, 1, "—"),
])
def test_english_numbers(english, value, decimals, expected):
    assert fmt.number(value, decimals) == expected


def test_english_numbers_keep_zeros_when_asked(english):
    assert fmt.number(1234.5, 2, strip=False) == "1,234.50"


@pytest.mark.parametrize(("value", "decimals", "ratio", "expected"), [
    (1234.5, 1, False, "1,234.5%"),
    (45, 0, False, "45%"),
    (0.455, 1, True, "45.5%"),
    (12.25, 0, False, "12%"),
])
def test_english_percentages(english, value, decimals, ratio, expected):
    assert fmt.percent(value, decimals, ratio=ratio) == expected


def test_english_achievement_and_signs(english):
    # 0.8966 would print « 90% » beside « En retard » when on track starts at 90 %
    assert fmt.achievement(0.8966, (1.0, 0.9, 0.4)) == "89.7%"
    assert fmt.signed_percent(0.546, ratio=True) == "+55%"
    assert fmt.signed_percent(0.0) == "0%"
    assert fmt.signed(-3) == "−3"


def test_english_dates_and_timestamps(english):
    assert fmt.long_date(dt.date(2026, 11, 29)) == "29 November 2026"
    assert fmt.long_date("2012-12-31") == "31 December 2012"
    assert typography.when("2026-11-29T22:51:38.050827+00:00") == "29 November 2026 at 22:51 (UTC)"


def test_english_words_and_prose(english):
    assert fmt.value(1, "oui_non") == "yes"
    assert fmt.count(6, "pair") == "six pairs"
    assert fmt.count(60, "pair") == "60 pairs"
    assert fmt.share(1, 3, "agent") == "1 agent out of 3 (indicative)"
    assert fmt.plain(0.45) == "0.45"


def test_french_typography_is_a_no_op_in_english(english):
    text = "Vision : les communes ; 45 % ! 7 593 agents"
    assert fmt.typo(text) == text
    assert typography.french(text) == text
    assert typography.french_html(f"<p>{text}</p>") == f"<p>{text}</p>"
    assert fmt.after_colon("Dans les 5 ans") == "Dans les 5 ans"
    assert fmt.de_nom("Auderghem") == "of Auderghem"
    assert typography.quote(" a comment ") == "“a comment”"


def test_french_is_unchanged_and_babel_agrees_on_numbers():
    from babel.numbers import format_decimal

    assert i18n.language() == "fr"
    assert fmt.number(1234.5) == f"1{NNBSP}234,5"
    assert fmt.number(1234.5) == format_decimal(1234.5, locale="fr")
    assert fmt.percent(45) == f"45{NNBSP}%"
    assert fmt.long_date(dt.date(2026, 11, 29)) == "29 novembre 2026"
    assert typography.when("2026-11-29T22:51:38+00:00") == "29/11/2026 à 22\u00a0h\u00a051 (UTC)"

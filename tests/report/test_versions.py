"""The version state on a report's cover (``report.sections.version_state``) and in its key."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from maroc_eval.base import i18n
from maroc_eval.base.sidecar import CheckNote
from maroc_eval.base.signature import CHANGED, SIGNED, Signatory, Signature, VersionState
from maroc_eval.base.signed_changes import Changes, PlaceChange
from maroc_eval.report import keys
from maroc_eval.report.sections import version_state


def result(blanks=(), checks=()):
    """What the cover reads of a synthesis sidecar: its places to complete and its checks."""
    return SimpleNamespace(blanks=list(blanks), checks=list(checks))


def signed(*people: Signatory) -> Signature:
    return Signature("final", "forest-jerada", "1.0", dt.date(2013, 2, 28), dt.date(2013, 3, 4),
                     list(people), {"donnees/suivi.csv": "a" * 64}, {})


CHIEF = Signatory("Nadia Berrada", "cheffe de mission")
CHANGES = Changes("1.0", changed=["donnees/appreciations/final/forest-jerada.yml",
                                  "donnees/suivi.csv"],
                  places={"donnees/appreciations/final/forest-jerada.yml": [
                      PlaceChange(("questions", "QE4", "note"), "modifie", "B", "C")]})


def test_a_signed_report_says_when_and_by_whom():
    state = VersionState(SIGNED, "1.0", signed(CHIEF, Signatory("Pieter Claes", "évaluateur"),
                                               Signatory("Samira El Idrissi", "")))
    assert version_state(result(), state) == (
        "signée le 4 mars 2013 par Nadia Berrada (cheffe de mission), Pieter Claes (évaluateur)"
        " et Samira El Idrissi")


def test_a_draft_after_a_signed_version_says_what_changed_and_what_is_left():
    state = VersionState(CHANGED, "1.1", signed(CHIEF), CHANGES)
    assert version_state(result(), state) == (
        "projet, non signé (modifications depuis la version 1.0 signée : QE4 — note : B → C ; "
        "données : suivi.csv (modification))")
    open_check = CheckNote(id="triangulation:QE4.2", kind="triangulation", place="QE4.2",
                           message="…")
    assert version_state(result(["QE1"], [open_check]), state) == (
        "projet, non signé (1 place à compléter par l’équipe, 1 contrôle ouvert ; "
        "modifications depuis la version 1.0 signée : QE4 — note : B → C ; données : "
        "suivi.csv (modification))")


def test_without_a_signed_version_the_cover_is_unchanged():
    assert version_state(result()) == "version complète, non signée"
    assert version_state(result(), VersionState()) == "version complète, non signée"


def test_english_cover():
    i18n.set_language("en")
    try:
        state = VersionState(SIGNED, "1.0", signed(CHIEF))
        assert version_state(result(), state).startswith("signed on 4 March 2013 by Nadia")
        state = VersionState(CHANGED, "1.1", signed(CHIEF), CHANGES)
        assert version_state(result(), state) == (
            "draft, not signed (changes since signed version 1.0: QE4 — grade: B → C; data: "
            "suivi.csv (change))")
    finally:
        i18n.set_language("fr")


def test_the_report_key_changes_with_the_version_state():
    unsigned = keys.with_version("k", VersionState())
    first = keys.with_version("k", VersionState(SIGNED, "1.0", signed(CHIEF)))
    other = keys.with_version("k", VersionState(SIGNED, "1.0", signed(Signatory("X", "y"))))
    draft = keys.with_version("k", VersionState(CHANGED, "1.1", signed(CHIEF), CHANGES))
    assert len({unsigned, first, other, draft}) == 4
    assert first == keys.with_version("k", VersionState(SIGNED, "1.0", signed(CHIEF)))

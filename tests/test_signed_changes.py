"""What changed in the team's appraisal since its signed copy, place by place and in words
(``maroc_eval.base.signed_changes``)."""

from __future__ import annotations

from maroc_eval.base.signed_changes import Changes, appraisal_changes, change_summary, change_text


def test_a_grade_changed_is_shown_before_and_after_a_text_only_as_changed():
    before = ("partenariat: x\nphase: final\nquestions:\n  QE1:\n    reponse: Un texte.\n"
              "    note: C\n    constats:\n      - critere: 2\n        entretiens: Dit.\n"
              "preuves_vues:\n  date: 2013-01-01\n")
    after = before.replace("note: C", "note: B").replace("entretiens: Dit.",
                                                         "entretiens: Dit autrement.")
    after = after.replace("2013-01-01", "2013-02-01")  # the tool's record is not the team's
    found = appraisal_changes(before, after)
    assert [(c.place, c.change, c.before, c.after) for c in found] == [
        (("questions", "QE1", "constats", "2", "entretiens"), "modifie", None, None),
        (("questions", "QE1", "note"), "modifie", "C", "B")]
    assert [change_text(c) for c in found] == ["QE1.2 — constat (entretiens) (modification)",
                                               "QE1 — note : C → B"]


def test_a_recommendation_added_is_one_change_and_a_bilingual_text_one_place():
    before = ("recommandations:\n  - id: R1\n    action: Agir.\n    priorite: haute\n"
              "lecons:\n  - {fr: Une leçon., en: A lesson.}\n")
    after = before.replace("lecons:", "  - id: R2\n    action: Former.\n    priorite: basse\n"
                                      "    echeance: 2013-12-31\nlecons:")
    after = after.replace("en: A lesson.", "en: One lesson.")
    found = appraisal_changes(before, after)
    assert [(c.place, c.change) for c in found] == [(("lecons",), "modifie"),
                                                    (("recommandations", "R2"), "ajoute")]
    assert change_text(found[1]) == "R2 (ajout)"
    # a file that is no longer YAML has no places, as an empty one
    assert appraisal_changes(before, "{not: [yaml") == appraisal_changes(before, "")
    assert [(c.place, c.change) for c in appraisal_changes(before, "")] == [
        (("lecons",), "supprime"), (("recommandations", "R1"), "supprime")]


def test_a_long_list_of_changes_is_cut_on_the_cover():
    changes = Changes("1.0", changed=[f"donnees/f{i}.csv" for i in range(6)])
    assert change_summary(changes) == ("données : f0.csv (modification) ; données : f1.csv "
                                       "(modification) ; données : f2.csv (modification) ; "
                                       "données : f3.csv (modification) ; et 2 autres")
    assert change_summary(changes, limit=6).count("(modification)") == 6

"""What an import changes in the store, in words: per place, the texts added, changed (old →
new, shortened) or removed, and the grades changed; and the figures that moved since the grid
was written (the team's text may quote the old ones)."""

from __future__ import annotations

from ..base.fmt import plain
from ..base.i18n import _, ngettext
from ..core.programme import Programme
from .places import LIST_PLACES, Change, place_label, shown


def change_lines(found: list[Change], where, programme: Programme, limit: int = 200
                 ) -> list[str]:
    """One line per change (a list — lessons, documents… — item by item).

    ``where(place)`` gives the cell of a place in the grid (``Réponses!G7``) or ``""``.
    """
    out = []
    for change in found:
        place = change.place
        label = place_label(place, programme)
        cell = where(place)
        at = f" [{cell}]" if cell else ""
        if place in LIST_PLACES:
            old, new = change.old or (), change.new or ()
            out += [_("  ajouté : {label}{at} : {value}").format(
                        label=label, at=at, value=shown(v if not isinstance(v, tuple) else (v,)))
                    for v in new if v not in old]
            out += [_("  supprimé : {label}{at} : {value}").format(
                        label=label, at=at, value=shown(v if not isinstance(v, tuple) else (v,)))
                    for v in old if v not in new]
            continue
        if place[-1] == "note":
            out.append(_("  note : {label}{at} : {old} → {new}").format(
                label=label.rsplit(",", 1)[0], at=at, old=change.old or "—",
                new=change.new or "—"))
            continue
        template = {"added": _("  ajouté : {label}{at} : {new}"),
                    "changed": _("  modifié : {label}{at} : {old} → {new}"),
                    "removed": _("  supprimé : {label}{at} : {old}")}[change.kind]
        out.append(template.format(label=label, at=at, old=shown(change.old, place),
                                   new=shown(change.new, place)))
    if len(out) > limit:
        out = [*out[:limit], _("  … et {n} autres modifications").format(n=len(out) - limit)]
    return out


def drift_lines(seen: dict, now: dict[str, dict[str, float | None]],
                labels: dict[str, str]) -> list[str]:
    """The indicator values that changed since the grid was written (``seen["valeurs"]``
    against ``now``), one line per pair."""
    out = []
    for pair, values in (seen.get("valeurs") or {}).items():
        moved = []
        for code, before in values.items():
            after = now.get(pair, {}).get(code)
            if (before is None) != (after is None) or (
                    before is not None and abs(float(before) - float(after)) > 1e-9):
                moved.append(f"{code} {_value(before)} → {_value(after)}")
        if moved:
            out.append(ngettext(
                "  {pair} : {n} valeur a changé depuis l'écriture de la grille : {moved}",
                "  {pair} : {n} valeurs ont changé depuis l'écriture de la grille : {moved}",
                len(moved)).format(pair=labels.get(pair, pair), n=len(moved),
                                   moved=", ".join(moved[:8]) + (" …" if len(moved) > 8
                                                                 else "")))
    return out


def _value(value) -> str:
    return "—" if value is None else plain(float(value))

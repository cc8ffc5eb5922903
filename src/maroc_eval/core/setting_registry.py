"""Every setting of the notebooks under one name, from the parameters files to the status.

A setting is written the same way everywhere: in ``params/programme.yml`` (``seuils:``), in
``params/phases/<phase>.yml`` and ``params/pairs/<pair>.yml``, in a ``-f`` file, after ``-p``,
in a notebook's parameters cell, in the code that reads it and in the provenance annex (beside
its French label). :data:`SETTINGS` says, for each, its label, its type, its bounds and its
default; the names a setting had before (``en_bonne_voie`` in ``programme.yml``) are still read,
with a warning that says where and the name to write instead.

:func:`number` reads a number as a user types it, decimal comma included (``0,9``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..base.i18n import N_, _

RATIO = "ratio"
"""A fraction shown as a percentage (0.75 → « 75 % »)."""
PERCENT = "percent"
"""Already a percentage (70 → « 70 % »)."""


@dataclass(frozen=True)
class SettingSpec:
    """One setting: its one name and what is known of it.

    Attributes
    ----------
    name : str
        The one name: params key, ``-p`` name, notebook parameter, attribute in the code.
    label : str
        French label (a catalogue message, shown through ``_``).
    kind : type
        ``float``, ``int``, ``bool`` or ``str``.
    default : object
        The package's default when no layer sets it.
    low, high : float or None
        Inclusive bounds of a number.
    unit : str or None
        :data:`RATIO` or :data:`PERCENT` for a number shown as a percentage.
    status : str or None
        For a status threshold: the status code it opens (``en_bonne_voie``).
    former : tuple of str
        Names accepted before, read with a warning.
    """

    name: str
    label: str
    kind: type
    default: Any
    low: float | None = None
    high: float | None = None
    unit: str | None = None
    status: str | None = None
    former: tuple[str, ...] = ()

    @property
    def word(self) -> str:
        """« en bonne voie »: the status a threshold opens, in the reader's words."""
        from ..base.status import status_label

        return _("« {status} »").format(status=status_label(self.status).lower()) \
            if self.status else _(self.label)


THRESHOLD_MAX = 2.0
"""Highest threshold accepted (2 = 200 % of the way to the target)."""

SETTINGS: dict[str, SettingSpec] = {s.name: s for s in (
    SettingSpec("threshold_met", N_("Seuil « atteint »"), float, 1.0, 0.0, THRESHOLD_MAX,
                RATIO, "atteint", ("atteint",)),
    SettingSpec("threshold_on_track", N_("Seuil « en bonne voie »"), float, 0.75, 0.0,
                THRESHOLD_MAX, RATIO, "en_bonne_voie", ("en_bonne_voie",)),
    SettingSpec("threshold_late", N_("Seuil « en retard »"), float, 0.40, 0.0, THRESHOLD_MAX,
                RATIO, "en_retard", ("en_retard",)),
    SettingSpec("compare_pairs", N_("Autres partenariats montrés dans les graphiques"), bool,
                True),
    SettingSpec("functional_stage", N_("Stade d’un service « en place »"), int, 4, 1, None),
    SettingSpec("maturity_reference", N_("Phase de référence de la maturité"), str, None),
    SettingSpec("min_share_women", N_("Part de femmes attendue parmi les agents formés"),
                float, 0.3, 0.0, 1.0, RATIO),
    SettingSpec("per_inhabitants", N_("Base de normalisation (habitants)"), int, 10000, 1,
                None),
    SettingSpec("execution_floor", N_("Taux d’exécution signalé en dessous de"), float, 70.0,
                0.0, 100.0, PERCENT),
    SettingSpec("min_partner_types", N_("Types de partenaires d’un partenariat diversifié"),
                int, 3, 1, None),
)}
"""Every setting a layer can give, by its one name."""

THRESHOLD_NAMES: tuple[str, ...] = tuple(n for n, s in SETTINGS.items() if s.status)
"""The status thresholds, strongest first: ``threshold_met``, ``threshold_on_track``,
``threshold_late``."""

FORMER_NAMES: dict[str, str] = {old: s.name for s in SETTINGS.values() for old in s.former}
"""A former name → the one name to write instead."""


def current_name(name: str) -> str:
    """The one name of a setting written under a former one (else ``name`` itself)."""
    return FORMER_NAMES.get(name, name)


def former_name_notice(old: str) -> str:
    """What is expected of a setting written under its former name (a warning's text)."""
    return _("« {new} » : « {old} » est l'ancien nom de ce réglage, encore lu pour "
             "l'instant").format(old=old, new=current_name(old))


_DECIMAL = re.compile(r"\s*[-+]?(\d+([.,]\d*)?|[.,]\d+)\s*")


def number(value: Any) -> Any:
    """A number typed by a user, as a number: ``"0,9"`` and ``"0.9"`` → 0.9, ``"3"`` → 3.

    Anything else (a number already, a text that is not a plain decimal, ``None``) is returned
    as it is, for the caller to refuse with its own message.
    """
    if isinstance(value, str) and _DECIMAL.fullmatch(value):
        text = value.strip().replace(",", ".")
        return float(text) if "." in text else int(text)
    return value


def coerce(name: str, value: Any) -> Any:
    """A setting's value in its type when typed as text (``"0,9"`` for a float → 0.9; an
    integer for a float → a float); other values are returned as they are."""
    spec = SETTINGS.get(name)
    if spec is None or spec.kind not in (int, float) or isinstance(value, bool):
        return value
    value = number(value)
    if spec.kind is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


def bounds_problem(name: str, value: Any) -> str | None:
    """What a number should have been, from its setting's bounds, or ``None`` if it fits.

    A percentage typed for a ratio is caught, with the ratio suggested (« vouliez-vous 0,8 ? »).
    """
    spec = SETTINGS.get(name)
    if spec is None or spec.kind not in (int, float) or isinstance(value, bool) \
            or not isinstance(value, int | float):
        return None
    low = -float("inf") if spec.low is None else spec.low
    high = float("inf") if spec.high is None else spec.high
    if low <= value <= high:
        return None
    if spec.status:
        hint = f" : vouliez-vous {value / 100:g} ?".replace(".", ",") \
            if low <= value / 100 <= high else ""
        return _("un seuil entre 0 et {threshold_max:g} (1 = 100 % de réalisation){hint}").format(
            threshold_max=high, hint=hint)
    if spec.high is None:
        return _("un nombre d'au moins {low:g}").format(low=low)
    hint = f" : vouliez-vous {value / 100:g} ?".replace(".", ",") \
        if spec.unit == RATIO and low <= value / 100 <= high else ""
    return _("un nombre entre {low:g} et {high:g}{hint}").format(low=low, high=high, hint=hint)

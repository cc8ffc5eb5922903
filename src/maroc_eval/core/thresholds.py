"""The status thresholds on the achievement ratio, the one place where they are checked.

From the programme file (``seuils:``) or from the notebooks' parameters, under the same names
(``threshold_*``, :data:`~maroc_eval.core.setting_registry.SETTINGS`);
:meth:`Thresholds.for_phase` gives them the vocabulary of a formative or a summative phase.
"""

from __future__ import annotations

from pydantic import Field, PrivateAttr, ValidationError, field_validator, model_validator

from ..base.errors import ParameterError
from ..base.fmt import plain
from ..base.i18n import _
from .programme_items import FrozenModel
from .schema import error_text
from .setting_registry import SETTINGS, THRESHOLD_MAX, THRESHOLD_NAMES, bounds_problem, coerce

__all__ = ["THRESHOLD_MAX", "THRESHOLD_NAMES", "Thresholds"]


def _field(name: str):
    spec = SETTINGS[name]
    return Field(alias=spec.former[0], default=spec.default)


class Thresholds(FrozenModel):
    """Status bands on the achievement ratio (1.0 = 100 %).

    The attributes have the settings' one names (``threshold_on_track``…,
    :mod:`maroc_eval.core.setting_registry`), from ``params/programme.yml`` and ``-p`` to the
    status; the former French keys of ``seuils:`` (``en_bonne_voie``) are still read. This model
    is the one place where thresholds are checked: each within its bounds (a percentage typed
    for a ratio is caught, with the ratio suggested), and ordered met ≥ on track ≥ late.
    """

    threshold_met: float = _field("threshold_met")
    threshold_on_track: float = _field("threshold_on_track")
    threshold_late: float = _field("threshold_late")
    _summative: bool = PrivateAttr(default=False)

    @field_validator(*THRESHOLD_NAMES, mode="before")
    @classmethod
    def _typed_number(cls, value):
        return coerce("threshold_met", value)  # « 0,9 » typed in a file reads as 0.9

    @field_validator(*THRESHOLD_NAMES, mode="after")
    @classmethod
    def _in_range(cls, value: float, info) -> float:
        problem = bounds_problem(info.field_name, value)
        if problem:
            raise ValueError(problem)
        return value

    @model_validator(mode="after")
    def _ordered(self) -> Thresholds:
        if not self.threshold_met >= self.threshold_on_track >= self.threshold_late:
            raise ValueError(_("des seuils cohérents, dans l'ordre atteint ≥ en bonne voie ≥ en "
                               "retard (ici threshold_met = {threshold_met}, threshold_on_track "
                               "= {threshold_on_track}, threshold_late = {threshold_late})").format(
                                 threshold_met=plain(self.threshold_met),
                                 threshold_on_track=plain(self.threshold_on_track),
                                 threshold_late=plain(self.threshold_late)))
        return self

    @classmethod
    def from_parameters(cls, values: dict) -> Thresholds:
        """The thresholds set by parameters (``threshold_*``; the others keep their default).

        Raises
        ------
        ParameterError
            A value out of range (with the ratio suggested for a percentage) or out of order.
        """
        given = {k: coerce(k, v) for k, v in values.items()
                 if k in cls.model_fields and v is not None}
        for name, value in given.items():
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ParameterError(_("Paramètre {name} = « {value} » : attendu un nombre (1 = "
                                       "100 % de réalisation).").format(
                                         name=name, value=value))
        try:
            return cls.model_validate(given)
        except ValidationError as exc:
            err = exc.errors()[0]
            name = err["loc"][0] if err["loc"] else None
            shown = _("Paramètre {name} = « {value} » : ").format(
                        name=name, value=plain(given[name])) if name in given else ""
            what = error_text(err)
            raise ParameterError(_("{shown}attendu {what}{end}").format(
                                     shown=shown, what=what,
                                     end="" if what.endswith("?") else ".")) \
                from None

    def as_parameters(self) -> dict[str, float]:
        """The thresholds as notebook parameters."""
        return self.model_dump()

    @property
    def summative(self) -> bool:
        """Whether statuses use the final vocabulary (atteint / largement / partiellement / non
        atteint)."""
        return self._summative

    def for_phase(self, summative: bool) -> Thresholds:
        """The same thresholds, speaking the vocabulary of a formative or summative phase."""
        out = self.model_copy()
        out._summative = bool(summative)
        return out

    @property
    def edges(self) -> tuple[float, ...]:
        """The three thresholds, for printing a figure in its status's band
        (:func:`maroc_eval.base.fmt.achievement`)."""
        return (self.threshold_met, self.threshold_on_track, self.threshold_late)

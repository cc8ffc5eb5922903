"""The status thresholds on the achievement ratio, the one place where they are checked.

From the programme file (``seuils:``, French aliases) or from the notebooks' parameters
(``threshold_*``); :meth:`Thresholds.for_phase` gives them the vocabulary of a formative or a
summative phase.
"""

from __future__ import annotations

from pydantic import Field, PrivateAttr, ValidationError, field_validator, model_validator

from ..errors import ParameterError
from ..fmt import plain
from ..i18n import _
from .programme_items import FrozenModel
from .schema import error_text

THRESHOLD_MAX = 2.0
"""Highest threshold accepted (2 = 200 % of the way to the target)."""


class Thresholds(FrozenModel):
    """Status bands on the achievement ratio (1.0 = 100 %).

    The attributes are named as the notebooks' parameters (``threshold_on_track``…), from ``-p``
    to the status; the programme file writes them in French (``seuils: en_bonne_voie: 0.75``).
    This model is the one place where thresholds are checked: each between 0 and
    :data:`THRESHOLD_MAX` (a percentage typed for a ratio is caught, with the ratio suggested),
    and ordered met ≥ on track ≥ late.
    """

    threshold_met: float = Field(alias="atteint", default=1.0)
    threshold_on_track: float = Field(alias="en_bonne_voie", default=0.75)
    threshold_late: float = Field(alias="en_retard", default=0.40)
    _summative: bool = PrivateAttr(default=False)

    @field_validator("threshold_met", "threshold_on_track", "threshold_late", mode="after")
    @classmethod
    def _in_range(cls, value: float) -> float:
        if not 0 <= value <= THRESHOLD_MAX:
            hint = f" : vouliez-vous {value / 100:g} ?".replace(".", ",") \
                if 0 <= value / 100 <= THRESHOLD_MAX else ""
            raise ValueError(_("un seuil entre 0 et {threshold_max:g} (1 = 100 % de "
                               "réalisation){hint}").format(
                                 threshold_max=THRESHOLD_MAX, hint=hint))
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
        given = {k: v for k, v in values.items() if k in cls.model_fields and v is not None}
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
        """Whether statuses use the final vocabulary (atteint / partiellement / non atteint)."""
        return self._summative

    def for_phase(self, summative: bool) -> Thresholds:
        """The same thresholds, speaking the vocabulary of a formative or summative phase."""
        out = self.model_copy()
        out._summative = bool(summative)
        return out

    @property
    def edges(self) -> tuple[float, ...]:
        """The three thresholds, for printing a figure in its status's band
        (:func:`maroc_eval.fmt.achievement`)."""
        if self._summative:
            return (self.threshold_met, self.threshold_late)
        return (self.threshold_met, self.threshold_on_track, self.threshold_late)

"""``maroc-eval grille``: which grids to write, from which data, where."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..base.errors import ParameterError, suggest
from ..base.i18n import _
from ..core.appraisal import PROGRAMME_KEY
from ..core.dataset import read_dataset
from .context import phase_contexts
from .writer import write_grids


def make_grids(programme_file: Path, data_dir: Path, outputs: Path, *, phase: str = "all",
               pairs: tuple[str, ...] = (), programme_only: bool = False,
               replace: bool = False, day: dt.date | None = None) -> list[Path]:
    """Write the evaluation grids of some pairs (and of the programme) and phases.

    Parameters
    ----------
    programme_file : Path
    data_dir : Path
        The data folder: the monitoring data (the evidence) and the store (the team's text).
    outputs : Path
        Where the grids are written (``outputs/grilles`` by default).
    phase : str
        A phase code, or ``all``.
    pairs : tuple of str
        The pairs, ``programme`` among them if wanted (default: every pair, and the
        programme).
    programme_only : bool
        Only the programme's grid.
    replace : bool
        Overwrite a grid that holds text not yet imported.
    day : date, optional
        The date recorded in the grids (default today).

    Returns
    -------
    list of Path
        The grids written.

    Raises
    ------
    ParameterError
        An unknown pair or phase, or ``pairs`` with ``programme_only``.
    InputError
        The data folder holds errors, or a grid in the way holds text not yet imported.
    """
    dataset = read_dataset(programme_file, data_dir)
    programme = dataset.programme
    if dataset.matrix is None:
        raise ParameterError(_("Pas de matrice d'évaluation (params/evaluation.yml) : la "
                               "grille en est la colonne vertébrale."))
    phases = programme.select_phases(phase)
    if programme_only and pairs:
        raise ParameterError(_("--programme-seul et --partenariat s'excluent : choisissez."))
    for pair in pairs:
        if pair not in programme.pair_codes and pair != PROGRAMME_KEY:
            raise ParameterError(_("Partenariat inconnu « {pair} »{hint}. Valeurs possibles : "
                                   "{pairs}.").format(pair=pair,
                                                      hint=suggest(pair, programme.pair_codes),
                                                      pairs=", ".join(programme.pair_codes)))
    whos = ([PROGRAMME_KEY] if programme_only else list(dict.fromkeys(pairs))
            or [*programme.pair_codes, PROGRAMME_KEY])
    contexts = [ctx for ph in phases for ctx in phase_contexts(dataset, ph, whos)]
    return write_grids(contexts, Path(outputs), replace=replace, day=day)

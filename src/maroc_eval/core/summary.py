"""The indicator summary printed by ``maroc-eval summary``: RI index per pair and phase.

Each pair is judged with its own thresholds, resolved as a notebook resolves them (programme,
phase file, pair file, then the command's ``-f`` and ``-p``: :mod:`maroc_eval.core.settings`),
and each figure is printed in the band
of its status.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..base import fmt
from ..base.errors import InputError, ParameterError, Problem, display_path, suggest
from ..base.i18n import _
from ..base.status import status_label
from . import indicators
from .dataset import read_dataset
from .settings import Layer, file_layers, resolve_settings, settings_problems


def summary_lines(programme, obs, phase: str, pairs: tuple[str, ...] = (),
                  explicit: tuple[Layer, ...] = ()) -> list[str]:
    """The summary table as text lines: one row per pair, one column per RI plus the overall.

    Parameters
    ----------
    programme : Programme
    obs : DataFrame
        Observations (a phase's view or all of them: only years up to the phase count).
    phase : str
        A phase code.
    pairs : tuple of str
        The pairs shown (default: all).
    explicit : tuple of Layer
        The ``-f`` files and ``-p`` values of the command, over the phase and pair files (as
        ``run`` gives them to every notebook).

    Raises
    ------
    ParameterError
        A setting refused (:func:`~maroc_eval.core.settings.settings_problems`).
    """
    table = indicators.ri_index_table(programme, obs, phase)
    ris = [r.code for r in programme.results]
    shown = [p for p in programme.pairs if not pairs or p.code in pairs]
    label_w = max(len(p.label) for p in shown) + 2
    head = (_("Partenariat").ljust(label_w)
            + "".join(r.replace("RI", "RI ").rjust(8) for r in ris)
            + _("Ensemble").rjust(10) + "  " + _("Statut"))
    out = [_("{phase} — année de référence {year}").format(
        phase=programme.phases[phase].label, year=programme.phases[phase].year),
        head, "-" * len(head)]
    settings = {pair.code: pair_settings(programme, phase, pair.code, explicit)
                for pair in shown}
    problems = [p for s in settings.values() for p in settings_problems(s, programme)]
    if problems:
        raise ParameterError("\n".join(dict.fromkeys(problems)))
    for pair in shown:
        thresholds = settings[pair.code].thresholds
        row = table.loc[pair.code]
        known = [v for v in row if v == v]
        overall = sum(known) / len(known) if known else None

        out.append(pair.label.ljust(label_w)
                   + "".join(_cell(None if v != v else v, thresholds, 8) for v in row)
                   + _cell(overall, thresholds, 10) + "  "
                   + status_label(indicators.status(overall, thresholds)))
    return out


def pair_settings(programme, phase: str, pair: str, explicit: tuple[Layer, ...] = ()):
    """A pair's settings at a phase, resolved as its notebooks resolve them under ``run``."""
    layers = [*file_layers(Path(programme.source), phase, pair), *explicit]
    return resolve_settings(programme, phase, pair, layers=layers)


def _cell(value, thresholds, width: int) -> str:
    return fmt.achievement(value, thresholds.edges).replace(fmt.NNBSP, " ").rjust(width)


def print_summary(programme_file: Path, data_dir: Path, phase: str, echo: Callable = print,
                  pairs: tuple[str, ...] = (), explicit: tuple[Layer, ...] = ()) -> None:
    """Load the programme and the data, then print the summary of each selected phase.

    Raises
    ------
    ParameterError
        An unknown phase or pair.
    InputError
        The programme or the data hold errors, or the data folder holds no monitoring file.
    """
    dataset = read_dataset(Path(programme_file), Path(data_dir))
    if dataset.observations.empty:  # a table of dashes would say « non renseigné » of all
        raise InputError([Problem(display_path(data_dir), None, None, None, _(
            "un dossier de données avec au moins un fichier de suivi (.csv, .xlsx) : ce dossier "
            "n'en contient aucun ; choisissez-le avec --donnees ou dans params/projet.yml"),
            kind="no-observations")])
    programme = dataset.programme.localised()  # phase labels in the user's language
    selected = programme.select_phases(phase)
    unknown = [p for p in pairs if p not in programme.pair_codes]
    if unknown:
        raise ParameterError(
            "; ".join(_("Partenariat inconnu « {value} »{hint}").format(
                value=p, hint=suggest(p, programme.pair_codes)) for p in unknown)
            + _(". Valeurs possibles : {choices}.").format(choices=", ".join(programme.pair_codes)))
    for code in selected:
        for line in summary_lines(programme, dataset.for_phase(code).observations, code, pairs,
                                  explicit):
            echo(line)
        echo("")
    echo(_("Indice = moyenne des taux de réalisation plafonnés à 100 % des indicateurs "
           "renseignés ; chaque partenariat est jugé avec ses seuils (params/)."))

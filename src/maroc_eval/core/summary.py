"""The indicator summary printed by ``maroc-eval summary``: RI index per pair and phase."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .. import fmt, paths
from . import indicators
from .observations import load_observations
from .programme import load_programme


def summary_lines(programme, obs, phase: str) -> list[str]:
    """The summary table as text lines: one row per pair, one column per RI plus the overall.

    Parameters
    ----------
    programme : Programme
    obs : DataFrame
        Observations.
    phase : str
        A phase code.
    """
    table = indicators.ri_index_table(programme, obs, phase)
    ris = [r.code for r in programme.results]
    label_w = max(len(p.label) for p in programme.pairs) + 2
    head = ("Partenariat".ljust(label_w) + "".join(r.replace("RI", "RI ").rjust(8) for r in ris)
            + "Ensemble".rjust(10) + "  Statut")
    out = [f"{programme.phases[phase].label} — année de référence "
           f"{programme.phases[phase].year}", head, "-" * len(head)]
    for pair in programme.pairs:
        row = table.loc[pair.code]
        known = [v for v in row if v == v]
        overall = sum(known) / len(known) if known else None
        cells = "".join(fmt.achievement(None if v != v else v).replace(fmt.NNBSP, " ").rjust(8)
                        for v in row)
        out.append(pair.label.ljust(label_w) + cells
                   + fmt.achievement(overall).replace(fmt.NNBSP, " ").rjust(10)
                   + "  "
                   + indicators.STATUS_LABELS[indicators.status(overall, programme.thresholds)])
    return out


def print_summary(programme_file: Path, data_dir: Path, phase: str, echo: Callable = print) -> None:
    """Load the programme and the data, then print the summary of each selected phase."""
    programme = load_programme(programme_file)
    selected = programme.select_phases(phase)
    files, _ = paths.data_files(Path(data_dir))
    obs = load_observations(files, programme)
    for code in selected:
        for line in summary_lines(programme, obs, code):
            echo(line)
        echo("")
    echo("Indice = moyenne des taux de réalisation plafonnés à 100 % des indicateurs renseignés.")

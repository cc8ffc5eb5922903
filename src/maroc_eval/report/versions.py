"""Which version a report is: signed, a draft changed since a signed version, or never signed.

Read from the signed versions kept in the data folder the report's notebooks used (their
sidecars' ``data_dir``): :func:`maroc_eval.base.signature.version_state` compares the report's
current inputs with the latest signed version's. The state goes into the report's key
(:mod:`maroc_eval.report.keys`: signing, or changing a signed input, rebuilds the cover) and onto
its cover (:func:`maroc_eval.report.sections.version_state`).
"""

from __future__ import annotations

from pathlib import Path

from ..base.signature import PROGRAMME, VersionState, version_state
from .provenance import resolve_data_dir


def data_dir_of(outputs) -> Path | None:
    """The data folder the notebooks of a report read (from the first sidecar that says it)."""
    for out in outputs:
        sidecar = getattr(out, "sidecar", None)
        if sidecar is not None and sidecar.parameters.get("data_dir"):
            return resolve_data_dir(sidecar.parameters["data_dir"])
    return None


def phases_seen(programme, phase: str) -> list[str]:
    """The phases a report of ``phase`` sees: its own and the earlier ones."""
    year = programme.phases[phase].year
    return [ph.code for ph in programme.phases.values() if ph.year <= year]


def pair_state(programme_file: Path, programme, pin) -> VersionState:
    """The version state of a pair's report (``pin``: its :class:`~.inputs.PairInputs`)."""
    return version_state(programme_file, data_dir_of([*pin.ris.values(), pin.synthesis]),
                         pin.phase, pin.pair, phases_seen(programme, pin.phase))


def programme_state(programme_file: Path, programme, phase: str, output) -> VersionState:
    """The version state of the programme report of a phase (``output``: its synthesis)."""
    return version_state(programme_file, data_dir_of([output]), phase, PROGRAMME,
                         phases_seen(programme, phase))

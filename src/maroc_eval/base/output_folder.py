"""Output folders: refused where they would put the user's own files at risk, marked when the
toolkit makes them.

``maroc-eval run``, ``report`` and ``formulaire`` write where ``--sorties`` says (and ``run``
sweeps its own temporary files there); ``make clean-outputs`` empties such a folder. Both are safe
only in a folder of the toolkit's own. :func:`check_output_folder` is the one check every
command applies to its output folder before writing anything: the filesystem root, the home
folder, the project root and the data folder are refused, and so is any folder holding one of
them, or inside the data folder (raw data are never written). :func:`claim_output_folder`
writes the marker (:data:`MARKER`) in a folder the toolkit creates, or finds empty, for its
outputs; ``make clean-outputs`` deletes nothing in a folder without it.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from pathlib import Path

from . import paths
from .errors import OutputError, ParameterError, display_path
from .i18n import N_, _
from .ledger import output_problem

MARKER = ".maroc-eval-sorties"
"""The file that says a folder was made by the toolkit for its outputs (read by the Makefile's
``clean-outputs``: keep the two in step)."""
KEPT = (".gitkeep", MARKER)
"""What a folder may hold and still count as empty (the project's ``outputs/`` has a
``.gitkeep``)."""

ROOT = N_("la racine du système de fichiers")
HOME = N_("votre dossier personnel")
PROJECT = N_("la racine du projet")
DATA = N_("le dossier de données")


def _guarded(data_dirs: Iterable[Path | str | None]) -> list[tuple[Path, str]]:
    """The folders an output folder may be neither, nor hold: each resolved, with its name."""
    guarded = [(Path(os.path.abspath(os.sep)), ROOT), (paths.PROJ_ROOT, PROJECT)]
    with contextlib.suppress(RuntimeError, KeyError, OSError):  # no home folder known
        guarded.append((paths.resolved(Path.home()), HOME))
    for data_dir in data_dirs:
        if data_dir is not None:
            guarded.append((paths.resolved(data_dir), DATA))
    return guarded


def check_output_folder(folder: Path | str, data_dirs: Iterable[Path | str | None] = (), *,
                        option: str = "--sorties") -> Path:
    """Refuse an output folder that would put the user's own files at risk; return it resolved.

    Parameters
    ----------
    folder : Path or str
        The output folder asked for (``--sorties``).
    data_dirs : iterable of Path
        The data folders in play (``--donnees``, the project's): an output folder may not be one,
        hold one, nor lie inside one.
    option : str
        The option named in the message.

    Returns
    -------
    Path
        The folder, absolute, its symbolic links followed.

    Raises
    ------
    ParameterError
        The folder is the filesystem root, the home folder, the project root or a data folder,
        holds one of them, lies inside a data folder, or is a file.
    OSError
        ``ELOOP``: the path is a symbolic link loop (said by the commands).
    """
    resolved = paths.resolved(folder)
    for guarded, name in _guarded(data_dirs):
        if resolved == guarded:
            what = _("c'est {name}").format(name=_(name))
        elif resolved in guarded.parents:
            what = _("ce dossier contient {name} ({path})").format(
                name=_(name), path=display_path(guarded))
        elif name == DATA and guarded in resolved.parents:
            what = _("ce dossier est dans {name} ({path}), qui n'est jamais modifié").format(
                name=_(name), path=display_path(guarded))
        else:
            continue
        raise ParameterError(_(
            "{option} « {folder} » : {what} ; attendu : un dossier propre aux résultats (par "
            "défaut outputs/) : maroc-eval y écrit, y fait le ménage de ses fichiers "
            "temporaires et « make clean-outputs » le vide.").format(
                option=option, folder=display_path(folder), what=what))
    if resolved.exists() and not resolved.is_dir():
        raise ParameterError(_("{option} « {folder} » : c'est un fichier ; attendu : un "
                               "dossier.").format(option=option, folder=display_path(folder)))
    return resolved


def is_fresh(folder: Path) -> bool:
    """Whether a folder does not exist yet, or holds nothing but :data:`KEPT` files."""
    folder = Path(folder)
    if not folder.exists():
        return True
    return folder.is_dir() and all(p.name in KEPT for p in folder.iterdir())


def claim_output_folder(folder: Path, fresh: bool | None = None) -> Path:
    """Create an output folder if needed and mark it as the toolkit's when it is.

    The marker is written in a folder the toolkit creates or finds empty (``fresh``: as it
    was before the command, default now), and in the project's own ``outputs/``; never in a
    folder that already held other files (``make clean-outputs`` will not empty it).

    Returns
    -------
    Path
        The folder.

    Raises
    ------
    OutputError
        The folder cannot be made or written (read-only, full…).
    """
    folder = Path(folder)
    fresh = is_fresh(folder) if fresh is None else fresh
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if fresh or paths.resolved(folder) == paths.resolved(paths.OUTPUTS_DIR):
            marker = folder / MARKER
            if not marker.exists():
                marker.write_text(_("Dossier de sorties créé par maroc-eval : « make "
                                    "clean-outputs OUTPUTS={folder} » peut le vider.").format(
                                        folder=folder) + "\n", encoding="utf-8")
    except OSError as exc:  # read-only, full…: said as any output that cannot be written
        raise OutputError(output_problem(folder, exc)) from None
    return folder

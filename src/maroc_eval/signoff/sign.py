"""Write a signed version: ``<data>/signatures/<phase>/<who>/v<version>/``.

Under the data folder's lock (and the outputs folder's, so that no report is rebuilt while it
is copied), once :func:`maroc_eval.signoff.readiness.examine` finds nothing standing in the way,
the deliverables and the team's appraisal files are copied into a temporary folder beside the
version's (``.v1.1.<id>.tmp``), hashed as copied, ``signature.yml`` written last, everything
flushed to disk, then the folder renamed to ``v1.1``. A failure or an interruption leaves no
version folder (the temporary one is removed, or swept by the next signing if the process was
killed); an existing version folder is never written over.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import secrets
import shutil
from pathlib import Path

from .. import __version__
from ..base import fmt, paths
from ..base.datalock import holding
from ..base.errors import OutputError, ParameterError, display_path, os_reason
from ..base.i18n import _, ngettext
from ..base.ledger import RunLock
from ..base.signature import SIGNATURE_FILE, Signature
from ..base.signed_changes import appraisal_copy, change_lines
from ..report import keys as report_keys
from .readiness import Ready, Request, SigningRefused, examine


def data_folder_lock(data_dir: Path):
    """Hold the data folder's lock while a version is written in it (the toolkit's
    data-folder lock, :func:`maroc_eval.base.datalock.holding`: a grid import or a communes' import
    never writes meanwhile)."""
    return holding(data_dir)


def _outputs_lock(outputs: Path):
    """The outputs folder's lock (no run nor report build meanwhile), if the folder exists."""
    return RunLock(paths.lock_path(outputs)) if Path(outputs).is_dir() \
        else contextlib.nullcontext()


def sweep_temporaries(data_dir: Path, phase: str, who: str) -> None:
    """Remove the temporary folders a killed signing left (we hold the data folder's lock)."""
    root = paths.signature_dir(data_dir, phase, who)
    if root.is_dir():
        for tmp in root.glob(".v*.tmp"):
            shutil.rmtree(tmp, ignore_errors=True)


def sign_report(request: Request, echo=print) -> Path:
    """Sign the report of a pair (or the programme) at a phase.

    Parameters
    ----------
    request : Request
        What to sign, with whom and where (:class:`~maroc_eval.signoff.readiness.Request`).
    echo : callable
        Where the lines saying what was signed go.

    Returns
    -------
    Path
        The version folder written.

    Raises
    ------
    SigningRefused
        Every reason the report cannot be signed yet (nothing is written).
    ParameterError, InputError
        An unknown phase or pair, a data folder that does not exist, errors in the inputs.
    LockedError
        Another command works on the data or the outputs folder.
    OutputError
        The version could not be written (nothing is left of it).
    """
    data_dir = Path(request.data_dir)
    if not data_dir.is_dir():  # never made by signing (nor by its lock)
        raise ParameterError(_("Dossier de données introuvable : « {folder} » (--donnees).")
                             .format(folder=display_path(data_dir)))
    with _outputs_lock(request.outputs), data_folder_lock(data_dir):
        sweep_temporaries(data_dir, request.phase, request.who)
        ready, reasons = examine(request)
        if reasons:
            raise SigningRefused(reasons, f"{request.phase} / {request.who}")
        folder, record = write_version(request, ready)
    for line in signed_lines(folder, record, ready):
        echo(line)
    return folder


def write_version(request: Request, ready: Ready) -> tuple[Path, Signature]:
    """Copy, hash and record a version in a temporary folder, then rename it into place.

    Raises
    ------
    SigningRefused
        The version folder appeared meanwhile, or a file changed while it was copied.
    OutputError
        A copy or a write failed (disk full, read-only folder…).
    """
    final = paths.signed_version_dir(request.data_dir, request.phase, request.who, ready.version)
    parent = final.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        tmp = parent / f".v{ready.version}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
        tmp.mkdir()
    except OSError as exc:
        raise OutputError(_write_problem(parent, exc)) from None
    try:
        outputs = {path.name: copy_hashed(path, tmp / path.name) for path in ready.deliverables}
        changed = []
        for name, source in ready.inputs.items():
            copy = appraisal_copy(name)
            if copy is not None and copy_hashed(source, tmp / copy) != ready.manifest[name]:
                changed.append(display_path(source))
        html = ready.deliverables[0]
        if report_keys.stamped_key(tmp / html.name) != ready.report_key:
            changed.append(display_path(html))
        if changed:
            raise SigningRefused([_("« {file} » a changé pendant la signature.").format(file=f)
                                  for f in changed])
        record = Signature(request.phase, request.who, ready.version, ready.evaluation_date,
                           ready.signed_on, ready.signatories, ready.manifest, outputs,
                           _language(), _tool(), ready.changes)
        _write(tmp / SIGNATURE_FILE, record.dump().encode("utf-8"))
        for folder in sorted({p.parent for p in tmp.rglob("*")} | {tmp}, reverse=True):
            _fsync_dir(folder)
        if final.exists():
            raise SigningRefused([_("« {folder} » existe déjà : une version signée n'est jamais "
                                    "remplacée.").format(folder=display_path(final))])
        os.rename(tmp, final)
        _fsync_dir(parent)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        if exc.errno in (errno.EEXIST, errno.ENOTEMPTY):
            raise SigningRefused([_("« {folder} » existe déjà : une version signée n'est "
                                    "jamais remplacée.").format(folder=display_path(final))]
                                 ) from None
        raise OutputError(_write_problem(final, exc)) from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return final, record


def copy_hashed(source: Path, target: Path) -> str:
    """Copy a file (a new file, flushed to disk) and return the SHA-256 of the bytes written."""
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    with open(source, "rb") as src, open(target, "xb") as dst:
        for block in iter(lambda: src.read(1 << 16), b""):
            digest.update(block)
            dst.write(block)
        dst.flush()
        os.fsync(dst.fileno())
    return digest.hexdigest()


def _write(path: Path, data: bytes) -> None:
    with open(path, "xb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_problem(path: Path, exc: OSError) -> str:
    return _("Impossible d'écrire la version signée dans « {path} » : {reason}. Rien n'a été "
             "signé.").format(path=display_path(path), reason=os_reason(exc))


def _language() -> str:
    from ..base import i18n

    return i18n.language()


def _tool() -> dict[str, str]:
    from ..report.provenance import git_commit

    return {"maroc_eval": __version__, "commit": git_commit()}


def signed_lines(folder: Path, record: Signature, ready: Ready) -> list[str]:
    """What was signed, for the terminal: version, dates, signatories, files and short hashes."""
    lines = [_("Version {version} signée : {folder}").format(version=record.version,
                                                             folder=display_path(folder)),
             "  " + _("Date de l'évaluation : {date} ; signée le {signed} par {names}.").format(
                 date=fmt.long_date(record.evaluation_date),
                 signed=fmt.long_date(record.signed_on),
                 names=" ; ".join(s.label for s in record.signatories)),
             "  " + _("Fichiers signés (SHA-256) :")]
    copies = {name: digest for name, digest in record.inputs.items() if appraisal_copy(name)}
    width = max(len(n) for n in [*record.outputs, *(str(appraisal_copy(n)) for n in copies)])
    lines += [f"    {name.ljust(width)}  {digest[:12]}" for name, digest in record.outputs.items()]
    lines += [f"    {str(appraisal_copy(name)).ljust(width)}  {digest[:12]}"
              for name, digest in copies.items()]
    n = len(record.inputs)
    lines.append("  " + ngettext("{n} entrée et son empreinte dans {file}.",
                                 "{n} entrées et leurs empreintes dans {file}.", n).format(
        n=n, file=SIGNATURE_FILE))
    if ready.changes is not None:
        lines.append("  " + _("Modifications depuis la version {version} :").format(
            version=ready.changes.since))
        for text, places in change_lines(ready.changes):
            lines.append(f"    - {text}")
            lines += [f"        {p}" for p in places]
    lines.append(_("Lancez « maroc-eval report » : la couverture des rapports indiquera la "
                   "version signée."))
    return lines

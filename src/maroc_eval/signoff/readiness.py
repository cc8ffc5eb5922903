"""Whether a report can be signed, and every reason why not.

A report is signed when nothing of the team's appraisal is left « à compléter », every check is
fixed or answered, someone signs, the evaluation has its date in the matrix's calendar, the
version to write does not exist yet and differs from the last signed one, and the reports are
up to date with the current inputs.

**Up to date** is judged on the report files themselves, recomputed now:

- the key stamped in the HTML report (``<meta name="maroc-eval-entrees">``) equals the key
  :func:`maroc_eval.report.build.current_key` computes from the outputs as they are (executed
  notebooks, their sidecars and ledger entries, code, templates, programme file, language,
  navigation, and the version state — so a report built before a signature or before a change
  of a signed input is out of date); a PDF or Word version, when produced, carries the key of
  that HTML; the Excel annex was written with it (not older);
- the executed notebooks were computed from the current data: the report's chapters are all
  available (no failed or missing notebook, none changed since its run), they read this data
  folder, and the data key the last ``maroc-eval run`` recorded in the outputs
  (:func:`maroc_eval.base.paths.last_data_key_path`, :func:`maroc_eval.base.digest.dataset_key`:
  programme, matrix and every data file) equals the data folder's key now.

What this does not see: a phase or pair parameter file or a notebook edited since the run
(``run`` reruns what they change; the manifest of the signed version records their hashes).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ..base import fmt, paths
from ..base.digest import dataset_key
from ..base.errors import EvaluationError, ParameterError, display_path, suggest
from ..base.i18n import _, ngettext
from ..base.signature import (
    PROGRAMME,
    Signatory,
    Signature,
    SignatureUnreadable,
    compare,
    input_files,
    manifest,
    next_version,
    read_signature,
    valid_version,
    version_folders,
)
from ..base.signed_changes import Changes
from ..core.matrix import load_matrix
from ..core.programme import load_programme
from ..report import keys as report_keys

MAX_REASONS = 200
"""Most reasons listed one by one (the others are counted)."""


class SigningRefused(EvaluationError):
    """The report cannot be signed yet: every reason, in the language spoken (exit status 2)."""

    def __init__(self, reasons: list[str], what: str = ""):
        self.reasons = list(reasons)
        self.what = what
        n = len(self.reasons)
        super().__init__(ngettext("Signature refusée : {n} raison.",
                                  "Signature refusée : {n} raisons.", n).format(n=n))

    def messages(self) -> list[str]:
        """A heading, one line per reason (capped), then what to do."""
        shown = [f"  - {r}" for r in self.reasons[:MAX_REASONS]]
        more = len(self.reasons) - MAX_REASONS
        if more > 0:
            shown.append("  " + _("… et {n} autres raisons.").format(n=more))
        return [_("Signature refusée{what} :").format(what=f" ({self.what})" if self.what
                                                       else ""), *shown,
                _("Rien n'a été écrit. Corrigez ces points, puis relancez « maroc-eval signer "
                  "».")]


@dataclass
class Request:
    """What ``maroc-eval signer`` is asked.

    ``outputs`` is the folder of the reports in the language spoken (``outputs`` or
    ``outputs/en``); ``signatories`` are the ``--signataire`` values (« Nom, fonction »),
    empty for the matrix's signatories; ``signed_on`` the date of signing (default: today).
    """

    programme_file: Path
    data_dir: Path
    outputs: Path
    phase: str
    who: str
    signatories: tuple[str, ...] = ()
    signed_on: dt.date | None = None


@dataclass
class Ready:
    """Everything a signed version is written from, once nothing stands in the way."""

    version: str
    evaluation_date: dt.date
    signed_on: dt.date
    signatories: list[Signatory]
    inputs: dict[str, Path]
    manifest: dict[str, str]
    deliverables: list[Path]
    report_key: str
    changes: Changes | None = None
    """What changed since the previous signed version (``None`` for the first)."""


def check_request(request: Request):
    """The programme and the matrix of a request, once its phase and pair are known codes.

    Raises
    ------
    ParameterError
        An unknown phase or pair (with the closest known code).
    InputError
        The programme or the matrix holds errors.
    """
    programme = load_programme(request.programme_file)
    if request.phase not in programme.phases:
        raise ParameterError(_("Phase inconnue « {phase} »{hint}. Valeurs possibles : "
                               "{choices}.").format(
            phase=request.phase, hint=suggest(request.phase, list(programme.phases)),
            choices=", ".join(programme.phases)))
    if request.who != PROGRAMME and request.who not in programme.pair_codes:
        raise ParameterError(_("Partenariat inconnu « {pair} »{hint}. Valeurs possibles : "
                               "{choices}.").format(
            pair=request.who, hint=suggest(request.who, programme.pair_codes),
            choices=", ".join(programme.pair_codes)))
    return programme, load_matrix(programme)


def signatories(given: tuple[str, ...], matrix, reasons: list[str],
                matrix_file: Path | None = None) -> list[Signatory]:
    """The signatories: ``--signataire`` values (« Nom, fonction »), else the matrix's team
    members marked ``signataire: true`` (``matrix_file``: where they are, for the message)."""
    found = []
    for text in given:
        name, _comma, role = str(text).partition(",")
        if not name.strip() or not role.strip():
            reasons.append(_("--signataire « {value} » : attendu « Nom, fonction » (ex. "
                             "« Nadia Berrada, cheffe de mission »).").format(value=text))
            continue
        found.append(Signatory(name.strip(), role.strip()))
    if not given and matrix is not None:
        found = [Signatory(m.name, m.role) for m in matrix.team if m.signatory]
    if not found and not given:
        reasons.append(_("Aucun signataire : donnez --signataire « Nom, fonction », ou marquez "
                         "« signataire: true » un membre de l'équipe dans {file}.").format(
            file=display_path(matrix_file or paths.evaluation_file(paths.PROGRAMME_FILE))))
    return found


def appraisal_reasons(programme_file: Path, data_dir: Path, phase: str, who: str) -> list[str]:
    """Each place « à compléter » and each check neither fixed nor answered, located
    (store file:line)."""
    from ..core.dataset import read_dataset
    from ..core.review import review

    dataset = read_dataset(programme_file, data_dir)
    if dataset.matrix is None:
        return []
    found = review(dataset, phase, who)
    store = dataset.appraisals
    file = store.file(phase, who)
    reasons = []
    for blank in found.blanks:
        line = store.line(phase, who, *blank.path)
        where = f"{file}:{line}" if line else file
        reasons.append(_("{where} : à compléter par l'équipe — {what}.").format(
            where=where, what=blank.what))
    for check in found.open_checks:
        line = store.line(phase, who, *check.path)
        where = f"{file}:{line}" if line else file
        reasons.append(_("{where} : contrôle « {id} » ni corrigé ni répondu (sous "
                         "« controles ») — {message}").format(where=where, id=check.id,
                                                            message=check.message))
    return reasons


def version_reasons(data_dir: Path, phase: str, who: str, first: str
                    ) -> tuple[str | None, tuple[Signature, Path] | None, list[str]]:
    """The version to write, the latest signed one, and why none can be written.

    Every version folder must hold a readable record (a folder of unknown content is never
    taken for a version, nor written over).
    """
    reasons, latest = [], None
    for _version, folder in version_folders(data_dir, phase, who):
        try:
            latest = (read_signature(folder), folder)
        except SignatureUnreadable as exc:
            reasons.append(_("« {folder} » existe mais n'est pas une version signée lisible "
                             "({why}) : une version signée n'est jamais remplacée ; rangez ce "
                             "dossier ailleurs s'il n'en est pas une.").format(
                folder=display_path(folder), why=exc))
    if not valid_version(first):
        reasons.append(_("Version « {version} » de la matrice d'évaluation : attendu "
                         "<majeure>.<mineure>, ex. 1.0.").format(version=first))
        return None, latest, reasons
    version = next_version(latest[0].version if latest else None, first)
    target = paths.signed_version_dir(data_dir, phase, who, version)
    if target.exists():
        reasons.append(_("« {folder} » existe déjà : une version signée n'est jamais "
                         "remplacée.").format(folder=display_path(target)))
    return version, latest, reasons


def deliverables(outputs: Path, phase: str, who: str) -> tuple[Path, list[Path]]:
    """The HTML report and every deliverable to sign that exists (HTML, PDF, Word, and for a
    pair the Excel annex)."""
    html = (paths.programme_report_path(outputs, phase) if who == PROGRAMME
            else paths.pair_report_path(outputs, phase, who))
    found = [html, *(paths.report_format_path(html, f) for f in ("pdf", "docx"))]
    if who != PROGRAMME:
        found.append(paths.pair_annex_path(outputs, phase, who))
    return html, [p for p in found if p.exists()]


def report_reasons(request: Request, programme, html: Path) -> tuple[str | None, list[str]]:
    """Why the reports are not those of the current inputs (see the module's docstring); the
    key the HTML report carries when it is."""
    from ..report import docx, formats, pdf
    from ..report.build import current_key
    from ..report.inputs import load_pair, load_programme_output, read_ledger
    from ..report.versions import data_dir_of

    outputs, phase, who = Path(request.outputs), request.phase, request.who
    run_first = _("lancez « maroc-eval run » puis « maroc-eval report »")
    if not outputs.is_dir():
        return None, [_("Aucun résultat dans « {folder} » : {todo}.").format(
            folder=display_path(outputs), todo=run_first)]
    reasons = []
    entries = read_ledger(outputs, phase)
    if who == PROGRAMME:  # it synthesises every pair: each pair's synthesis must be there
        found = [load_programme_output(outputs, phase, entries),
                 *(load_pair(outputs, phase, p, entries).synthesis
                   for p in programme.pair_codes)]
    else:
        pin = load_pair(outputs, phase, who, entries)
        found = [*pin.ris.values(), pin.synthesis]
    for out in found:
        why = out.damaged or out.reason
        if why:
            title = _(out.spec.title)
            if who == PROGRAMME and out.spec.scope == "pair":
                title = f"{title} — {programme.pair_map[out.path.parent.name].label}"
            reasons.append(_("Chapitre « {title} » indisponible ({why}) : {todo}.").format(
                title=title, why=why, todo=run_first))
    used = data_dir_of(found)
    if used is not None and used != Path(request.data_dir).resolve():
        reasons.append(_("Les rapports ont été calculés sur les données de « {used} », pas sur "
                         "« {given} » (--donnees).").format(used=display_path(used),
                                                          given=display_path(request.data_dir)))
    try:
        recorded = paths.last_data_key_path(outputs).read_text("utf-8").strip()
    except (OSError, UnicodeDecodeError):
        recorded = None
    if recorded != dataset_key(request.programme_file, request.data_dir):
        reasons.append(_("Les données ont changé depuis le dernier calcul (ou aucun calcul "
                         "n'est enregistré dans « {folder} ») : {todo}.").format(
            folder=display_path(outputs), todo=run_first))
    stamped = report_keys.stamped_key(html)
    if not html.exists() or stamped is None:
        reasons.append(_("Rapport absent : « {file} » ; lancez « maroc-eval report ».").format(
            file=display_path(html)))
        return None, reasons
    if stamped != current_key(request.programme_file, outputs, phase, who):
        reasons.append(_("Rapport « {file} » pas à jour (ses entrées ou sa version ont changé "
                         "depuis qu'il a été produit) : lancez « maroc-eval report ».").format(
            file=display_path(html)))
    pdf_file, docx_file = (paths.report_format_path(html, f) for f in ("pdf", "docx"))
    if pdf_file.exists() and pdf.stamped_key(pdf_file) != stamped:
        reasons.append(_("Version PDF « {file} » pas à jour de son rapport HTML : lancez "
                         "« maroc-eval report ».").format(file=display_path(pdf_file)))
    if docx_file.exists() and docx.stamped_key(docx_file) != formats.docx_key(stamped):
        reasons.append(_("Version Word « {file} » pas à jour de son rapport HTML : lancez "
                         "« maroc-eval report ».").format(file=display_path(docx_file)))
    if who != PROGRAMME:
        annex = paths.pair_annex_path(outputs, phase, who)
        if not annex.exists() or annex.stat().st_mtime < html.stat().st_mtime:
            reasons.append(_("Annexe Excel « {file} » absente ou plus ancienne que son rapport "
                             ": lancez « maroc-eval report --forcer ».").format(
                file=display_path(annex)))
    return stamped, reasons


def examine(request: Request) -> tuple[Ready | None, list[str]]:
    """Every reason the report cannot be signed now, and what to sign when there is none.

    Raises
    ------
    ParameterError, InputError
        An unknown phase or pair; errors in the programme, the matrix or the data (located).
    """
    programme, matrix = check_request(request)
    phase, who, data_dir = request.phase, request.who, Path(request.data_dir)
    reasons: list[str] = []
    if matrix is None:
        reasons.append(_("Pas de matrice d'évaluation ({file}) : ni équipe, ni calendrier, ni "
                         "appréciations à signer.").format(
            file=display_path(paths.evaluation_file(Path(request.programme_file)))))
    else:
        reasons += appraisal_reasons(request.programme_file, data_dir, phase, who)
    people = signatories(request.signatories, matrix, reasons,
                         paths.evaluation_file(Path(request.programme_file)))
    today = dt.date.today()
    signed_on = request.signed_on or today
    if signed_on > today:
        reasons.append(_("Date de signature {date} : elle ne peut pas être dans le "
                         "futur.").format(date=signed_on.isoformat()))
    calendar = matrix.calendar.get(phase) if matrix is not None else None
    if matrix is not None and calendar is None:
        reasons.append(_("Pas de date pour l'évaluation « {phase} » : ajoutez-la au "
                         "« calendrier » de {file} (clé « remise »).").format(
            phase=phase, file=display_path(paths.evaluation_file(Path(request.programme_file)))))
    version, latest, found = version_reasons(data_dir, phase, who,
                                             matrix.version if matrix is not None else "1.0")
    reasons += found
    seen = [ph.code for ph in programme.phases.values() if ph.year <= programme.phases[phase].year]
    files = input_files(request.programme_file, data_dir, phase, who, seen)
    current = manifest(files)
    changes = None
    if latest is not None:
        changes = compare(latest[0], latest[1], current, files)
        if changes.empty:
            reasons.append(_("Déjà signé : la version {version} (signée le {date}) porte "
                             "exactement ces entrées ; rien de nouveau à signer.").format(
                version=latest[0].version, date=fmt.long_date(latest[0].signed_on)))
    html, signed_files = deliverables(request.outputs, phase, who)
    key, found = report_reasons(request, programme, html)
    reasons += found
    if reasons or version is None or key is None or calendar is None:
        return None, reasons
    return Ready(version, calendar.delivery, signed_on, people, files, current, signed_files,
                 key, changes), []

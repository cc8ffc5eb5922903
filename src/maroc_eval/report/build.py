"""Build the evaluation reports: one offline HTML per pair and phase, a programme report per phase,
their PDF and Word versions, an Excel annex per pair and phase, and ``outputs/index.html``.

Each report joins executed notebooks (:mod:`maroc_eval.report.notebooks`) and is exported by
nbconvert's :class:`~nbconvert.HTMLExporter` (:mod:`maroc_eval.report.exporter`) with the
``rapport`` template of ``templates/``; the exporter is created once per build and shared by
all reports.
Only reports whose inputs changed are exported again (:mod:`maroc_eval.report.keys`), side by
side on the machine's cores (:mod:`maroc_eval.report.pool`); then the PDF and Word versions of
the reports whose HTML changed (:mod:`maroc_eval.report.formats`). Each report links to the
index, the other phase and the programme report (:mod:`maroc_eval.report.navigation`).
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from ..base import fmt, i18n, paths
from ..base.atomic import write_atomic
from ..base.catalogue import RI_NOTEBOOKS
from ..base.digest import sha256
from ..base.errors import OutputError, ParameterError, display_path
from ..base.i18n import _, ngettext
from ..base.ledger import RunLock
from ..base.output_folder import check_output_folder
from ..core.programme import load_programme
from . import keys as report_keys
from . import navigation, versions
from .exporter import settings as exporter_settings
from .formats import FORMATS, build_formats
from .index_page import PairRow, PhaseIndex, write_index
from .inputs import NOT_RUN, PairInputs, load_pair, load_programme_output, read_ledger
from .pool import run_tasks


def _export(exporter, nb, target: Path, key: str, nav: list[dict]) -> list[str]:
    from .pdf import css_string, page_counter_css

    running = nb.metadata.title.removeprefix(_("Rapport d’évaluation — {title}").format(title=""))
    lang = i18n.language()
    nb.metadata["maroc_eval"] = {"inputs": key,  # stamped in the head (report_keys)
                                 "navigation": nav, "running_header": css_string(running),
                                 "lang": lang}
    if lang != i18n.DEFAULT:  # the print style sheet's « page 3 / 57 », in the language
        nb.metadata["maroc_eval"]["page_footer"] = page_counter_css(
            _("page {page} / {pages}"))
    body, _resources = exporter.from_notebook_node(
        nb, resources={"metadata": {"name": nb.metadata.title}})
    write_atomic(target, body)
    size = len(body.encode("utf-8"))
    return [_("  {name} ({size} Mo)").format(name=target.name,
                                             size=fmt.number(size / 1e6, 2))]


def _damaged(phase: _PhaseInputs, outputs: Path) -> list[str]:
    """One line per executed notebook of the phase whose outputs are not the run's."""
    found = [o for pin in phase.pairs.values() for o in (*pin.ris.values(), pin.synthesis)]
    found.append(phase.programme_output)
    return [f"  {display_path(o.path)} : {o.damaged}" for o in found if o.damaged]


def _sweep_temporaries(outputs: Path) -> None:
    """Remove report files a killed build left half-written, and the folders a killed Word
    conversion worked in (we hold the lock)."""
    for tmp in outputs.glob("*/*/.*.tmp"):
        if not tmp.name.startswith((".rapport-", ".annexe-")):
            continue
        if tmp.is_dir() and not tmp.is_symlink():
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            tmp.unlink(missing_ok=True)


@dataclass
class _PhaseInputs:
    code: str
    entries: dict
    pairs: dict[str, PairInputs]
    programme_output: object


def _with_navigation(key: str, nav: list[dict]) -> str:
    """A report's key, its navigation bar included (a link that appears or goes rebuilds it)."""
    return sha256(key + json.dumps(nav, sort_keys=True, ensure_ascii=False))


def _pair_key(programme, common: str, outputs: Path, pin: PairInputs, entries: dict,
              will_exist, state) -> str:
    """The key of a pair's report: its inputs, its version state, its navigation bar."""
    nav = navigation.pair_navigation(programme, outputs, pin.phase, pin.pair, will_exist)
    key = report_keys.pair_key(common, outputs, pin.phase, pin.pair, entries)
    return _with_navigation(report_keys.with_version(key, state), nav)


def _programme_key(programme, common: str, outputs: Path, phase: str, entries: dict,
                   links: dict, will_exist, state) -> str:
    """The key of the programme report of a phase: as :func:`_pair_key`, with its links."""
    nav = navigation.programme_navigation(programme, outputs, phase, will_exist)
    key = report_keys.programme_key(common, outputs, phase, programme.pair_codes, entries, links)
    return _with_navigation(report_keys.with_version(key, state), nav)


def current_key(programme_file: Path, outputs: Path, phase: str, who: str) -> str | None:
    """The key the report of a pair (or ``"programme"``) at a phase gets if built now from the
    outputs as they are (reports present counted as they are: nothing is being built).

    What :mod:`maroc_eval.signoff` compares with the key stamped in the report to tell whether
    it is up to date; ``None`` when nothing of it was run.
    """
    programme, outputs = load_programme(programme_file).localised(), Path(outputs)
    entries = read_ledger(outputs, phase)
    common = report_keys.common_digest(programme_file)
    if who != "programme":
        pin = load_pair(outputs, phase, who, entries)
        if not pin.exists:
            return None
        return _pair_key(programme, common, outputs, pin, entries, Path.exists,
                         versions.pair_state(programme_file, programme, pin))
    output = load_programme_output(outputs, phase, entries)
    if not output.read and output.reason == _(NOT_RUN):
        return None
    pins = {p: load_pair(outputs, phase, p, entries) for p in programme.pair_codes}
    ph = _PhaseInputs(phase, entries, pins, output)
    return _programme_key(programme, common, outputs, phase, entries,
                          _links(programme, ph, outputs, set()), Path.exists,
                          versions.programme_state(programme_file, programme, phase, output))


_EXPORTERS: dict[str, object] = {}  # this process's HTML exporters, by their settings


def _exporter(settings: dict):
    """The HTML exporter of ``settings`` (nbconvert and its template loaded once per process:
    the settings come from the building process, whose ``paths`` they read)."""
    key = json.dumps(settings, sort_keys=True)
    if key not in _EXPORTERS:
        from nbconvert import HTMLExporter

        _EXPORTERS[key] = HTMLExporter(**settings)
    return _EXPORTERS[key]


def pair_report(programme, pin: PairInputs, outputs: Path, key: str, nav: list[dict],
                state, settings: dict) -> list[str]:
    """Export a pair's report and write its annex (a report task: plain, picklable arguments);
    its progress lines."""
    from .annex import write_annex
    from .notebooks import pair_notebook

    code, p = pin.phase, pin.pair
    lines = [_("Rapport {phase} / {pair}").format(phase=code, pair=p)]
    lines += _export(_exporter(settings), pair_notebook(programme, pin, state),
                     paths.pair_report_path(outputs, code, p), key, nav)
    phase = programme.phases[code]
    write_annex(paths.pair_annex_path(outputs, code, p), pin.ri_results,
                title=_("{pair} — {phase} ({year})").format(
                    pair=programme.pair_map[p].label, phase=phase.label, year=phase.year),
                baseline_year=programme.baseline_year, year=phase.year, programme=programme,
                pair_result=pin.synthesis.sidecar if pin.synthesis.available else None,
                cache_dir=paths.dataset_cache_dir(outputs))
    return lines


def programme_report(programme, phase: _PhaseInputs, links: dict, outputs: Path, key: str,
                     nav: list[dict], state, settings: dict) -> list[str]:
    """Export a phase's programme report (a report task); its progress lines."""
    from .notebooks import programme_notebook

    pair_results = {p: (i.synthesis.sidecar if i.synthesis.available else None)
                    for p, i in phase.pairs.items()}
    launched = {p: ((i.synthesis.metadata.get("maroc_eval") or {}).get("origins")
                    or {}) for p, i in phase.pairs.items() if i.synthesis.available}
    return [_("Rapport {phase} / programme").format(phase=phase.code), *_export(
        _exporter(settings), programme_notebook(programme, phase.code, phase.programme_output,
                                                pair_results, links, state, launched),
        paths.programme_report_path(outputs, phase.code), key, nav)]


def _links(programme, phase: _PhaseInputs, outputs: Path, building: set[Path]) -> dict[str, str]:
    links = {}
    for p in phase.pairs:
        report = paths.pair_report_path(outputs, phase.code, p)
        if report.exists() or report in building:
            links[programme.pair_map[p].label] = f"../{p}/{report.name}"
    return links


def _existing(path: Path) -> Path | None:
    return path if path.exists() else None


def _index_rows(programme, phase: _PhaseInputs, outputs: Path) -> list[PairRow]:
    rows = []
    for p, pin in phase.pairs.items():
        report, annex = (paths.pair_report_path(outputs, phase.code, p),
                         paths.pair_annex_path(outputs, phase.code, p))
        result = pin.synthesis.sidecar if pin.synthesis.available else None
        rows.append(PairRow(programme.pair_map[p].label,
                            result.overall_status if result else None,
                            result.overall_index if result else None,
                            {ri: (r.status if r else "indisponible")
                             for ri, r in pin.ri_results.items()},
                            _existing(report), _existing(annex), pin.exists,
                            _existing(paths.report_format_path(report, "pdf")),
                            _existing(paths.report_format_path(report, "docx")),
                            arabic=programme.pair_map[p].moroccan_ar))
    return rows


def _phase_index(programme, ph: _PhaseInputs, outputs: Path) -> PhaseIndex:
    report = paths.programme_report_path(outputs, ph.code)
    return PhaseIndex(ph.code, programme.phases[ph.code].label,
                      programme.phases[ph.code].year,
                      _index_rows(programme, ph, outputs), _existing(report), ph.entries,
                      _existing(paths.report_format_path(report, "pdf")),
                      _existing(paths.report_format_path(report, "docx")),
                      programme.thresholds.for_phase(programme.phases[ph.code].summative).edges)


def _fictitious(phases: list[_PhaseInputs]) -> bool:
    """Whether any result of the outputs comes from a data folder that says it is fictitious."""
    results = [r for ph in phases for pin in ph.pairs.values()
               for r in (*pin.ri_results.values(), pin.synthesis.sidecar)]
    results.append(next((ph.programme_output.sidecar for ph in phases), None))
    return any(getattr(r, "fictitious", False) for r in results if r is not None)


def _wanted(programme, phases: list[_PhaseInputs], selected, outputs: Path,
            formats: tuple[str, ...]) -> set[Path]:
    """The report files this build leaves in place (written now or already up to date)."""
    found: set[Path] = set()
    for ph in phases:
        if ph.code not in selected:
            continue
        for p, pin in ph.pairs.items():
            if pin.exists:
                found |= {paths.pair_report_path(outputs, ph.code, p),
                          paths.pair_annex_path(outputs, ph.code, p)}
        out = ph.programme_output
        if out.read or out.reason != _(NOT_RUN):
            found.add(paths.programme_report_path(outputs, ph.code))
    return found | {paths.report_format_path(r, f) for r in found if r.suffix == ".html"
                    for f in formats if f != "html"}


def _nothing_to_report(outputs: Path, phase: bool = False) -> ParameterError:
    """No results to report on: run first (in English, ``run --langue en``: outputs/en)."""
    lang = i18n.language()
    if lang != i18n.DEFAULT:
        return ParameterError(_("Aucun résultat en anglais à mettre en rapport dans « {outputs} "
                                "» : lancez d'abord « maroc-eval run --langue {lang} ».").format(
                                    outputs=outputs, lang=lang))
    if phase:
        return ParameterError(_("Aucun résultat à mettre en rapport dans « {outputs} » pour la "
                                "phase demandée : lancez d'abord « maroc-eval run ».").format(
                                    outputs=outputs))
    return ParameterError(_("Aucun résultat à mettre en rapport dans « {outputs} » : lancez "
                            "d'abord « maroc-eval run ».").format(outputs=outputs))


def _keep_states(programme_file: Path, programme, outputs: Path, phases: list[str],
                 echo) -> None:
    """Keep what each reported phase was made of and write the page of what changed since the
    previous report (:mod:`maroc_eval.report.changes`)."""
    from ..core.matrix import load_matrix
    from .changes import current_state, remember, write_changes_page

    moved = [code for code in phases
             if remember(outputs, code, current_state(outputs, code, programme))
             and paths.reported_state_path(outputs, code, "precedent").is_file()]
    kept = [code for code in programme.phases
            if paths.reported_state_path(outputs, code).is_file()]
    page = write_changes_page(outputs, programme, load_matrix(load_programme(programme_file))
                              .localised() if paths.evaluation_file(programme_file).is_file()
                              else None, kept)
    if moved:
        echo(_("Changements depuis le rapport précédent : {page}").format(
            page=display_path(page)))


def build_reports(programme_file: Path = paths.PROGRAMME_FILE, phase: str = "all",
                  outputs: Path = paths.OUTPUTS_DIR, echo=print, force: bool = False,
                  formats: tuple[str, ...] = FORMATS) -> Path:
    """Build the reports, their PDF and Word versions, the annexes and the index from the
    outputs of ``maroc-eval run``.

    A report whose inputs did not change since it was built is kept as it is
    (:mod:`maroc_eval.report.keys`); the others are exported side by side, one per core
    (:mod:`maroc_eval.report.pool`). A PDF or Word version is made again only when its HTML
    report changed or when it is missing (:mod:`maroc_eval.report.formats`). The index is
    always rewritten.

    Parameters
    ----------
    programme_file : Path
        The programme definition.
    phase : str
        ``midterm``, ``final`` or ``all``.
    outputs : Path
        The results folder of ``maroc-eval run``.
    echo : callable
        Where progress lines go (each file built with its size, and how many were up to date).
    force : bool
        Rebuild every selected report, up to date or not.
    formats : tuple of str
        The formats to produce (:func:`maroc_eval.report.formats.parse_formats`); HTML always.

    Returns
    -------
    Path
        ``outputs/index.html``.

    Raises
    ------
    ParameterError
        Unknown phase, or nothing to report on.
    LockedError
        A run or another report build holds the output folder.
    OutputError
        Results the run ledger does not vouch for (missing, garbled or truncated ledger; no
        entry or digests for them; changed since), or a PDF or Word version that could not be
        produced.
    """
    # the labels of params/ in the report's language (the notebooks ran in it too)
    programme, outputs = load_programme(programme_file).localised(), Path(outputs)
    check_output_folder(outputs)
    settings = exporter_settings()  # read from ``paths`` here, given to every report task
    selected = programme.select_phases(phase)
    if not outputs.is_dir():
        raise _nothing_to_report(outputs)
    common = report_keys.common_digest(programme_file)
    with RunLock(paths.lock_path(outputs)):
        _sweep_temporaries(outputs)
        phases, unvouched, damaged = [], [], []
        for code in programme.phases:
            problems: list[str] = []
            entries = read_ledger(outputs, code, problems)
            phases.append(_PhaseInputs(code, entries,
                                       {p: load_pair(outputs, code, p, entries)
                                        for p in programme.pair_codes},
                                       load_programme_output(outputs, code, entries)))
            unvouched += problems
            if not problems:  # else each of its results would be listed: the ledger says it
                damaged += _damaged(phases[-1], outputs)
        if unvouched or damaged:  # every phase: the index shows them all
            raise OutputError(_("Résultats que le journal d'exécution ne garantit pas, abîmés ou "
                                "modifiés depuis leur exécution par maroc-eval run : aucun "
                                "rapport n'en est fait. « maroc-eval run » les refait.")
                              + "\n" + "\n".join([*unvouched, *damaged]))
        planned = _wanted(programme, phases, selected, outputs, formats)

        def will_exist(path: Path) -> bool:
            return path in planned or path.exists()

        tasks, up_to_date, reports = [], 0, []
        for ph in phases:
            code, entries = ph.code, ph.entries
            if code not in selected:
                continue
            building = set()
            for p, pin in ph.pairs.items():
                if not pin.exists:
                    continue
                report = paths.pair_report_path(outputs, code, p)
                reports.append(report)
                state = versions.pair_state(programme_file, programme, pin)
                key = _pair_key(programme, common, outputs, pin, entries, will_exist, state)
                nav = navigation.pair_navigation(programme, outputs, code, p, will_exist)
                if force or report_keys.stamped_key(report) != key or \
                        not paths.pair_annex_path(outputs, code, p).exists():
                    tasks.append((pair_report, (programme, pin, outputs, key, nav, state,
                                                settings)))
                    building.add(report)
                else:
                    up_to_date += 1
            report = paths.programme_report_path(outputs, code)
            if report in planned:
                reports.append(report)
                links = _links(programme, ph, outputs, building)
                state = versions.programme_state(programme_file, programme, code,
                                                 ph.programme_output)
                key = _programme_key(programme, common, outputs, code, entries, links,
                                     will_exist, state)
                nav = navigation.programme_navigation(programme, outputs, code, will_exist)
                if force or report_keys.stamped_key(report) != key:
                    tasks.append((programme_report, (programme, ph, links, outputs, key,
                                                     nav, state, settings)))
                else:
                    up_to_date += 1
        if not reports:
            raise _nothing_to_report(outputs, phase=True)
        for lines in run_tasks(tasks):
            for line in lines:
                echo(line)
        _keep_states(programme_file, programme, outputs, [ph.code for ph in phases if
                                                          ph.code in selected], echo)
        if up_to_date:
            echo(ngettext("{n} rapport déjà à jour (entrées inchangées) ; --forcer pour tout "
                          "refaire.", "{n} rapports déjà à jour (entrées inchangées) ; --forcer "
                          "pour tout refaire.", up_to_date).format(n=up_to_date))
        build_formats(reports, formats, force, echo)
        return write_index(outputs, programme.name,
                           [_phase_index(programme, ph, outputs) for ph in phases],
                           [s.ri for s in RI_NOTEBOOKS], fictitious=_fictitious(phases))

"""The PDF and Word versions of the HTML reports: which are out of date, and producing them.

A PDF or Word file is made from its HTML report only (:mod:`maroc_eval.report.pdf`,
:mod:`maroc_eval.report.docx`); it carries the key of that HTML (the Word file also the digest of
``templates/word/reference.docx``, its styles). It is produced again when it is missing or when
its HTML changed since, like the HTML reports themselves (:mod:`maroc_eval.report.keys`).
The Word conversions (one pandoc process each) run in threads while one Chromium prints the PDFs.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..base import fmt, i18n, paths
from ..base.digest import file_sha256, sha256
from ..base.errors import ParameterError
from ..base.i18n import _, ngettext
from . import docx, keys, pdf
from .pool import workers

FORMATS = ("html", "pdf", "docx")
"""Every format ``maroc-eval report`` can produce (``--formats``)."""


def parse_formats(text: str) -> tuple[str, ...]:
    """``"html,pdf"`` → ``("html", "pdf")`` (order of :data:`FORMATS`; HTML always included,
    the other formats are made from it).

    Raises
    ------
    ParameterError
        An unknown format (every one is named) or an empty list.
    """
    asked = [f.strip().lower() for f in str(text).split(",") if f.strip()]
    unknown = [f for f in asked if f not in FORMATS]
    if unknown or not asked:
        raise ParameterError(
            ngettext("--formats : format inconnu {unknown} ; attendu : une liste séparée par des "
                     "virgules parmi {formats} (ex. --formats html,pdf).",
                     "--formats : formats inconnus {unknown} ; attendu : une liste séparée par "
                     "des virgules parmi {formats} (ex. --formats html,pdf).", len(unknown)).format(
                unknown=", ".join(f"« {f} »" for f in unknown), formats=", ".join(FORMATS))
            if unknown else
            _("--formats : liste vide ; attendu : une liste parmi {formats}.").format(
                formats=", ".join(FORMATS)))
    return tuple(f for f in FORMATS if f == "html" or f in asked)


def docx_key(report_key: str) -> str:
    """What a Word report is made from: its HTML report's key and the reference document."""
    return sha256(f"{report_key}\n{file_sha256(paths.REFERENCE_DOCX)}")


def _size(n: int) -> str:
    return _("{size} Mo").format(size=fmt.number(n / 1e6, 2))


def build_formats(reports: list[Path], formats: tuple[str, ...], force: bool, echo) -> None:
    """Produce the PDF and Word versions of ``reports`` (HTML) that are missing or out of date.

    Parameters
    ----------
    reports : list of Path
        The HTML reports of the build (those missing are skipped).
    formats : tuple of str
        :func:`parse_formats`.
    force : bool
        Produce them all again.
    echo : callable
        Progress: one line per file written, and how many were up to date.
    """
    pdf_jobs, docx_jobs, up_to_date = [], [], 0
    for report in reports:
        key = keys.stamped_key(report)
        if key is None:
            continue
        if "pdf" in formats:
            target = paths.report_format_path(report, "pdf")
            if force or pdf.stamped_key(target) != key:
                pdf_jobs.append(pdf.PdfJob(report, target, key, i18n.language()))
            else:
                up_to_date += 1
        if "docx" in formats:
            target, wanted = paths.report_format_path(report, "docx"), docx_key(key)
            if force or docx.stamped_key(target) != wanted:
                docx_jobs.append((report, target, wanted))
            else:
                up_to_date += 1
    if docx_jobs:
        with ThreadPoolExecutor(workers(len(docx_jobs))) as threads:
            futures = [threads.submit(docx.write_docx, *job) for job in docx_jobs]
            try:
                _pdfs(pdf_jobs, echo)
                for (_report, target, _key), future in zip(docx_jobs, futures, strict=True):
                    echo(_("  {name} ({size})").format(name=target.name,
                                                       size=_size(future.result())))
            except BaseException:
                for future in futures:
                    future.cancel()
                raise
    else:
        _pdfs(pdf_jobs, echo)
    if up_to_date:
        echo(ngettext("{n} version PDF ou Word déjà à jour (rapport HTML inchangé).",
                      "{n} versions PDF ou Word déjà à jour (rapport HTML inchangé).",
                      up_to_date).format(n=up_to_date))


def _pdfs(jobs: list, echo) -> None:
    def done(job, size: int, pages: int) -> None:
        echo(ngettext("  {name} ({pages} page, {size})", "  {name} ({pages} pages, {size})",
                      pages).format(name=job.target.name, pages=pages, size=_size(size)))

    pdf.render_pdfs(jobs, workers(len(jobs)), done)

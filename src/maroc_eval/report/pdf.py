"""The PDF version of a report, printed from the report's own HTML by headless Chromium.

Why Playwright's ``page.pdf`` rather than nbconvert's ``webpdf`` exporter: ``webpdf`` exports the
notebook to HTML again and starts one browser per document, with its own page settings; here the
HTML already exported is printed as it is (one source), by **one** browser for the whole build,
several pages at a time (Chromium renders each page in its own process, so they share the
cores), and the document outline (bookmarks from the headings) and tagged PDF are asked for.

The page layout is the report's print style sheet (``templates/rapport/static/``): A4, the
running header (pair and phase) and « page 3 / 57 » as CSS page-margin boxes, none on the cover,
each chapter and RI on a new page, rows and charts never cut, table headers repeated, tables
that fit the width. The browser is Debian's ``chromium`` (:data:`maroc_eval.base.paths.CHROMIUM`):
Playwright never downloads one. Every request other than the report's own file is refused (the
reports are self-contained). Each PDF is written atomically; whatever ends the build (an error,
Ctrl-C, SIGTERM), the browser is closed before the exception goes on.

The key of the HTML report is written in the PDF's document information
(``/MarocEvalEntrees``, with the document's language, ``/Lang``, in its catalogue) by pikepdf
(qpdf): the objects Chromium wrote — tagged structure, outline, links — are kept as they are,
streams untouched. It takes a tenth of a second where pypdf's incremental writer, which reads
every object of the document first (some 7 000 in a 60-page report), took about one second:
as long as the printing itself. The PDF is printed again only when its HTML changed
(:func:`stamped_key`).
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from ..base import paths
from ..base.atomic import write_atomic
from ..base.errors import OutputError
from ..base.i18n import _

KEY_ENTRY = "/MarocEvalEntrees"
ARGS = ["--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync", "--disable-dev-shm-usage"]
TIMEOUT_MS = 120_000
CLOSE_TIMEOUT_S = 30


@dataclass(frozen=True)
class PdfJob:
    """One report to print: its HTML, the PDF to write, the key to stamp in it."""

    report: Path
    target: Path
    key: str
    lang: str = "fr"


def css_string(text: str) -> str:
    """``text`` as the inside of a double-quoted CSS string (safe inside ``<style>``)."""
    return "".join(c if c.isalnum() or c in " -–—·()'’,." else f"\\{ord(c):x} " for c in text)


def page_counter_css(template: str) -> str:
    """A CSS ``content`` value numbering pages from a text with ``{page}`` and ``{pages}``.

    Examples
    --------
    >>> page_counter_css("page {page} of {pages}")
    '"page " counter(page) " of " counter(pages)'
    """
    parts = []
    for piece in re.split(r"(\{page\}|\{pages\})", template):
        if piece in ("{page}", "{pages}"):
            parts.append(f"counter({piece[1:-1]})")
        elif piece:
            parts.append(f'"{css_string(piece)}"')
    return " ".join(parts)


def _stamp(data: bytes, key: str, lang: str) -> tuple[bytes, int]:
    """The PDF with the key in its document information and the document's language in its
    catalogue (``/Lang``); and its page count.

    pikepdf's public API: what Chromium wrote (tagged structure, outline, links) is kept, and
    its streams are copied as they are (neither decoded nor compressed again).
    """
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as document:
        document.docinfo[pikepdf.Name(KEY_ENTRY)] = key
        document.docinfo[pikepdf.Name("/Creator")] = "maroc-eval"
        document.Root[pikepdf.Name("/Lang")] = pikepdf.String(lang)
        out = io.BytesIO()
        document.save(out, object_stream_mode=pikepdf.ObjectStreamMode.preserve,
                      stream_decode_level=pikepdf.StreamDecodeLevel.none,
                      compress_streams=False)
        return out.getvalue(), len(document.pages)


def stamped_key(pdf: Path) -> str | None:
    """The report key written in a PDF report, ``None`` if absent or unreadable."""
    return _key_of(pdf)


def _key_of(source) -> str | None:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        value = (PdfReader(source, strict=True).metadata or {}).get(KEY_ENTRY)
    except (OSError, PyPdfError, ValueError):
        return None
    return str(value) if value else None


async def _print(context, job: PdfJob, limit: asyncio.Semaphore, stop: asyncio.Event,
                 done: Callable) -> None:
    from playwright.async_api import Error

    url = Path(job.report).resolve().as_uri()
    try:
        async with limit:
            if stop.is_set():  # another report failed: no new page is started
                return
            page = await context.new_page()
            try:
                await page.goto(url, wait_until="load", timeout=TIMEOUT_MS)
                data = await page.pdf(format="A4", print_background=True,
                                      prefer_css_page_size=True, outline=True, tagged=True)
            except Error as exc:
                raise OutputError(_("Impression en PDF de « {report} » impossible (Chromium) : "
                                    "{error}").format(report=job.report,
                                                      error=exc.message.splitlines()[0])) from exc
            # Closed only once printed: closing a page that is printing can wait forever. After
            # an error or an interruption, closing the browser closes its pages.
            await page.close()
        data, pages = await asyncio.to_thread(_stamp, data, job.key, job.lang)
        await asyncio.to_thread(write_atomic, job.target, data)
    except BaseException:
        stop.set()
        raise
    done(job, len(data), pages)


async def _print_all(jobs: list[PdfJob], workers: int, done: Callable) -> None:
    try:
        from playwright.async_api import Error, async_playwright
    except ImportError as exc:
        raise OutputError(_("Playwright absent : installez les dépendances du projet "
                            "(make report).")) from exc
    async with async_playwright() as pw:  # on leaving, Playwright's driver stops with its browser
        try:
            browser = await pw.chromium.launch(executable_path=str(paths.CHROMIUM), args=ARGS,
                                               chromium_sandbox=False)
        except Error as exc:
            raise OutputError(_("Chromium ne démarre pas ({chromium}) : {error}").format(
                chromium=paths.CHROMIUM, error=exc.message)) from exc
        try:
            context = await browser.new_context()

            async def offline(route):  # the report's own file only: nothing from the network
                if route.request.url.startswith("file://"):
                    await route.continue_()
                else:
                    await route.abort()

            await context.route("**/*", offline)
            # One report fails: no other starts, those printing finish (a page is never cancelled
            # while it prints). An interruption cancels them all.
            limit, stop = asyncio.Semaphore(workers), asyncio.Event()
            results = await asyncio.gather(*(_print(context, job, limit, stop, done)
                                             for job in jobs), return_exceptions=True)
            errors = [r for r in results if isinstance(r, BaseException)]
            if errors:
                raise _first(errors)
        finally:
            with contextlib.suppress(Error, TimeoutError):
                await asyncio.wait_for(browser.close(), CLOSE_TIMEOUT_S)


def _first(errors: list[BaseException]) -> BaseException:
    """The error to report of the jobs': the first of the toolkit's own, else the first."""
    return next((e for e in errors if isinstance(e, OutputError)), errors[0])


def render_pdfs(jobs: list[PdfJob], workers: int,
                done: Callable[[PdfJob, int, int], None] = lambda *_: None) -> None:
    """Print every report to PDF with one headless Chromium, ``workers`` pages at a time.

    Parameters
    ----------
    jobs : list of PdfJob
        The reports to print.
    workers : int
        How many pages print at the same time.
    done : callable
        Called with each job, the PDF's size in bytes and its page count, as each is written.

    Raises
    ------
    OutputError
        Chromium or Playwright missing, or a report that cannot be printed. The PDFs already
        written stay; no half-written file and no browser process are left.
    """
    if not jobs:
        return
    if not paths.CHROMIUM.exists():
        raise OutputError(_("Chromium introuvable ({chromium}) : installez le paquet Debian "
                            "« chromium » (make browser), ou choisissez --formats "
                            "html,docx.").format(chromium=paths.CHROMIUM))
    _run(_print_all(jobs, max(1, workers), done))


def _run(coroutine) -> None:
    """Run the printing loop here, or in a thread of its own when the caller already runs an
    event loop (a notebook, Playwright's synchronous API)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(coroutine)  # the usual case: Ctrl-C and SIGTERM reach the loop
        return
    with ThreadPoolExecutor(1, thread_name_prefix="maroc-eval-pdf") as thread:
        thread.submit(asyncio.run, coroutine).result()

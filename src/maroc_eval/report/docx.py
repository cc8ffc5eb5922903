"""The Word (.docx) version of a report, converted by pandoc from the report's own HTML.

One source: the HTML report :mod:`maroc_eval.report.build` exported. pandoc reads it and writes
Word structure: ``h1``–``h3`` become the heading styles of ``templates/word/reference.docx``
(French Word's « Titre 1 » … « Titre 3 », which build Word's navigation pane), HTML tables become
Word tables, charts become images with their text alternative (``descr``), and the reference
document brings the page setup, the running header and the page numbers (« page 3 / 57 ») of the
footer. The navigation bar of the HTML report (links to other HTML files) is left out: the steering
committee comments one document. The charts, embedded in the HTML as ``data:`` addresses, are
handed to pandoc as image files of a temporary folder beside the target (pandoc reads a page of
``data:`` addresses about twice as slowly, and copies each one into the document's XML).

pandoc is the one bundled in the ``pypandoc-binary`` wheel (a dependency: nothing to install by
hand), else the system's ``pandoc``. The key of the HTML report is written as a custom property
of the document (``maroc-eval-entrees``): the Word file is converted again only when its HTML
changed (:func:`stamped_key`).
"""

from __future__ import annotations

import base64
import re
import shutil
import subprocess
import tempfile
import zipfile
from html import unescape
from pathlib import Path

from ..base import i18n, paths
from ..base.atomic import write_atomic
from ..base.errors import OutputError
from ..base.i18n import _
from .docx_finish import finish

KEY_PROPERTY = "maroc-eval-entrees"
_NAVIGATION = re.compile(r'<div [^>]*\bclass="rapport-navigation"[^>]*>.*?</div>', re.S)
_CONTENTS = re.compile(r'<nav [^>]*\bclass="rapport-sommaire"[^>]*>.*?</nav>', re.S)
_STYLE = re.compile(r"<style\b.*?</style>", re.S | re.I)
_TITLE = re.compile(r"<title>(.*?)</title>", re.S | re.I)
_DATA_IMAGE = re.compile(r'(<img\b[^>]*?\bsrc=")data:image/(png|jpeg|svg\+xml);base64,([^"]*)"')
_CUSTOM = re.compile(rf'name="{KEY_PROPERTY}"><vt:lpwstr>([0-9a-f]{{64}})</vt:lpwstr>'.encode())
TIMEOUT = 300
DOCUMENT_LANGUAGES = {"fr": "fr-FR", "en": "en-GB"}
"""The Word document's language (spelling, hyphenation) for each toolkit language."""


def pandoc_binary() -> str:
    """The pandoc executable: the ``pypandoc-binary`` wheel's, else ``pandoc`` on the PATH.

    Raises
    ------
    OutputError
        No pandoc found.
    """
    try:
        import pypandoc

        return pypandoc.get_pandoc_path()
    except (ImportError, OSError):
        found = shutil.which("pandoc")
        if found:
            return found
    raise OutputError(_("pandoc introuvable : installez les dépendances du projet "
                        "(« make report » installe pypandoc-binary, qui le contient) ou le "
                        "paquet Debian « pandoc »."))


def _source(html: str) -> str:
    """The report's HTML as pandoc reads it: without navigation bar, table of contents (Word's
    own TOC field replaces it) nor style sheets."""
    return _STYLE.sub("", _CONTENTS.sub("", _NAVIGATION.sub("", html)))


def _title(html: str) -> str:
    """The report's title, from its HTML ``<title>``."""
    found = _TITLE.search(html)
    return unescape(found.group(1)).strip() if found else ""


def _image_files(html: str, folder: Path) -> str:
    """``html`` with each ``data:`` image written to ``folder`` (``figure-1.png``…) and named
    there instead (relative names: pandoc runs in ``folder``)."""
    count = 0

    def write(match: re.Match) -> str:
        nonlocal count
        count += 1
        suffix = {"png": "png", "jpeg": "jpg", "svg+xml": "svg"}[match.group(2)]
        name = f"figure-{count}.{suffix}"
        (folder / name).write_bytes(base64.b64decode(match.group(3)))
        return f'{match.group(1)}{name}"'

    return _DATA_IMAGE.sub(write, html)


def write_docx(report: Path, target: Path, key: str) -> int:
    """Convert one HTML report to Word and write it atomically; return its size in bytes.

    Parameters
    ----------
    report : Path
        The HTML report.
    target : Path
        The ``.docx`` to write.
    key : str
        The report's key (:mod:`maroc_eval.report.keys`), stamped as a custom property.

    Raises
    ------
    OutputError
        pandoc failed (its message is given).
    """
    html = Path(report).read_text("utf-8")
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    # pandoc works in a folder beside the target, under the name of the toolkit's temporary
    # files (« .rapport-….docx.*.tmp »): a build killed meanwhile leaves it where the next
    # build sweeps it (report.build), never in the system's temporary folder.
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    out = work / "rapport.docx"
    try:
        source = _image_files(_source(html), work)
        command = [pandoc_binary(), "--from", "html", "--to", "docx", "--output", out.name,
                   "--reference-doc", str(paths.REFERENCE_DOCX.resolve()), "--toc",
                   "--toc-depth=3", "--metadata", f"toc-title={_('Sommaire')}",
                   "--metadata", f"{KEY_PROPERTY}={key}", "--metadata",
                   f"lang={DOCUMENT_LANGUAGES.get(i18n.language(), 'fr-FR')}"]
        done = subprocess.run(command, input=source.encode("utf-8"), capture_output=True,
                              cwd=work, timeout=TIMEOUT, check=False)
        if done.returncode != 0 or not out.is_file() or not out.stat().st_size:
            raise OutputError(_("Conversion en Word de « {name} » impossible (pandoc) : "
                                "{error}").format(
                name=Path(report).name, error=done.stderr.decode("utf-8", "replace").strip()))
        data = finish(out.read_bytes(), _title(html))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    write_atomic(target, data)
    return len(data)


def stamped_key(docx: Path) -> str | None:
    """The report key written in a Word report, ``None`` if absent or unreadable."""
    try:
        with zipfile.ZipFile(docx) as archive:
            found = _CUSTOM.search(archive.read("docProps/custom.xml"))
    except (OSError, KeyError, zipfile.BadZipFile):
        return None
    return found.group(1).decode() if found else None

"""What an ``.xlsx`` archive holds, checked before openpyxl reads it: bounded cost on any file.

A workbook is a zip archive of XML parts. openpyxl reads the shared strings and the styles
whole, and a sheet row by row, padding each row up to its last column: a 2 MB archive that
expands to 400 MB, or a sheet of a million rows, would take minutes and gigabytes. Before a
workbook is opened, :func:`inspect_workbook` reads the archive's directory (the sizes each part
declares, and their compression ratio), then streams every XML part through expat (C, constant
memory), counting rows, columns, cells and characters, and stops at the first limit. Python's
:mod:`zipfile` never inflates a part past the size it declares (it fails on the CRC), so the
declared sizes bound what openpyxl may read afterwards.

The same pass gives what openpyxl's streaming (read-only) mode does not, through public
interfaces only (:mod:`zipfile`, :mod:`xml.parsers.expat`): the merged ranges of each sheet,
and the formulas without a cached result.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from xml.parsers import expat

from ..base import fmt
from ..base.i18n import _
from .rawtable import MAX_COLUMNS, cell_ref, letter

MAX_UNCOMPRESSED = 50 * 1024 * 1024
"""Most bytes the parts of a workbook may declare once decompressed, together (a commune's
workbook: well under 1 MB; 50 000 cells: about 3 MB)."""
MAX_RATIO = 100
"""Most a part of more than :data:`RATIO_FLOOR` bytes may expand (sheets of real data: 5 to 20
times): beyond, a decompression bomb."""
RATIO_FLOOR = 1024 * 1024
MAX_PARTS = 10_000
"""Most parts (files) an archive may hold (a workbook has about ten, plus one per sheet)."""
MAX_ROWS = 20_000
"""Highest row number a sheet may use (a programme's whole monitoring table: about 2 200)."""
MAX_CELLS = 50_000
"""Most cells a workbook may hold, counted with the empty ones each row is padded with up to its
last column (a commune's monitoring table: about 2 000; the whole programme's: about 15 000).
The importer loads a workbook whole, twice: at this limit, about 2 s on a quiet machine."""
MAX_CELL_CHARS = 32_767
"""Longest text of one cell: Excel's own limit."""
MAX_ELEMENTS = 300_000
"""Most XML elements any other part (styles, shared strings…) may hold."""
CHUNK = 64 * 1024

MAIN_TYPES = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": "xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml": "xlsx",
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml": "xlsm",
    "application/vnd.ms-excel.template.macroEnabled.main+xml": "xlsm",
    "application/vnd.ms-excel.sheet.binary.macroEnabled.main": "xlsb",
}
"""The content type of a workbook's main part → the kind of workbook."""
_OPENDOCUMENT = b"application/vnd.oasis.opendocument.spreadsheet"


@dataclass
class SheetScan:
    """What the scan found in one sheet.

    Attributes
    ----------
    title : str
        The sheet's name.
    part : str
        Its XML part in the archive.
    merged : list of str
        Merged ranges (``A3:A4``).
    uncached : dict
        ``(row, column index)`` → the formula text (``=B9*2``) of each formula cell without a
        cached result.
    """

    title: str
    part: str
    merged: list[str] = field(default_factory=list)
    uncached: dict[tuple[int, int], str] = field(default_factory=dict)


@dataclass
class WorkbookScan:
    """An archive's kind, its sheets, or why it is refused.

    Attributes
    ----------
    kind : str
        ``xlsx``, ``xlsm``, ``xlsb``, ``ods`` or ``zip`` (another archive).
    sheets : dict
        Sheet title → :class:`SheetScan` (``xlsx`` and ``xlsm``).
    refused : tuple or None
        ``(where, value, expected)`` of the limit reached (``where``: ``None`` for the whole
        file, else ``(sheet, row, cell reference)``); ``None`` when the workbook may be read.
    """

    kind: str
    sheets: dict[str, SheetScan] = field(default_factory=dict)
    refused: tuple | None = None


class _Refused(Exception):
    """Raised inside an expat handler to stop the scan at the first limit."""

    def __init__(self, where, value, expected):
        super().__init__(expected)
        self.found = (where, value, expected)


def archive_kind(archive: zipfile.ZipFile) -> str:
    """What a zip archive is: ``xlsx``, ``xlsm``, ``xlsb``, ``ods`` or ``zip``."""
    names = set(archive.namelist())
    if "mimetype" in names and _small(archive, "mimetype") \
            and archive.read("mimetype").strip().startswith(_OPENDOCUMENT):
        return "ods"
    if "[Content_Types].xml" in names and _small(archive, "[Content_Types].xml"):
        types = archive.read("[Content_Types].xml")
        for content_type, kind in MAIN_TYPES.items():
            if content_type.encode() in types:
                return kind
    return "zip"


def _small(archive: zipfile.ZipFile, name: str) -> bool:
    return archive.getinfo(name).file_size <= 1024 * 1024


def _size(n: int) -> str:
    if n < 1024 * 1024:
        return _("{size} ko").format(size=fmt.number(n / 1024, 0))
    return _("{size} Mo").format(size=fmt.number(n / (1024 * 1024), 1))


def inspect_workbook(source) -> WorkbookScan:
    """Check a workbook against the limits, before anything reads it whole.

    Parameters
    ----------
    source : path or file object
        The ``.xlsx`` file (a file object is read from its start).

    Returns
    -------
    WorkbookScan
        Its kind, its sheets with their merged ranges and uncached formulas, and the first limit
        it exceeds (``refused``), if any.

    Raises
    ------
    zipfile.BadZipFile, OSError
        Not a zip archive, or a damaged one (the caller says so).
    """
    with zipfile.ZipFile(source) as archive:
        infos = archive.infolist()
        if len(infos) > MAX_PARTS:
            return WorkbookScan("zip", refused=(None, _("{n} fichiers").format(n=len(infos)), _(
                "un classeur de moins de {limit} fichiers internes (un classeur en a une "
                "dizaine)").format(limit=fmt.number(MAX_PARTS, 0))))
        kind = archive_kind(archive)
        scan = WorkbookScan(kind)
        if kind not in ("xlsx", "xlsm"):
            return scan
        declared = sum(i.file_size for i in infos)
        if declared > MAX_UNCOMPRESSED:
            scan.refused = (None, _size(declared), _(
                "un classeur de moins de {limit} une fois décompressé : celui-ci se décompresse "
                "en {size} (bombe de décompression, ou feuille démesurée ?)").format(
                    limit=_size(MAX_UNCOMPRESSED), size=_size(declared)))
            return scan
        for info in infos:
            if info.file_size > RATIO_FLOOR and \
                    info.file_size > MAX_RATIO * max(info.compress_size, 1):
                scan.refused = (None, info.filename, _(
                    "un classeur ordinaire : sa partie « {part} » se décompresse {ratio} fois "
                    "(de {packed} à {size} ; des données réelles, 5 à 20 fois) — bombe de "
                    "décompression ?").format(
                        part=info.filename, ratio=fmt.number(
                            info.file_size / max(info.compress_size, 1), 0),
                        packed=_size(info.compress_size), size=_size(info.file_size)))
                return scan
        try:
            _scan_parts(archive, scan)
        except _Refused as stop:
            scan.refused = stop.found
        return scan


def within_limits(source) -> bool:
    """Whether a workbook may be opened whole (:func:`inspect_workbook` finds nothing against
    it): a caller that loads workbooks otherwise than :mod:`maroc_eval.core.workbook` asks first,
    and leaves the refusal's message to it."""
    try:
        scan = inspect_workbook(source)
    except Exception:  # damaged: said by the reader of monitoring files
        return False
    return scan.kind in ("xlsx", "xlsm") and scan.refused is None


def _relationships(archive: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """``Id → (type, target part)`` of a part's relationships (``xl/_rels/workbook.xml.rels``)."""
    folder, name = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", name + ".rels")
    found: dict[str, tuple[str, str]] = {}

    def start(tag, attrs):
        if _local(tag) == "Relationship" and attrs.get("TargetMode") != "External":
            target = attrs.get("Target", "")
            target = target.lstrip("/") if target.startswith("/") else \
                posixpath.normpath(posixpath.join(folder, target))
            found[attrs.get("Id", "")] = (attrs.get("Type", ""), target)

    _parse(archive, rels, start, limit=MAX_ELEMENTS)
    return found


def _local(tag: str) -> str:
    return tag.rsplit(":", 1)[-1]


def _scan_parts(archive: zipfile.ZipFile, scan: WorkbookScan) -> None:
    names = set(archive.namelist())
    main = next((target for kind, target in _relationships(archive, "").values()
                 if kind.endswith("/officeDocument")), "xl/workbook.xml")
    rels = _relationships(archive, main)
    sheets: list[tuple[str, str]] = []

    def start(tag, attrs):
        if _local(tag) == "sheet":
            rid = next((v for k, v in attrs.items() if _local(k) == "id"), None)
            kind, target = rels.get(rid, ("", ""))
            if kind.endswith("/worksheet") and target in names:
                sheets.append((attrs.get("name", ""), target))

    _parse(archive, main, start, limit=MAX_ELEMENTS)
    cells = [0]
    for title, part in sheets:
        scan.sheets[title] = _scan_sheet(archive, title, part, cells)
    for name in sorted(names - {part for _t, part in sheets}):
        if name.endswith((".xml", ".rels")):
            _parse(archive, name, None, limit=MAX_ELEMENTS)


def _parse(archive: zipfile.ZipFile, part: str, start, *, limit: int, end=None,
           text=None) -> None:
    """Stream one XML part through expat: handlers given, elements counted up to ``limit``, no
    document type declaration (never in a workbook; it would allow entity expansion)."""
    if part not in set(archive.namelist()):
        return
    parser = expat.ParserCreate()
    count = [0]

    def on_start(tag, attrs):
        count[0] += 1
        if count[0] > limit:
            raise _Refused(None, part, _(
                "un classeur ordinaire : sa partie « {part} » compte plus de {limit} éléments "
                "XML (classeur gonflé ou fabriqué ?)").format(
                    part=part, limit=fmt.number(limit, 0)))
        if start is not None:
            start(tag, attrs)

    def on_doctype(*_args):
        raise _Refused(None, part, _("un classeur Excel : sa partie « {part} » déclare un type "
                                     "de document XML, ce qu'aucun tableur n'écrit").format(
                                         part=part))

    parser.StartElementHandler = on_start
    parser.StartDoctypeDeclHandler = on_doctype
    if end is not None:
        parser.EndElementHandler = end
    if text is not None:
        parser.CharacterDataHandler = text
    parser.buffer_text = True
    try:
        with archive.open(part) as stream:
            while chunk := stream.read(CHUNK):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise _Refused(None, part, _("un classeur Excel lisible : sa partie « {part} » n'est "
                                     "pas du XML valide (ligne {line}) — fichier "
                                     "endommagé ?").format(part=part, line=exc.lineno)) from None


_REF = re.compile(r"([A-Z]{1,3})(\d+)$")


def _scan_sheet(archive: zipfile.ZipFile, title: str, part: str, cells: list[int]) -> SheetScan:
    """Stream one sheet: rows, columns, cells and characters counted against the limits;
    merged ranges and formulas without a cached result collected."""
    sheet = SheetScan(title, part)
    state = {"row": 0, "col": -1, "formula": None, "value": False, "shared": {}, "chars": 0,
             "in": None}

    def where(col: int) -> tuple:
        return (title, state["row"], f"{letter(col)}{state['row']}" if col >= 0 else None)

    def start(tag, attrs):
        name = _local(tag)
        if name == "row":
            r = attrs.get("r")
            state["row"] = int(r) if r and r.isdigit() else state["row"] + 1
            state["col"] = -1
            if state["row"] > MAX_ROWS:
                raise _Refused(where(-1), _("ligne {n}").format(n=fmt.number(state["row"], 0)),
                               _("une feuille d'au plus {limit} lignes (un tableau de suivi en "
                                 "compte quelques milliers) : vérifiez qu'il s'agit du bon "
                                 "fichier ou découpez-le").format(limit=fmt.number(MAX_ROWS, 0)))
        elif name == "c":
            ref = _REF.match(attrs.get("r", ""))
            before = state["col"]
            state["col"] = cell_ref(ref.group(0))[0] if ref else state["col"] + 1
            if ref and int(ref.group(2)) != state["row"]:
                state["col"] = before + 1  # a reference off its row: counted where it stands
            if state["col"] >= MAX_COLUMNS:
                raise _Refused(where(state["col"]), letter(state["col"]), _(
                    "une feuille d'au plus {limit} colonnes (un tableau de suivi en a 7)").format(
                        limit=fmt.number(MAX_COLUMNS, 0)))
            cells[0] += 1 + max(state["col"] - before - 1, 0)
            if cells[0] > MAX_CELLS:
                raise _Refused(where(state["col"]), _("{n} cellules").format(
                    n=fmt.number(cells[0], 0)), _(
                    "un classeur d'au plus {limit} cellules, cellules vides de chaque ligne "
                    "comprises (le tableau de suivi de tout le programme en compte environ "
                    "15 000) : vérifiez qu'il s'agit du bon fichier ou découpez-le").format(
                        limit=fmt.number(MAX_CELLS, 0)))
            state["formula"], state["value"] = None, False
        elif name == "f":
            state["formula"] = ""
            if attrs.get("t") == "shared" and "si" in attrs:
                state["shared_id"] = attrs["si"]
            else:
                state["shared_id"] = None
        elif name == "v":
            state["value"] = False
        elif name == "mergeCell" and attrs.get("ref"):
            sheet.merged.append(attrs["ref"])
        state["in"], state["chars"] = name, 0

    def text(data):
        state["chars"] += len(data)
        if state["chars"] > MAX_CELL_CHARS:
            raise _Refused(where(state["col"]), data[:80], _(
                "une cellule d'au plus {limit} caractères (la limite d'Excel)").format(
                    limit=fmt.number(MAX_CELL_CHARS, 0)))
        if state["in"] == "f" and len(state["formula"] or "") < 200:
            state["formula"] = (state["formula"] or "") + data
        elif state["in"] == "v" and data:
            state["value"] = True

    def end(tag):
        name = _local(tag)
        if name == "f" and state.get("shared_id") is not None:
            shared = state["shared"]
            if state["formula"]:
                shared.setdefault(state["shared_id"], state["formula"])
            else:
                state["formula"] = shared.get(state["shared_id"], "")
        elif name == "c" and state["formula"] is not None and not state["value"]:
            sheet.uncached[(state["row"], state["col"])] = "=" + state["formula"]
        state["in"] = None

    _parse(archive, part, start, limit=8 * MAX_CELLS + MAX_ROWS, end=end, text=text)
    return sheet

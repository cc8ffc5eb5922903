"""Read a monitoring file (CSV or XLSX) into a header and numbered rows, as communes send them.

CSV: UTF-8, UTF-8 with BOM or Windows-1252 (detected, or forced); ``,``, ``;`` or tab separator
(sniffed on the header line, or forced, or given by an Excel ``sep=;`` first line); leading ``#``
lines are comments. XLSX: the sheet named ``suivi`` or else the first sheet; formulas are read
as their cached value, never evaluated. Line numbers are the file's own (the header of a CSV
without comments is line 1; an XLSX line is the Excel row number).

Nothing here knows about indicators: cells are returned as read (text for CSV; text, numbers,
dates or booleans for XLSX) and every problem goes to a :class:`~maroc_eval.errors.ProblemList`.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ProblemList, display_path

MAX_BYTES = 20 * 1024 * 1024
"""Largest monitoring file accepted (a commune's table is a few hundred kilobytes)."""

SEPARATORS = {",": "virgule", ";": "point-virgule", "\t": "tabulation"}
ENCODINGS = {"utf-8": "utf-8-sig", "utf8": "utf-8-sig", "utf-8-sig": "utf-8-sig",
             "cp1252": "cp1252", "windows-1252": "cp1252", "latin-1": "latin-1",
             "latin1": "latin-1", "iso-8859-1": "latin-1", "iso-8859-15": "iso-8859-15"}
_RESAVE = "enregistrez-le à nouveau en « CSV UTF-8 » depuis le tableur"
_UTF8_SEQ = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
_MAX_CELL_PROBLEMS = 20  # encoding problems reported per file before a summary line


@dataclass
class Cell:
    """One cell: its value as read, its Excel number format, and whether it was reported.

    A ``reported`` cell (formula without result, inside a merged range, badly encoded) already has
    its error; the row it belongs to is left out without further messages.
    """

    value: object
    number_format: str = ""
    reported: bool = False


@dataclass
class RawTable:
    """A file's header and data rows, with the file's own line numbers.

    Attributes
    ----------
    file : str
        The file as shown in messages.
    header : list of str
        Header cells, as written.
    header_line : int
        Line (row) of the header.
    rows : list of (int, list of Cell)
        Data rows with their line; blank rows are left out.
    letters : bool
        Whether columns are also shown by their Excel letter (XLSX).
    separator : str
        The CSV separator (``,`` for a workbook).
    """

    file: str
    header: list[str] = field(default_factory=list)
    header_line: int = 1
    rows: list[tuple[int, list[Cell]]] = field(default_factory=list)
    letters: bool = False
    separator: str = ","


def read_table(path: Path | str, problems: ProblemList, *, encoding: str | None = None,
               separator: str | None = None) -> RawTable | None:
    """Read one CSV or XLSX file; problems are recorded, ``None`` when nothing is usable.

    Parameters
    ----------
    path : Path or str
        The file.
    problems : ProblemList
        Receives every problem found.
    encoding, separator : str, optional
        Force the CSV encoding (``utf-8``, ``cp1252``…) or separator (``,``, ``;``).

    Returns
    -------
    RawTable or None
    """
    path = Path(path)
    shown = display_path(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        problems.add(shown, None, None, None, "un fichier existant", kind="missing-file")
        return None
    if size > MAX_BYTES:
        problems.add(shown, None, None, f"{size / 1e6:.1f} Mo".replace(".", ","),
                     f"un fichier de moins de {MAX_BYTES // (1024 * 1024)} Mo (un tableau de suivi "
                     "fait quelques centaines de Ko) : vérifiez qu'il s'agit du bon fichier ou "
                     "découpez-le par partenariat", kind="too-large")
        return None
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.add(shown, None, None, exc.strerror, "un fichier lisible", kind="unreadable")
        return None
    if not data.strip():
        problems.add(shown, None, None, None, "un fichier non vide, avec une ligne d'en-tête "
                     "(partenariat, indicateur, annee, valeur…)", kind="empty-file")
        return None
    if path.suffix.lower() == ".xlsx":
        return _read_xlsx(path, data, shown, problems)
    return _read_csv(data, shown, problems, encoding, separator)


# -- CSV ----------------------------------------------------------------------------------------
def _line_of(data: bytes, pos: int) -> int:
    return data.count(b"\n", 0, pos) + 1


def _looks_binary(data: bytes, shown: str, problems: ProblemList) -> bool:
    head = data[:8192]
    if head.startswith(b"PK\x03\x04"):
        hint = "un fichier CSV (texte) : ce fichier est un classeur Excel renommé en .csv — " \
               "renommez-le en .xlsx ou exportez-le en CSV"
    elif head.startswith(b"\xd0\xcf\x11\xe0"):
        hint = "un fichier CSV (texte) : ce fichier est un ancien classeur Excel (.xls) — " \
               "exportez-le en CSV ou enregistrez-le en .xlsx"
    else:
        controls = sum(b < 32 and b not in (9, 10, 13) for b in head)
        if b"\x00" not in head and controls <= len(head) // 100:
            return False
        hint = "un fichier CSV (texte) : ce fichier contient des données binaires " \
               "(fichier renommé ou endommagé ?)"
    problems.add(shown, None, None, None, hint, kind="binary")
    return True


def _decode(data: bytes, shown: str, problems: ProblemList,
            encoding: str | None) -> tuple[str | None, str]:
    """Decode strictly; a UTF-8 file with a few stray bytes is reported, not guessed.

    Returns the text (bad bytes replaced by U+FFFD, reported later cell by cell) and the
    explanation to give for such cells.
    """
    if encoding:
        codec = ENCODINGS.get(encoding.lower().replace("_", "-"), encoding)
        try:
            return data.decode(codec), ""
        except LookupError:
            problems.add(shown, None, None, encoding, "un encodage connu : "
                         + ", ".join(sorted(set(ENCODINGS))), kind="encoding")
            return None, ""
        except UnicodeDecodeError:
            return data.decode(codec, errors="replace"), \
                f"du texte lisible en {encoding} (encodage forcé) : octet invalide ; {_RESAVE}"
    try:
        return data.decode("utf-8-sig"), ""
    except UnicodeDecodeError:
        pass
    high = sum(b >= 0x80 for b in data)
    utf8_bytes = sum(len(m) for m in _UTF8_SEQ.findall(data))
    if utf8_bytes and utf8_bytes >= high - utf8_bytes:
        # Mostly UTF-8 with stray bytes: never guess; every bad cell is reported with its line.
        return data.decode("utf-8-sig", errors="replace"), (
            "du texte lisible : octet invalide (le fichier est en UTF-8 mais cette cellule contient "
            f"des caractères d'un autre encodage, Windows-1252 ?) ; {_RESAVE}")
    try:
        return data.decode("cp1252"), ""
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), (
            "du texte lisible : octet qui n'existe ni en UTF-8 ni en Windows-1252 (fichier "
            f"endommagé ?) ; {_RESAVE}")


def _sniff(header: str) -> str | None:
    counts = {sep: len(next(csv.reader([header], delimiter=sep))) - 1 for sep in SEPARATORS}
    best = max(counts, key=counts.get)
    return best if counts[best] > 0 else None


def _read_csv(data: bytes, shown: str, problems: ProblemList, encoding: str | None,
              separator: str | None) -> RawTable | None:
    if _looks_binary(data, shown, problems):
        return None
    text, why = _decode(data, shown, problems, encoding)
    if text is None:
        return None
    lines = text.splitlines(keepends=True)
    start = 0
    while start < len(lines) and (not lines[start].strip() or lines[start].lstrip().startswith("#")):
        start += 1
    if start == len(lines):
        problems.add(shown, None, None, None, "une ligne d'en-tête (partenariat, indicateur, "
                     "annee, valeur…) après les commentaires", kind="empty-file")
        return None
    declared = re.fullmatch(r"\s*sep=(.)\s*", lines[start])
    if declared:
        separator = separator or declared.group(1)
        start += 1
    if separator in ("tab", "\\t"):
        separator = "\t"
    if separator is not None and separator not in SEPARATORS:
        problems.add(shown, None, None, separator, "un séparateur « , » ou « ; »", kind="separator")
        return None
    sep = separator or _sniff(lines[start] if start < len(lines) else "")
    if sep is None:
        problems.add(shown, start + 1, None, lines[start].strip(),
                     "une ligne d'en-tête dont les colonnes sont séparées par « , » ou « ; » "
                     "(partenariat;indicateur;annee;valeur…)", kind="separator")
        return None
    table = RawTable(file=shown, header_line=start + 1, separator=sep)
    reader = csv.reader(io.StringIO("".join(lines[start:]), newline=""), delimiter=sep, strict=True)
    previous = 0
    try:
        for record in reader:
            line = start + previous + 1
            previous = reader.line_num
            if not any(f.strip() for f in record):
                continue
            if not table.header:
                table.header = [f.strip() for f in record]
                table.header_line = line
                continue
            table.rows.append((line, [Cell(f) for f in record]))
    except csv.Error as exc:
        problems.add(shown, start + reader.line_num, None, None,
                     f"un CSV bien formé ({exc}) — guillemet non fermé ou fichier tronqué ?",
                     kind="csv-syntax")
    if why:
        _report_replaced(table, problems, why)
    return table


def _report_replaced(table: RawTable, problems: ProblemList, why: str) -> None:
    """Cells holding U+FFFD come from bytes that were not valid in the detected encoding."""
    found = 0
    named = [(table.header_line, [Cell(h) for h in table.header]), *table.rows]
    for line, cells in named:
        for i, cell in enumerate(cells):
            if isinstance(cell.value, str) and "\ufffd" in cell.value:
                found += 1
                cell.reported = True
                if found <= _MAX_CELL_PROBLEMS:
                    header = line == table.header_line
                    problems.add(table.file, line, None if header else column_label(table, i),
                                 cell.value, why, kind="encoding")
    if found > _MAX_CELL_PROBLEMS:
        problems.add(table.file, None, None, None, f"… et {found - _MAX_CELL_PROBLEMS} autres "
                     "cellules mal encodées", kind="encoding")


# -- XLSX ---------------------------------------------------------------------------------------
def _read_xlsx(path: Path, data: bytes, shown: str, problems: ProblemList) -> RawTable | None:
    import openpyxl  # imported here: reading CSV files does not need it

    if not data.startswith(b"PK"):
        old = data.startswith(b"\xd0\xcf\x11\xe0")
        problems.add(shown, None, None, None,
                     "un classeur .xlsx : ce fichier est un ancien classeur .xls, enregistrez-le "
                     "en .xlsx" if old else "un classeur Excel .xlsx : ce fichier n'en est pas un "
                     "(fichier CSV renommé ou endommagé ?)", kind="xlsx")
        return None
    try:
        values = openpyxl.load_workbook(path, read_only=True, data_only=True)
        formulas = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds on a damaged archive
        problems.add(shown, None, None, type(exc).__name__,
                     "un classeur Excel .xlsx lisible (fichier endommagé ?)", kind="xlsx")
        return None
    try:
        return _xlsx_table(values, formulas, shown, problems)
    finally:
        values.close()
        formulas.close()


def _pick_sheet(workbook):
    for ws in workbook.worksheets:
        if ws.title.strip().lower() == "suivi":
            return ws
    return workbook.worksheets[0]


def _merged_ranges(workbook, ws) -> list[str]:
    try:
        xml = workbook._archive.read(ws._worksheet_path)
    except (AttributeError, KeyError, zipfile.BadZipFile):
        return []
    return [m.decode() for m in re.findall(rb"<(?:\w+:)?mergeCell\s+ref=\"([A-Z0-9:]+)\"", xml)]


def _xlsx_table(values, formulas, shown: str, problems: ProblemList) -> RawTable | None:
    ws = _pick_sheet(values)
    wf = formulas[ws.title]
    table = RawTable(file=shown, letters=True)
    covered: set[tuple[int, int]] = set()
    for ref in _merged_ranges(values, ws):
        (c1, r1), (c2, r2) = (_cell_ref(part) for part in (ref + ":" + ref).split(":")[:2])
        covered |= {(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)}
        problems.add(shown, r1, ref, ref,
                     "des cellules non fusionnées : une valeur par cellule (défusionnez "
                     f"{ref} et répétez la valeur sur chaque ligne)", kind="merged-cells")
    ws.reset_dimensions()
    wf.reset_dimensions()
    for line, (row, frow) in enumerate(zip(ws.iter_rows(min_row=1), wf.iter_rows(min_row=1),
                                           strict=False), start=1):
        cells = []
        for cell, fcell in zip(row, frow, strict=False):
            value, raw = cell.value, fcell.value
            reported = (line, len(cells)) in covered
            if value is None and isinstance(raw, str) and raw.startswith("="):
                problems.add(shown, line, column_label(table, len(cells)), raw,
                             "une valeur : cette formule n'a pas de résultat enregistré (ouvrez "
                             "le fichier dans Excel ou LibreOffice et enregistrez-le, ou collez "
                             "les valeurs)", kind="formula")
                value, reported = "", True
            if isinstance(value, str):
                value = value.strip()
            cells.append(Cell(value, getattr(cell, "number_format", "") or "", reported))
        if not any(c.value not in (None, "") for c in cells):
            continue
        if not table.header:
            table.header = ["" if c.value is None else str(c.value).strip() for c in cells]
            table.header_line = line
            continue
        table.rows.append((line, cells))
    if not table.header:
        problems.add(shown, None, None, ws.title, "une feuille avec une ligne d'en-tête "
                     "(partenariat, indicateur, annee, valeur…)", kind="empty-file")
        return None
    return table


def _cell_ref(ref: str) -> tuple[int, int]:
    """``"B3"`` → (column index 1, row 3)."""
    letters, digits = re.fullmatch(r"([A-Z]+)(\d+)", ref).groups()
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index - 1, int(digits)


def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_label(table: RawTable, index: int) -> str:
    """How a column is named in messages: its header, plus its letter in a workbook."""
    name = table.header[index] if index < len(table.header) and table.header[index] else None
    if table.letters:
        return f"{name} ({_letter(index)})" if name else _letter(index)
    return name or f"colonne {index + 1}"

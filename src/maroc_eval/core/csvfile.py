"""Reading a CSV monitoring file as communes export it from a spreadsheet.

UTF-8, UTF-8 with BOM or Windows-1252 (detected, or forced); ``,``, ``;`` or tab separator
(sniffed on the header line, or forced, or given by an Excel ``sep=;`` first line); leading ``#``
lines are comments. A UTF-8 file with a few stray bytes is reported cell by cell, never guessed.
"""

from __future__ import annotations

import csv
import io
import re

from ..errors import ProblemList
from .sheets import Cell, RawTable, column_label

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


def read_csv(data: bytes, shown: str, problems: ProblemList, encoding: str | None,
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

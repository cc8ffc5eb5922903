"""Reading a CSV monitoring file as communes export it from a spreadsheet.

UTF-8, UTF-8 with BOM or Windows-1252 (detected, or forced); ``,``, ``;`` or tab separator
(sniffed on the header line, or forced, or given by an Excel ``sep=;`` first line); leading ``#``
lines are comments. A UTF-8 file with a few stray bytes is reported cell by cell, never guessed.
"""

from __future__ import annotations

import csv
import io
import re

from ..base import fmt
from ..base.errors import ProblemList
from ..base.i18n import N_, _
from .rawtable import MAX_COLUMNS, RawTable, column_label

SEPARATORS = {",": "virgule", ";": "point-virgule", "\t": "tabulation"}


ENCODINGS = {"utf-8": "utf-8-sig", "utf8": "utf-8-sig", "utf-8-sig": "utf-8-sig",
             "cp1252": "cp1252", "windows-1252": "cp1252", "latin-1": "latin-1",
             "latin1": "latin-1", "iso-8859-1": "latin-1", "iso-8859-15": "iso-8859-15"}


_RESAVE = N_("enregistrez-le à nouveau en « CSV UTF-8 » depuis le tableur")


_UTF8_SEQ = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)


# -- CSV ----------------------------------------------------------------------------------------
def _looks_binary(data: bytes, shown: str, problems: ProblemList) -> bool:
    head = data[:8192]
    if head.startswith(b"PK\x03\x04"):
        hint = _(_ARCHIVES.get(_archive_kind(data), _ARCHIVES["zip"]))
    elif head.startswith(b"\xd0\xcf\x11\xe0"):
        hint = _("un fichier CSV (texte) : ce fichier est un ancien classeur Excel (.xls) — "
                 "exportez-le en CSV ou enregistrez-le en .xlsx")
    elif head.startswith((b"\xff\xfe", b"\xfe\xff")):
        hint = _("un fichier CSV en UTF-8 : ce fichier est en UTF-16 ; {resave}").format(
                   resave=_(_RESAVE))
    else:
        controls = sum(b < 32 and b not in (9, 10, 13) for b in head)
        if controls <= len(head) // 100:
            return False  # a stray NUL byte is reported with its line, as any bad cell
        hint = _("un fichier CSV (texte) : ce fichier contient des données binaires (fichier "
                 "renommé ou endommagé ?)")
    problems.add(shown, None, None, None, hint, kind="binary")
    return True


_ARCHIVES = {
    "xlsx": N_("un fichier CSV (texte) : ce fichier est un classeur Excel renommé en .csv — "
               "renommez-le en .xlsx ou exportez-le en CSV"),
    "xlsm": N_("un fichier CSV (texte) : ce fichier est un classeur Excel avec macros (.xlsm) "
               "renommé en .csv — enregistrez-le en .xlsx ou exportez-le en CSV"),
    "xlsb": N_("un fichier CSV (texte) : ce fichier est un classeur Excel binaire (.xlsb) "
               "renommé en .csv — enregistrez-le en .xlsx ou exportez-le en CSV"),
    "ods": N_("un fichier CSV (texte) : ce fichier est un classeur OpenDocument (.ods, "
              "LibreOffice Calc) renommé en .csv — enregistrez-le en .xlsx ou exportez-le en CSV"),
    "zip": N_("un fichier CSV (texte) : ce fichier est une archive zip (document Word, dossier "
              "compressé ?) renommée en .csv"),
}
"""What a zip archive given as a CSV file really is, and what to do."""


def _archive_kind(data: bytes) -> str:
    """``xlsx``, ``xlsm``, ``xlsb``, ``ods`` or ``zip`` (damaged or another archive)."""
    import zipfile

    from .xlsx_archive import archive_kind

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return archive_kind(archive)
    except Exception:  # a damaged archive is still not a CSV file
        return "zip"


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
            problems.add(shown, None, None, encoding, _("un encodage connu : ")
                         + ", ".join(sorted(set(ENCODINGS))), kind="encoding")
            return None, ""
        except UnicodeDecodeError:
            return data.decode(codec, errors="replace"), \
                _("du texte lisible en {encoding} (encodage forcé) : octet invalide ; "
                  "{resave}").format(encoding=encoding, resave=_(_RESAVE))
    try:
        return data.decode("utf-8-sig"), ""
    except UnicodeDecodeError:
        pass
    high = sum(b >= 0x80 for b in data)
    utf8_bytes = sum(len(m) for m in _UTF8_SEQ.findall(data))
    if utf8_bytes and utf8_bytes >= high - utf8_bytes:
        # Mostly UTF-8 with stray bytes: never guess; every bad cell is reported with its line.
        return data.decode("utf-8-sig", errors="replace"), (
            _("du texte lisible : octet invalide (le fichier est en UTF-8 mais cette cellule "
              "contient des caractères d'un autre encodage, Windows-1252 ?) ; {resave}").format(
                resave=_(_RESAVE)))
    try:
        return data.decode("cp1252"), ""
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), (
            _("du texte lisible : octet qui n'existe ni en UTF-8 ni en Windows-1252 (fichier "
              "endommagé ?) ; {resave}").format(resave=_(_RESAVE)))


def _sniff(header: str) -> str | None:
    counts = {sep: _fields(header, sep) - 1 for sep in SEPARATORS}
    best = max(counts, key=counts.get)
    return best if counts[best] > 0 else None


def _fields(line: str, sep: str) -> int:
    """How many fields a line has with this separator (counted by hand past the csv module's
    limit on a field's length: the whole line is one field for a separator it does not use)."""
    try:
        return len(next(csv.reader([line], delimiter=sep)))
    except csv.Error:
        return line.count(sep) + 1


def _line_offset(text: str, pos: int, lines: int) -> int:
    """The offset of the line ``lines`` lines after the one starting at ``pos``."""
    for _line in range(lines):
        found = text.find("\n", pos)
        if found < 0:
            return len(text)
        pos = found + 1
    return pos


def _broken_field(text: str, start: int, sep: str, limit: int) -> tuple[int, str, str] | None:
    """The first field of the record starting at ``start`` that the csv module cannot read: its
    index, its first characters and why — ``unclosed`` (a quote never closed), ``misquoted``
    (text after a closing quote) or ``long`` (more than ``limit`` characters); ``None`` if
    none is.

    Walks the record with ``str.find`` (a field of megabytes costs a few calls, not a loop over
    its characters).
    """
    index, i, n = 0, start, len(text)
    while i < n:
        why = None
        if text[i] == '"':
            j = i + 1
            while True:
                k = text.find('"', j)
                if k < 0:
                    k, why = n, "unclosed"
                    break
                if text.startswith('""', k):
                    j = k + 2
                    continue
                break
            content, after, length = text[i + 1:min(k, i + 1 + 100)], min(k + 1, n), k - i - 1
            if why is None and after < n and text[after] not in (sep, "\r", "\n"):
                why = "misquoted"
        else:
            content, after, length = None, i, None
        ends = [e for e in (text.find(sep, after), text.find("\n", after)) if e >= 0]
        stop = min(ends) if ends else n
        if length is None:
            content, length = text[i:min(stop, i + 100)], stop - i
        if why is None and length > limit:
            why = "long"
        if why is not None:
            return index, content, why
        if stop >= n or text[stop] != sep:
            return None
        i, index = stop + 1, index + 1
    return None


def _header_start(text: str) -> tuple[int, int] | None:
    """Offset and 0-based line of the first line that is neither blank nor a ``#`` comment."""
    pos = line = 0
    while pos < len(text):
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        current = text[pos:end]
        if current.strip() and not current.lstrip().startswith("#"):
            return pos, line
        pos, line = end + 1, line + 1
    return None


def _next_line(text: str, pos: int) -> str:
    end = text.find("\n", pos)
    return text[pos:] if end < 0 else text[pos:end]


def read_csv(data: bytes, shown: str, problems: ProblemList, encoding: str | None,
             separator: str | None) -> RawTable | None:
    """Open a CSV file: its header now, its data rows as they are iterated.

    Each row is a list of strings. A cell holding a byte that was not valid in the file's
    encoding, or a NUL byte, is reported with its line and column and its row left out.
    """
    if _looks_binary(data, shown, problems):
        return None
    text, why = _decode(data, shown, problems, encoding)
    if text is None:
        return None
    found = _header_start(text)
    if found is None:
        problems.add(shown, None, None, None, _("une ligne d'en-tête (partenariat, indicateur, "
                                                "annee, valeur…) après les commentaires"),
                     kind="empty-file")
        return None
    pos, start = found
    declared = re.fullmatch(r"\s*sep=(.)\s*", _next_line(text, pos))
    if declared:
        separator = separator or declared.group(1)
        pos, start = pos + len(_next_line(text, pos)) + 1, start + 1
    if separator in ("tab", "\\t"):
        separator = "\t"
    if separator is not None and separator not in SEPARATORS:
        problems.add(shown, None, None, separator, _("un séparateur « , » ou « ; »"),
                     kind="separator")
        return None
    sep = separator or _sniff(_next_line(text, pos))
    if sep is None:
        problems.add(shown, start + 1, None, _next_line(text, pos).strip(),
                     _("une ligne d'en-tête dont les colonnes sont séparées par « , » ou « ; » "
                       "(partenariat;indicateur;annee;valeur…)"), kind="separator")
        return None
    reader = csv.reader(io.StringIO(text[pos:], newline=""), delimiter=sep, strict=True)
    table = RawTable(file=shown, header_line=start + 1, separator=sep)
    checked = bool(why) or "\x00" in text
    nul = _("un caractère lisible : cette cellule contient un octet nul (0x00), signe d'un "
            "fichier endommagé ou mal exporté ; {resave}").format(resave=_(_RESAVE))
    previous = 0
    try:
        for record in reader:
            if any(f.strip() for f in record):
                table.header = [f.strip() for f in record]
                table.header_line = start + reader.line_num
                break
            previous = reader.line_num
    except csv.Error:
        _syntax_problem(table, text, pos, previous, start, problems)
        return None
    if len(table.header) > MAX_COLUMNS:
        problems.add(shown, table.header_line, None,
                     _("{n} colonnes").format(n=fmt.number(len(table.header), 0)),
                     _("un en-tête d'au plus {limit} colonnes (un fichier de suivi en a 7) : "
                       "vérifiez le séparateur et qu'il s'agit du bon fichier").format(
                         limit=fmt.number(MAX_COLUMNS, 0)),
                     kind="too-many-columns")
        return None
    if checked:
        _report_cells(table, table.header_line, table.header, problems, why, nul, header=True)

    def rows():
        previous = reader.line_num
        try:
            for record in reader:
                line = start + previous + 1
                previous = reader.line_num
                joined = "".join(record)
                if not joined or joined.isspace():
                    continue
                if checked and _report_cells(table, line, record, problems, why, nul):
                    continue
                yield line, record
        except csv.Error:
            _syntax_problem(table, text, pos, previous, start, problems)

    table.rows = rows()
    return table


def _syntax_problem(table: RawTable, text: str, pos: int, previous: int, start: int,
                    problems: ProblemList) -> None:
    """Say, in the user's language, where and why the csv module stopped reading: the record it
    failed on is walked again to find the cell (a quote never closed, text after a closing
    quote, a cell longer than the module's limit), located at its line and column with its
    first characters. The rest of the file is not read (``table.stopped``).
    """
    table.stopped = True
    limit = csv.field_size_limit()
    line = start + previous + 1
    found = _broken_field(text, _line_offset(text, pos, previous), table.separator, limit)
    if found is None:  # not expected from the module's strict mode: said without a cell
        problems.add(table.file, line, None, None, _("un CSV bien formé — guillemet non fermé "
                                                     "ou fichier tronqué ?"), kind="csv-syntax")
        return
    index, content, why = found
    column = column_label(table, index) if table.header else _("colonne {n}").format(n=index + 1)
    if why == "long":
        problems.add(table.file, line, column, content, _(
            "une cellule de moins de {limit} caractères (un commentaire tient en quelques "
            "lignes) : celle-ci est bien plus longue — fichier endommagé ?").format(
                limit=fmt.number(limit, 0)), kind="long-cell")
    elif why == "unclosed":
        problems.add(table.file, line, column, content, _(
            "un guillemet fermant : la cellule qui s'ouvre ici sur un guillemet n'est jamais "
            "fermée — guillemet non fermé ou fichier tronqué ?"), kind="csv-syntax")
    else:
        problems.add(table.file, line, column, content, _(
            "le séparateur juste après le guillemet qui ferme la cellule ; un guillemet dans une "
            "cellule entre guillemets s'écrit doublé (\"\")"), kind="csv-syntax")


def _report_cells(table: RawTable, line: int, record: list[str], problems: ProblemList,
                  why: str, nul: str, header: bool = False) -> bool:
    """Report the cells of a row holding U+FFFD (a byte invalid in the detected encoding) or a
    NUL byte; whether there was any."""
    bad = False
    for i, value in enumerate(record):
        if "\x00" in value:
            problems.add(table.file, line, None if header else column_label(table, i),
                         value.replace("\x00", "\\x00"), nul, kind="nul-byte")
            bad = True
        elif why and "\ufffd" in value:
            problems.add(table.file, line, None if header else column_label(table, i), value,
                         why, kind="encoding")
            bad = True
    return bad

"""Hostile inputs, written at test or bench time (never committed: some are megabytes).

Each writer takes the path to write. Shared by ``tests/core/test_corpus.py`` (the corpus's
``generated:`` cases), ``tests/test_hostile_commands.py`` and ``bench/hostile.py``.
"""

from __future__ import annotations

import os
import struct
import zipfile
from pathlib import Path

MB = 1024 * 1024
HEADER = "partenariat,indicateur,annee,valeur,ventilation,source,commentaire"
ROW = "jette-sidi-bibi,RI1.2,2009,3,,Organigramme,"

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.worksheet+xml"/></Types>')
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="suivi" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
_SHEET_HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
               '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
               '<sheetData>')
_SHEET_TAIL = "</sheetData></worksheet>"


def _cell(ref: str, value) -> str:
    if isinstance(value, str):
        return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'
    return f'<c r="{ref}"><v>{value}</v></c>'


def _row(n: int, values) -> str:
    cells = "".join(_cell(f"{chr(65 + i)}{n}", v) for i, v in enumerate(values))
    return f'<row r="{n}">{cells}</row>'


def _workbook(path: Path, write_sheet) -> Path:
    """A one-sheet workbook (sheet « suivi ») whose sheet XML ``write_sheet(stream)`` writes."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as stream:
            stream.write(_SHEET_HEAD.encode())
            stream.write(_row(1, HEADER.split(",")).encode())
            write_sheet(stream)
            stream.write(_SHEET_TAIL.encode())
    return path


def xlsx_bomb(path: Path, expanded_mb: int = 400) -> Path:
    """A workbook of about 1 MB whose sheet expands to ``expanded_mb`` MB of identical rows."""
    block = "".join(_row(2, ["jette-sidi-bibi", "RI1.2", 2009, 3]) for _ in range(2000)).encode()

    def write(stream):
        for _ in range(expanded_mb * MB // len(block)):
            stream.write(block)
    return _workbook(path, write)


def xlsx_lying_bomb(path: Path) -> Path:
    """The bomb with its sheet's declared size rewritten to 1 MB in the archive's directory
    (which zip readers trust): the directory lies about what the sheet expands to."""
    xlsx_bomb(path, expanded_mb=60)
    data = bytearray(path.read_bytes())
    name = b"xl/worksheets/sheet1.xml"
    central = data.find(b"PK\x01\x02")
    while central >= 0:
        n = struct.unpack_from("<H", data, central + 28)[0]
        if data[central + 46:central + 46 + n] == name:
            if struct.unpack_from("<I", data, central + 24)[0] == 0xFFFFFFFF:
                struct.pack_into("<Q", data, central + 46 + n + 4, MB)
            else:
                struct.pack_into("<I", data, central + 24, MB)
            break
        central = data.find(b"PK\x01\x02", central + 4)
    path.write_bytes(bytes(data))
    return path


def xlsx_many_rows(path: Path, rows: int = 200_000) -> Path:
    """A plain sheet of ``rows`` short rows (a few MB): far more rows than any monitoring table
    (two cells each, so that the row limit is met before the cell limit)."""
    def write(stream):
        for n in range(2, rows + 2):
            stream.write(_row(n, ["jette-sidi-bibi", "RI1.2"]).encode())
    return _workbook(path, write)


def xlsx_at_the_limit(path: Path, rows: int = 7_000) -> Path:
    """The largest workbook accepted: ``rows`` rows of 7 cells (49 007 cells with the header),
    the values varied as in real data, for the cost of reading one to its end."""
    def write(stream):
        for n in range(2, rows + 2):
            stream.write(_row(n, ["jette-sidi-bibi", f"RI{1 + n % 5}.{1 + n % 3}", 2007 + n % 6,
                                  n % 50, "", "Registre", f"ligne {n}"]).encode())
    return _workbook(path, write)


def xlsx_far_row(path: Path) -> Path:
    """One data row at Excel's last row number (1 048 576): a reader padding the gap reads a
    million empty rows."""
    def write(stream):
        stream.write(_row(1_048_576, ["jette-sidi-bibi", "RI1.2", 2009, 3]).encode())
    return _workbook(path, write)


def xlsx_wide_row(path: Path) -> Path:
    """A data row with a cell in Excel's last column (XFD): a reader pads 16 384 cells."""
    def write(stream):
        stream.write(b'<row r="2"><c r="A2" t="inlineStr"><is><t>jette-sidi-bibi</t></is></c>'
                     b'<c r="XFD2"><v>1</v></c></row>')
    return _workbook(path, write)


def xlsx_long_cell(path: Path) -> Path:
    """A comment cell of 5 million characters (Excel's limit is 32 767), not compressible (a
    compression bomb is another case)."""
    def write(stream):
        stream.write(b'<row r="2"><c r="G2" t="inlineStr"><is><t>')
        stream.write(os.urandom(5 * MB // 2).hex().encode())
        stream.write(b"</t></is></c></row>")
    return _workbook(path, write)


def csv_wide_header(path: Path, columns: int = 200_000) -> Path:
    """A header of ``columns`` columns (1.5 MB on one line)."""
    extra = ",".join(f"c{i}" for i in range(columns - 7))
    path.write_text(f"{HEADER},{extra}\n{ROW}\n", encoding="utf-8")
    return path


def csv_long_cell(path: Path, size_mb: int = 15) -> Path:
    """A comment cell of ``size_mb`` MB between quotes, on the data row of line 2."""
    with path.open("w", encoding="utf-8") as fh:
        fh.write(f'{HEADER}\n{ROW}"{"x" * (size_mb * MB)}"\n{ROW}\n')
    return path


def symlink_loop(path: Path) -> Path:
    """A symbolic link to itself."""
    os.symlink(path.name, path)
    return path


WRITERS = {
    "xlsx-bombe.xlsx": xlsx_bomb,
    "xlsx-taille-mensongere.xlsx": xlsx_lying_bomb,
    "xlsx-200000-lignes.xlsx": xlsx_many_rows,
    "xlsx-ligne-1048576.xlsx": xlsx_far_row,
    "xlsx-colonne-xfd.xlsx": xlsx_wide_row,
    "xlsx-cellule-5-mo.xlsx": xlsx_long_cell,
    "csv-200000-colonnes.csv": csv_wide_header,
    "csv-cellule-15-mo.csv": csv_long_cell,
}
"""The hostile files by name: each writer takes the path to write."""

"""The hidden sheet of a form: which cell holds which value, and proof that it was not changed.

A form's layout is a function of the programme, the pair and the years asked
(:func:`layout`): one RI sheet per result, four heading rows, then one row per indicator ×
disaggregation × year up to the last year asked, the years asked being the input rows. The
hidden sheet ``maroc-eval`` repeats it (one row per sheet row) with, for each row, a digest of
each locked cell as written (:func:`row_digest`), and signs the whole with an HMAC-SHA256 keyed
by a secret of the data folder (:func:`form_key`, ``<data>/.maroc-eval-cle``, made by the first
``maroc-eval formulaire``).

So the importer trusts nothing it reads there: it recomputes the layout from the pair and years
read, checks it row by row (a bogus row is an error at its cell) and checks the signature (the
pair, the years, which years are locked: an edit is an error), then compares each locked
cell's digest (an edit of a locked cell is reported, its content ignored).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from ..base import paths
from ..base.errors import OutputError, display_path
from ..base.i18n import _
from ..base.transaction import DataTransaction
from ..core.programme import Programme
from .rules import splits

META_SHEET = "maroc-eval"
FORMAT = "formulaire maroc-eval 2"
HEADER_ROW = 4
COLUMNS = "ABCDEFGHI"
VALUE, SOURCE, COMMENT = "E", "H", "I"
INPUTS = (VALUE, SOURCE, COMMENT)
INFO = ("partenariat", "annees", "genere_le", "ligne_entete", "signature")
"""Rows 2 to 6 of the hidden sheet: ``name | value``."""
META_COLUMNS = ("feuille", "ligne", "indicateur", "annee", "dimension", "modalite", "saisie",
                "empreinte")
"""The header of the hidden sheet's layout rows (row 7)."""
LAYOUT_START = 2 + len(INFO) + 1
"""The hidden sheet's first layout row."""
DIGEST = 6
"""Hex characters of one locked cell's digest."""
_KEY = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class Slot:
    """One row of an RI sheet: a heading row (``code`` is ``None``), or an indicator's value
    for a year, an input row (``entry``) or a locked reference row."""

    sheet: str
    row: int
    code: str | None = None
    year: int | None = None
    dimension: str = ""
    category: str = ""
    entry: bool = False

    @property
    def locked(self) -> str:
        """The columns of the row a commune cannot edit."""
        return "".join(c for c in COLUMNS if not (self.entry and c in INPUTS))

    def as_row(self, digest: str) -> list:
        """The hidden sheet's row for this slot."""
        return [self.sheet, self.row, self.code, self.year, self.dimension or None,
                self.category or None, None if self.code is None else int(self.entry), digest]


def layout(programme: Programme, years: list[int]) -> list[Slot]:
    """Every row of every RI sheet of a form for ``years`` (the same for every pair)."""
    shown = [y for y in programme.years if y <= years[-1]]
    slots = []
    for result in programme.results:
        slots += [Slot(result.code, row) for row in range(1, HEADER_ROW + 1)]
        row = HEADER_ROW
        for ind in programme.indicators_of(result.code):
            for dim, cat in splits(programme, ind):
                for year in shown:
                    row += 1
                    slots.append(Slot(result.code, row, ind.code, year, dim, cat, year in years))
    return slots


def canonical(value) -> str:
    """A cell's value as a text that survives a save by Excel or LibreOffice (``3`` and
    ``3.0`` alike, line ends alike)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return repr(float(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value).replace("\r\n", "\n")


def cell_digest(value) -> str:
    """The digest of one cell's value (:data:`DIGEST` hex characters)."""
    return hashlib.sha256(canonical(value).encode("utf-8")).hexdigest()[:DIGEST]


def row_digest(ws, slot: Slot) -> str:
    """The digests of the locked cells of a slot's row, in column order."""
    return "".join(cell_digest(ws[f"{c}{slot.row}"].value) for c in slot.locked)


def changed_cells(ws, slot: Slot, digest: str) -> list[str]:
    """The columns of a slot's row whose locked cell differs from its digest."""
    got = row_digest(ws, slot)
    return [c for i, c in enumerate(slot.locked)
            if got[i * DIGEST:(i + 1) * DIGEST] != digest[i * DIGEST:(i + 1) * DIGEST]]


def signature(key: bytes, pair: str, years: list[int], day: str, rows: list[list]) -> str:
    """HMAC-SHA256 of the hidden sheet's content (pair, years, date, layout rows)."""
    payload = json.dumps([FORMAT, pair, years, day, HEADER_ROW, rows], ensure_ascii=False,
                         separators=(",", ":"))
    return hmac.new(key, payload.encode("utf-8"), hashlib.sha256).hexdigest()


def form_key(data_dir: Path, *, create: bool = False) -> bytes | None:
    """The data folder's key for signing forms; made (under the folder's lock) if asked.

    Returns
    -------
    bytes or None
        ``None`` when the folder has none and ``create`` is false.

    Raises
    ------
    OutputError
        The key file is unreadable, or cannot be written.
    """
    path = paths.form_key_path(data_dir)

    def read() -> bytes | None:
        if not path.exists() and not path.is_symlink():
            return None
        try:
            text = path.read_text("ascii").strip() if not path.is_symlink() else ""
        except (OSError, UnicodeDecodeError):
            text = ""
        if not _KEY.match(text):
            raise OutputError(_("La clé des formulaires {path} est illisible (modifiée ?) : "
                                "restaurez-la depuis une sauvegarde ; sans elle, les formulaires "
                                "déjà envoyés ne peuvent plus être vérifiés.").format(
                                    path=display_path(path)))
        return bytes.fromhex(text)

    key = read()
    if key is not None or not create:
        return key
    with DataTransaction(Path(data_dir)) as tx:
        key = read()
        if key is None:
            key = secrets.token_bytes(32)
            tx.stage(path, key.hex().encode("ascii") + b"\n", new=True)
            tx.commit()
    return key

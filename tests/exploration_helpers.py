"""Independent readings of the sample for the exploration tests: csv sums and the logframe's
YAML, never the package's engine; and a small HTML table reader."""

from __future__ import annotations

import csv
import html.parser
import math

import yaml

from maroc_eval.base import paths


def rows() -> list[dict]:
    """The sample's monitoring rows, as the CSV reader gives them."""
    with open(paths.SAMPLE_OBSERVATIONS, encoding="utf-8") as fh:
        return list(csv.DictReader(line for line in fh if not line.startswith("#")))


def logframe() -> dict:
    """``params/programme.yml`` as plain YAML."""
    return yaml.safe_load(paths.PROGRAMME_FILE.read_text(encoding="utf-8"))


def yearly(pair, code) -> dict[int, float]:
    """year → the year's total (categories summed), numbers only."""
    out: dict[int, float] = {}
    for r in rows():
        if r["partenariat"] == pair and r["indicateur"] == code:
            out[int(r["annee"])] = out.get(int(r["annee"]), 0.0) + float(r["valeur"])
    return out


def stock(pair, code, year) -> float:
    """A cumulative indicator at ``year``: the 2007 stock plus every flow up to ``year``."""
    by_year = yearly(pair, code)
    if any(y not in by_year for y in range(2007, year + 1)):
        return math.nan
    return sum(by_year[y] for y in range(2007, year + 1))


class Cells(html.parser.HTMLParser):
    """The text of every table row of an HTML fragment."""

    def __init__(self, markup: str):
        super().__init__()
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None
        self.feed(markup)

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def number(text: str) -> float:
    """A French-formatted cell back to a number (« — » is unknown)."""
    if text == "—":
        return math.nan
    return float(text.replace("\u202f", "").replace("\xa0", "").replace(" ", "")
                 .replace(",", ".").removesuffix("%"))

"""French typography and report hygiene, scanned in the text of every sample report.

The scan reads the HTML reports as a reader sees them (text only, no tags, styles or
attributes): prose (paragraphs, list items, captions, headings, notices) and table cells
apart. Each rule is first shown to catch a planted fault and to leave the right form alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

from maroc_eval.core.programme import load_programme

VOWELS = "AEIOUÀÂÉÈÊËÎÏÔÙÛÜŒaeiouàâéèêëîïôùûüœ"
COUNTED = ("indicateur", "partenariat", "agent", "élu", "convention", "année", "réussi",
           "échec", "chapitre", "commune", "projet", "évaluation", "jour", "réunion", "action",
           "délibération", "stade")


@dataclass(frozen=True)
class Block:
    """One text block of a report: its text, whether it is a table cell, and for a cell the
    title of its column (or of its row, in a two-column table)."""

    text: str
    in_table: bool = False
    header: str = ""


# name → (pattern, where: "prose" or "all", what it means)
RULES = {
    "élision": (re.compile(
        r"\b(?:[Dd]e|[Ll]e|[Ll]a|[Qq]ue|[Jj]e|[Mm]e|[Tt]e|[Ss]e|[Nn]e|[Cc]e)\s+"
        rf"(?=[{VOWELS}])(?![A-Z]\b)(?!(?:onze|oui)\b)"), "all",
        "« de », « le », « la », « que »… devant une voyelle s’élident (« d’Auderghem »)"),
    "accord": (re.compile(
        r"(?<![\d,\u202f])(?:(?:[2-9]|[1-9]\d+)\s(?:" + "|".join(COUNTED) + r")(?!s)\b"
        r"|\b[01]\s(?:" + "|".join(COUNTED) + r")s\b)"), "all",
        "un nombre s’accorde avec son nom (« 43 réussis », « 1 indicateur »)"),
    "espace avant signe": (re.compile(r" [%:;?!]"), "all",
                           "espace insécable (fine) avant % : ; ? !"),
    "espace manquante": (re.compile(r"(?<=[\w)»])[;!?](?=\s)|(?<=[^\W\d])[:](?=\s)"),
                         "prose", "une espace (fine) insécable avant ; ! ? et :"),
    "espace dans un nombre": (re.compile(r"(?<![\d,.\u202f])\d{1,3}(?: \d{3})+(?![\d,])"),
                              "all", "milliers séparés par une espace fine insécable"),
    "artefact Python": (re.compile(
        r"\b(?:None|True|False|nan|NaN)\b|\[\]|\{\}|'[^'\s]*[/\\][^'\s]*'"
        r"|\d{4}-\d\d-\d\dT\d|\d\d:\d\d:\d\d\.\d+"), "all",
        "aucune valeur Python, chemin entre apostrophes ou horodatage ISO"),
    "apostrophe droite": (re.compile(r"(?<=[^\W\d_])'(?=[^\W\d_])"), "all",
                          "l’apostrophe typographique partout (« l’équipe »)"),
    "espace dans les guillemets": (re.compile(r"«(?![\u00a0\u202f])|(?<![\u00a0\u202f])»"),
                                   "all", "espaces insécables à l’intérieur de « »"),
    "barre d’unité": (re.compile(r"\w /\d"), "all", "« 59 points sur 100 », pas « /100 »"),
    "jargon de carnet": (re.compile(
        r"(?i)\bcarnets?\b(?! d[’']entretien)|\bcellules?\b(?= (?:de code|ci-dessous|ci-dessus"
        r"|suivantes?|précédentes?))|exécut\w* (?:les |la )?cellules?"
        r"|run all|paramètres ci-dessous|sidecar|\bjson\b"
        r"|papermill|nbconvert"), "prose", "le rapport ne parle pas de carnets ni de fichiers"),
}


def proper_nouns() -> set[str]:
    """Capitalised words a colon may introduce: the programme's names (communes, provinces,
    partners, programme, donor)."""
    programme = load_programme()
    texts = [programme.name, programme.donor]
    for pair in programme.pairs:
        texts += [pair.label, pair.province]
    for dim in programme.dimensions.values():
        texts += list(dim.categories.values())
    return {w for t in texts for w in re.findall(r"[\w’'-]+", str(t)) if w[:1].isupper()}


COLON_WORD = re.compile(r"\s:\s+([A-ZÀ-Þ][\w’'-]*)")


def capital_after_colon(text: str, names: set[str]) -> list[str]:
    """Words starting with a capital right after « : » that are neither an acronym or code
    (INDH, RI7.1, a grade A), nor a name of the programme, nor the start of a quotation."""
    found = []
    for match in COLON_WORD.finditer(text):
        word = match.group(1)
        if len(word) == 1 or word.isupper() or any(c.isdigit() for c in word):
            continue
        if word in names or word.split("’")[0].split("'")[0] in names:
            continue
        found.append(word)
    return found


SEMICOLON_WORD = re.compile(r"[;\u037e]\s+([A-ZÀ-Þ][\w’'-]*)")
PLACE_VARIANTS = (("Jerada", "Jérada"), ("Al Hoceïma", "Al Hoceima"))
"""Spellings of one place: a report uses one of each pair."""


def capital_after_semicolon(text: str, names: set[str], lowercase: set[str]) -> list[str]:
    """Words starting with a capital right after « ; » that are common words: neither an
    acronym or code, nor a name of the programme, nor a word the report never writes in lower
    case (a person's or a place's name)."""
    found = []
    for match in SEMICOLON_WORD.finditer(text):
        word = match.group(1)
        if len(word) == 1 or word.isupper() or any(c.isdigit() for c in word):
            continue
        if word in names or word.lower() not in lowercase:
            continue
        found.append(word)
    return found


def place_variants(text: str) -> list[str]:
    """The places a text spells two ways (« Jerada » and « Jérada »)."""
    return [f"{a} / {b}" for a, b in PLACE_VARIANTS
            if re.search(rf"\b{a}\b", text) and re.search(rf"\b{b}\b", text)]


def decimal_target(block: Block) -> bool:
    """A target of a hundred or more with decimals (« 6 632,6 »): a relative target computed,
    whose decimal means nothing."""
    return (block.in_table and block.header.startswith(("Cible", "Target"))
            and bool(re.fullmatch(r"\d{1,3}(?:[\u202f ]\d{3})+,\d+|\d{3},\d+",
                                  block.text.split("\u00a0")[0].strip())))


def unsigned_change(block: Block) -> bool:
    """A change in an « Évolution » cell written as a bare figure, without its sign (« 55 % »
    for +55 %); a transition (« 36 → 36 jours : aucun progrès ») is words, not a change."""
    if not block.in_table or "évolution" not in block.header.lower():
        return False
    text = block.text.strip()
    if "→" in text or not re.search(r"\d", text):
        return False
    return not re.match(r"^(?:[+−-]|0(?:\D|$)|—)", text)


def findings(blocks: list[Block], names: set[str]) -> list[tuple[str, str]]:
    """``(rule, excerpt)`` for every fault in the blocks."""
    found = []
    whole = "\n".join(block.text for block in blocks)
    lowercase = set(re.findall(r"\b[a-zà-ÿœ][\w’'-]*", whole))
    found += [("variantes d’un lieu", variant) for variant in place_variants(whole)]
    for block in blocks:
        if decimal_target(block):
            found.append(("décimales d’une cible", f"{block.header} : {block.text}"))
        if not block.in_table:
            found += [("majuscule après point-virgule", f"{word} — {block.text[:120]}")
                      for word in capital_after_semicolon(block.text, names, lowercase)]
        for name, (pattern, where, _) in RULES.items():
            if where == "prose" and block.in_table:
                continue
            for match in pattern.finditer(block.text):
                found.append((name, block.text[max(0, match.start() - 40):match.end() + 40]))
        if not block.in_table:
            found += [("majuscule après deux-points", f"{word} — {block.text[:120]}")
                      for word in capital_after_colon(block.text, names)]
        if unsigned_change(block):
            found.append(("évolution sans signe", f"{block.header} : {block.text}"))
    return found


class ReportText(HTMLParser):
    """The text blocks of a report, with table cells and their column or row titles."""

    BLOCKS = frozenset({"p", "li", "td", "th", "caption", "h1", "h2", "h3", "h4", "h5", "h6",
                        "dt", "dd", "div", "title", "figcaption", "pre", "summary", "a"})

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self._text: list[str] = []
        self._skip = 0
        self._tables: list[dict] = []

    def _flush(self):
        text = "".join(self._text).strip()
        self._text = []
        if not text:
            return
        table = self._tables[-1] if self._tables else None
        cell = table["cell"] if table else None
        if cell is None:
            self.blocks.append(Block(text))
            return
        kind, index = cell
        if kind == "th":
            if table["in_head"]:
                table["columns"].append(text)
            elif index == 0:
                table["row_title"] = text
            self.blocks.append(Block(text, True, ""))
            return
        header = table["row_title"] or (table["columns"][index]
                                        if index < len(table["columns"]) else "")
        self.blocks.append(Block(text, True, header))

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script"):
            self._skip += 1
            return
        if tag in self.BLOCKS:
            self._flush()
        if tag == "table":
            self._tables.append({"columns": [], "in_head": False, "cell": None,
                                 "row_title": "", "index": -1})
        elif self._tables:
            table = self._tables[-1]
            if tag == "thead":
                table["in_head"] = True
            elif tag == "tbody":
                table["in_head"] = False
            elif tag == "tr":
                table["index"], table["row_title"] = -1, ""
            elif tag in ("td", "th"):
                table["index"] += 1
                table["cell"] = (tag, table["index"])

    def handle_endtag(self, tag):
        if tag in ("style", "script"):
            self._skip -= 1
            return
        if tag in self.BLOCKS:
            self._flush()
        if tag == "table" and self._tables:
            self._tables.pop()
        elif self._tables and tag in ("td", "th"):
            self._tables[-1]["cell"] = None
        elif self._tables and tag == "thead":
            self._tables[-1]["in_head"] = False

    def handle_data(self, data):
        if not self._skip:
            self._text.append(data)


def report_blocks(html: str) -> list[Block]:
    """The text blocks of an HTML page."""
    parser = ReportText()
    parser.feed(html)
    parser.close()
    parser._flush()
    return parser.blocks


# -- each rule catches its fault, and only it ---------------------------------------------------
NNBSP, NBSP = "\u202f", "\u00a0"


@pytest.mark.parametrize(("rule", "bad", "good"), [
    ("élision", "Le service de Auderghem", "Le service d’Auderghem"),
    ("élision", "la commune de Al Hoceima", "la commune d’Al Hoceima, de Jette, de A à D"),
    ("élision", "parce que il manque", "parce qu’il manque"),
    ("accord", "43 réussi", "43 réussis, 1 indicateur sur 5"),
    ("accord", "1 indicateurs sur 5", "2 indicateurs sur 5 ; 1,5 agent"),
    ("accord", "1 → 1 projets", "1 → 1 projet, 2 → 3 projets"),
    ("espace manquante", "Sources : suivi.csv; revue", f"Sources{NBSP}: suivi.csv{NNBSP}; revue"),
    ("espace manquante", "Note: voir", f"Note{NBSP}: voir à 22:51"),
    ("espace avant signe", "réalisation : 45 %", f"réalisation{NBSP}: 45{NNBSP}%"),
    ("espace avant signe", "pourquoi ?", f"pourquoi{NNBSP}?"),
    ("espace dans un nombre", "16 826 habitants", f"16{NNBSP}826 habitants en 2012"),
    ("artefact Python", "pair None", "partenariat : sans objet"),
    ("artefact Python", "compare_pairs True", "oui"),
    ("artefact Python", "unavailable []", "aucun"),
    ("artefact Python", "'data/sample'", "data/sample"),
    ("artefact Python", "2026-11-29T22:51:38.050827+00:00", "29/11/2026 à 22 h 51 (UTC)"),
    ("jargon de carnet", "Ce carnet évalue le RI 3", "Ce chapitre examine le RI 3"),
    ("apostrophe droite", "l'équipe d'évaluation", "l’équipe d’évaluation, 'data/sample'"),
    ("espace dans les guillemets", "« en bonne voie »", f"«{NBSP}en bonne voie{NBSP}»"),
    ("barre d’unité", "59 points /100", "59 points sur 100, 12/2010"),
    ("jargon de carnet", "Run All suffit", "les indicateurs du cadre logique"),
    ("jargon de carnet", "exécutez les cellules ci-dessous",
     "un carnet d’entretien par équipement ; la cellule d’action sociale"),
])
def test_each_rule_catches_its_fault(rule, bad, good):
    pattern = RULES[rule][0]
    assert pattern.search(bad)
    assert not pattern.search(good)


def test_capital_after_colon_spares_acronyms_names_and_quotations():
    names = proper_nouns()
    assert "Auderghem" in names and "Tanger" in names
    assert capital_after_colon("Vision visée : Les communes disposent", names) == ["Les"]
    assert capital_after_colon("Objectif spécifique : Dans les 5 ans", names) == ["Dans"]
    for right in ("Vision visée : les communes", "Partenaires : INDH et DAS",
                  "Indicateur : RI7.1", "Partenariat : Liège – Tanger",
                  "RI7.1, 2009 : « Convention signée »", "Note : A — très bon"):
        assert capital_after_colon(right, names) == [], right


def test_capital_after_semicolon_spares_names_and_words_never_written_in_lower_case():
    names = proper_nouns()
    lowercase = {"les", "la", "pieter"} - {"pieter"}
    assert capital_after_semicolon(f"le service{NNBSP}; Les agents", names, lowercase) == ["Les"]
    for right in (f"Nadia{NNBSP}; Pieter Claes", f"Jette{NNBSP}; Tanger en tient",
                  f"a{NNBSP}; INDH", f"a{NNBSP}; RI3.1"):
        assert capital_after_semicolon(right, names, lowercase) == [], right


def test_place_variants_and_decimal_targets():
    assert place_variants("Forest – Jérada ; province de Jerada") == ["Jerada / Jérada"]
    assert place_variants("Forest – Jérada ; province de Jérada") == []
    assert decimal_target(Block(f"6{NNBSP}632,6", True, "Cible 2012"))
    assert decimal_target(Block("771,25", True, "Cible 2010"))
    assert not decimal_target(Block("97,2", True, "Cible 2012"))
    assert not decimal_target(Block(f"6{NNBSP}633", True, "Cible 2012"))
    assert not decimal_target(Block(f"6{NNBSP}632,6", True, "Valeur 2012"))


def test_unsigned_change_reads_the_column_or_row_title():
    assert unsigned_change(Block("55 %", True, "Évolution depuis 2007"))
    assert not unsigned_change(Block("+55 %", True, "Évolution depuis 2007"))
    assert not unsigned_change(Block("−36 points", True, "Évolution"))
    assert not unsigned_change(Block("stable", True, "Évolution"))
    assert not unsigned_change(Block("55 %", True, "Réalisation 2012"))
    assert not unsigned_change(Block("36 → 36 jours : aucun progrès", True, "Évolution"))
    html = ("<table><thead><tr><th>Objet</th><th>Évolution</th></tr></thead><tbody>"
            "<tr><td>RI 5</td><td>55 %</td></tr></tbody></table>"
            "<table><tbody><tr><th>Évolution depuis 2007</th><td>12 %</td></tr></tbody></table>"
            "<p>Taux : 45 %</p>")
    blocks = report_blocks(html)
    assert [b for b in blocks if unsigned_change(b)] == [
        Block("55 %", True, "Évolution"), Block("12 %", True, "Évolution depuis 2007")]
    assert Block("Taux : 45 %") in blocks


# -- every sample report ------------------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.kernel
def test_every_sample_report_is_clean(sample_reports):
    reports = sorted(Path(sample_reports).glob("*/*/rapport-*.html"))
    assert len(reports) == 14  # 6 pairs × 2 phases + 2 programme reports
    names = proper_nouns()
    found = []
    for report in reports:
        blocks = report_blocks(report.read_text("utf-8"))
        assert len(blocks) > 100, report.name
        # every section of the sample is there (the programme synthesis ran on all six pairs)
        assert not [b.text for b in blocks if b.text == "Indisponible"
                    or "Section indisponible" in b.text
                    or "carnet non exécuté" in b.text], report.name
        found += [(report.name, rule, text) for rule, text in findings(blocks, names)]
    shown = "\n".join(f"{name} [{rule}] {text!r}" for name, rule, text in found[:40])
    assert not found, f"{len(found)} fautes, dont :\n{shown}"


def contradicting_figures(html: str) -> list[list[str]]:
    """Table rows where an index or achievement shown « 100 % » stands beside a status other
    than « Atteint » (a 99,6 % rounded up across its band)."""
    from bs4 import BeautifulSoup

    shortfalls = {"Largement atteint", "Partiellement atteint", "Non atteint", "En bonne voie",
                  "En retard", "Critique"}
    found = []
    for table in BeautifulSoup(html, "html.parser").select("table"):
        header = [" ".join(th.get_text(" ").split()) for th in table.select("thead th")]
        # an index or achievement of the same date as the status (« Réalisation 2010 » beside
        # « Statut 2012 » compares two phases)
        columns = [i for i, h in enumerate(header) if h.startswith(("Indice", "Réalisation"))
                   and not re.search(r"\d{4}", h)]
        for tr in table.select("tbody tr"):
            cells = [" ".join(c.get_text(" ").split()) for c in tr.find_all(["td", "th"])]
            if shortfalls & set(cells) and any(i < len(cells) and cells[i] == "100 %"
                                                for i in columns):
                found.append(cells)
    return found


def test_a_rounded_figure_never_contradicts_its_status():
    table = ("<table><thead><tr><th>RI</th><th>Indice</th><th>Statut</th><th>Couverture</th>"
             "</tr></thead><tbody><tr><td>RI 3</td><td>{}</td><td>Partiellement atteint</td>"
             "<td>100 %</td></tr></tbody></table>")
    assert contradicting_figures(table.format("100 %")) == [
        ["RI 3", "100 %", "Partiellement atteint", "100 %"]]
    assert contradicting_figures(table.format("99,6 %")) == []  # the coverage is not an index
    dated = table.replace("<th>Indice</th>", "<th>Réalisation 2010</th>")
    assert contradicting_figures(dated.format("100 %")) == []  # another phase's figure


@pytest.mark.slow
@pytest.mark.kernel
def test_no_sample_report_rounds_a_figure_across_its_status(sample_reports):
    found = []
    for report in sorted(Path(sample_reports).glob("*/*/rapport-*.html")):
        found += [(report.name, row) for row in contradicting_figures(report.read_text("utf-8"))]
    assert not found, found[:10]

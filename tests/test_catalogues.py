"""The gettext catalogues (``make catalogues``): complete, compiled, up to date, and a real
English report that shows no French message of the catalogue (and a French one no English)."""

from __future__ import annotations

import importlib.util
import io
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from maroc_eval.base import i18n, paths

PLACEHOLDER = re.compile(r"\{[A-Za-z_]\w*(?:[:!][^{}\s]*)?\}|%\([a-z_]+\)[sd]")
"""A named field ({n}, {byte:02x}); not the literal {fr: « … »} of a message."""
EXE = str(Path(sys.executable).with_name("maroc-eval"))
PYBABEL = str(Path(sys.executable).with_name("pybabel"))
MARKER = "(original text in French)"
MIN_LENGTH = 12
"""Catalogue fragments this long or shorter are not searched for ("RI", "Code", "Total"…)."""


def _script():
    spec = importlib.util.spec_from_file_location(
        "catalogues_script", paths.PROJ_ROOT / "scripts" / "catalogues.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _catalogue(lang):
    with i18n.catalogue_path(lang).open("rb") as po:
        return read_po(po)


def _pairs(message):
    """(msgid, msgstr) of each form of a message (two for a plural one)."""
    ids = message.id if isinstance(message.id, tuple) else (message.id,)
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return list(zip(ids, strings, strict=True))


def _edges(text):
    """The leading and trailing blanks of a message (sentences are joined on them)."""
    return text[:len(text) - len(text.lstrip())], text[len(text.rstrip()):]


@pytest.fixture(scope="module")
def extracted():
    """The msgids extracted from the current sources, as ``scripts/catalogues.py`` does."""
    return {m.id for m in _script().extract() if m.id}


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_every_extracted_message_is_translated(extracted, lang):
    catalogue = _catalogue(lang)
    assert catalogue.num_plurals == 2
    assert catalogue.plural_expr == {"fr": "(n > 1)", "en": "(n != 1)"}[lang]
    missing = [m for m in extracted if catalogue.get(m) is None]
    assert not missing, missing[:10]
    for message in (catalogue.get(m) for m in extracted):
        assert not message.fuzzy, message.id
        for msgid, msgstr in _pairs(message):
            assert msgstr, msgid
            if lang == i18n.DEFAULT:  # French is the source: each message translates to itself
                assert msgstr == msgid
            else:
                assert sorted(PLACEHOLDER.findall(msgstr)) == sorted(PLACEHOLDER.findall(msgid)), \
                    (msgid, msgstr)
                assert _edges(msgstr) == _edges(msgid), (msgid, msgstr)


def test_english_catalogue_is_a_translation():
    """The evaluation vocabulary of the brief, and no English message left in French."""
    english = {m.id: m.string for m in _catalogue("en") if m.id}
    assert english["Atteint"] == "Achieved"
    assert english["Partiellement atteint"] == "Partially achieved"
    assert english["Non atteint"] == "Not achieved"
    assert english["En bonne voie"] == "On track"
    assert english["En retard"] == "Behind schedule"
    assert english["Critique"] == "Critical"
    assert english["Résultat intermédiaire"] == "Intermediate result"
    assert english["Constats"] == "Findings"
    assert english["Leçons apprises"] == "Lessons learned"
    assert english["Évaluation à mi-parcours"] == "Mid-term evaluation"
    assert english["Données fictives"] == "Fictitious data"
    assert english["(texte original en français)"] == MARKER
    assert english[("{n} erreur", "{n} erreurs")] == ("{n} error", "{n} errors")
    accented = [k for k, v in english.items() if isinstance(v, str) and len(v) > MIN_LENGTH
                and re.search(r"[éèêàùç]", v) and v == k]
    assert not accented, accented[:10]


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_committed_mo_matches_po(lang):
    """The ``.mo`` read back gives exactly the messages of the ``.po`` (compiled in memory)."""
    script = _script()
    po = _catalogue(lang)
    with i18n.catalogue_path(lang, ".mo").open("rb") as mo:
        committed = read_mo(mo)
    fresh = read_mo(io.BytesIO(script.mo_bytes(po)))

    def messages(catalogue):
        return {tuple(m.id) if isinstance(m.id, (list, tuple)) else m.id:
                tuple(m.string) if isinstance(m.string, (list, tuple)) else m.string
                for m in catalogue if m.id}

    assert messages(committed) == messages(fresh) == messages(po)
    assert len(messages(po)) > 1000


def test_pot_is_up_to_date(tmp_path, extracted):
    """``pybabel extract`` (Babel's own command line) on babel.cfg finds the committed messages."""
    out = tmp_path / "messages.pot"
    done = subprocess.run([PYBABEL, "extract", "-F", "babel.cfg", "-k", "N_", "-k",
                           "ngettext:1,2", "-o", str(out), "."], cwd=paths.PROJ_ROOT,
                          capture_output=True, text=True, check=False, timeout=120)
    assert done.returncode == 0, done.stderr
    with out.open("rb") as fresh, (paths.LOCALE_DIR / "maroc_eval.pot").open("rb") as pot:
        fresh_ids = {m.id for m in read_po(fresh) if m.id}
        committed = {m.id for m in read_po(pot) if m.id}
    assert fresh_ids == committed == extracted


def test_make_catalogues_has_nothing_to_change(capsys):
    """``scripts/catalogues.py --check``: the committed files are byte for byte what it writes."""
    assert _script().main(["--check"]) == 0, capsys.readouterr().out
    assert "; 0 sans traduction anglaise." in capsys.readouterr().out


# --- the reports -----------------------------------------------------------------------------

BREAKS = {"p", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "caption", "figcaption",
          "title", "dt", "dd", "pre", "text", "div", "tr", "table", "ul", "ol", "section", "br"}


class _Blocks(HTMLParser):
    """The visible text of a page, one string per block (paragraph, cell, heading…)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks, self._text, self._hidden = [], [], 0

    def handle_starttag(self, tag, attrs):
        self._hidden += tag in ("script", "style")
        if tag in BREAKS:
            self._flush()
        self.blocks += [v for k, v in attrs if k in ("alt", "title", "aria-label") and v]

    def handle_endtag(self, tag):
        self._hidden -= tag in ("script", "style")
        if tag in BREAKS:
            self._flush()

    def handle_data(self, data):
        if not self._hidden:
            self._text.append(data)

    def _flush(self):
        text = normal("".join(self._text))
        self._text = []
        if text:
            self.blocks.append(text)


def normal(text):
    """Apostrophes, non-breaking spaces and Markdown marks aside, blanks collapsed."""
    text = text.replace("\u2019", "'").replace("\u00a0", " ").replace("\u202f", " ")
    return re.sub(r"\s+", " ", re.sub(r"[*`]", "", text)).strip()


def _strings(node):
    if isinstance(node, str):
        yield normal(node)
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


def _data_texts():
    """Labels of params/ (indicators, units, communes…) and the evaluation team's own texts."""
    files = [*(paths.PROJ_ROOT / "params").rglob("*.yml"),
             *paths.appraisals_dir(paths.SAMPLE_DIR).glob("*/*.yml")]
    return {s for f in files for s in _strings(yaml.safe_load(f.read_text("utf-8")))}


def _fragments(lang):
    """The literal parts (between placeholders) of the catalogue messages that differ from
    their translation, in ``lang`` (``fr``: the msgids, ``en``: the English msgstrs)."""
    data, found = _data_texts(), set()
    for message in _catalogue("en"):
        if not message.id:
            continue
        for msgid, msgstr in _pairs(message):
            if normal(msgid) == normal(msgstr) or normal(msgid) in data:
                continue
            text = msgid if lang == "fr" else msgstr
            found |= {normal(f) for f in PLACEHOLDER.split(text) if len(normal(f)) > MIN_LENGTH}
    return found


def _leaks(page: Path, lang: str) -> list[str]:
    """Catalogue fragments of the other language found on a page (evaluators' French prose
    marked « (original text in French) », and their data shown as is, left aside)."""
    parser = _Blocks()
    parser.feed(page.read_text("utf-8"))
    parser._flush()
    data = _data_texts()
    blocks = [b for b in parser.blocks if MARKER not in b and b not in data]
    text = "\n".join(blocks)
    return sorted(f for f in _fragments("fr" if lang == "en" else "en") if f in text)


def test_leak_detector_sees_a_french_message(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<p>Executive summary</p><td>Aucune visite de terrain.</td>"
                    f"<p>Constat rédigé par l'équipe. {MARKER}</p>", "utf-8")
    assert _leaks(page, "en") == ["Aucune visite de terrain."]
    assert _leaks(page, "fr") == ["Executive summary"]


def _report(outputs: Path, lang: str):
    done = subprocess.run([EXE, "report", "--langue", lang, "--phase", "final", "--formats",
                           "html", "--sorties", str(outputs)], capture_output=True, text=True,
                          check=False, timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.kernel
@pytest.mark.slow
def test_reports_speak_one_language(tmp_path, battery_outputs):
    english = tmp_path / "english"
    done = subprocess.run([EXE, "run", "--langue", "en", "--partenariat", "jette-sidi-bibi",
                           "--phase", "final", "--sorties", str(english), "-q"],
                          capture_output=True, text=True, check=False, timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr
    _report(english, "en")
    french = tmp_path / "french"
    shutil.copytree(battery_outputs, french)
    _report(french, "fr")
    pages = {"en": english / "en", "fr": french}
    for lang, root in pages.items():
        final = root / "final"
        reports = [root / "index.html", final / "programme" / "rapport-final-programme.html",
                   final / "jette-sidi-bibi" / "rapport-final-jette-sidi-bibi.html"]
        for page in reports:
            assert f'<html lang="{lang}">' in page.read_text("utf-8")
            assert _leaks(page, lang) == [], (lang, page.name)
    pair = (pages["en"] / "final" / "jette-sidi-bibi" / "rapport-final-jette-sidi-bibi.html")
    text = pair.read_text("utf-8")
    assert "Executive summary" in text and "Findings" in text and MARKER in text

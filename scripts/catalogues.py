"""Extract, update and compile the gettext catalogues of maroc-eval (``make catalogues``).

1. Extract every message of the sources mapped by ``babel.cfg`` (Python, Jinja templates,
   notebooks' Markdown, params labels) into ``src/maroc_eval/locale/maroc_eval.pot``.
2. Update ``fr`` and ``en`` ``.po`` files from it: messages gone are dropped, new ones added
   (no fuzzy matching: a new message is untranslated, never guessed). French is the source
   language, so each French ``msgstr`` is its ``msgid``; English translations are kept.
3. Compile both ``.mo`` files.

Prints the number of messages and lists the English ones still untranslated (exit status 1
if any, so a forgotten translation is seen). Usage: ``python scripts/catalogues.py [--check]``;
``--check`` compares without writing (exit status 1 if anything is out of date).
"""

from __future__ import annotations

import argparse
import io
import sys
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from maroc_eval.base import i18n, paths

KEYWORDS = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)}
"""The marking functions (Babel's defaults include them; listed for the reader)."""
POT = paths.LOCALE_DIR / f"{i18n.DOMAIN}.pot"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
PLURALS = {"fr": "(n > 1)", "en": "(n != 1)"}
"""gettext's two plural forms (CLDR gives French a third, which gettext does not know)."""


def extract(root: Path = paths.PROJ_ROOT) -> Catalog:
    """Every message of the sources ``babel.cfg`` maps, as a template catalogue."""
    with open(root / "babel.cfg", encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    catalogue = Catalog(project="maroc-eval", charset="utf-8", fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
            str(root), method_map, options_map, keywords=KEYWORDS, strip_comment_tags=True):
        catalogue.add(message, None, [(filename, lineno)], auto_comments=comments,
                      context=context)
    return catalogue


def updated(template: Catalog, lang: str, previous: Catalog | None) -> Catalog:
    """The ``lang`` catalogue for ``template``, keeping the translations of ``previous``."""
    catalogue = Catalog(locale=lang, project="maroc-eval", charset="utf-8", fuzzy=False)
    catalogue._num_plurals, catalogue._plural_expr = 2, PLURALS[lang]  # Babel has no setter
    for message in template:
        if not message.id:
            continue
        if lang == i18n.DEFAULT:
            string = message.id
        else:
            old = previous.get(message.id, message.context) if previous else None
            string = old.string if old is not None and not old.fuzzy else None
            if string is None:
                string = ("", "") if message.pluralizable else ""
        catalogue.add(message.id, string, message.locations, auto_comments=message.auto_comments,
                      context=message.context)
    return catalogue


def po_bytes(catalogue: Catalog) -> bytes:
    """The ``.po`` (or ``.pot``) text of a catalogue: sorted, without dates, wrapped at 100;
    locations name the files but not the lines, so that moving code does not date the
    catalogues (only a new or changed message does)."""
    buffer = io.BytesIO()
    write_po(buffer, catalogue, width=100, sort_output=True, omit_header=False,
             include_lineno=False, ignore_obsolete=True, include_previous=False)
    text = buffer.getvalue().decode("utf-8")
    lines = [line for line in text.splitlines(keepends=True)
             if not line.startswith(('"POT-Creation-Date', '"PO-Revision-Date'))]
    return "".join(lines).encode("utf-8")


def mo_bytes(catalogue: Catalog) -> bytes:
    """The compiled ``.mo`` of a catalogue (no dates in its header: the same bytes each time)."""
    catalogue.creation_date = catalogue.revision_date = EPOCH
    buffer = io.BytesIO()
    write_mo(buffer, catalogue, use_fuzzy=False)
    return buffer.getvalue()


def untranslated(catalogue: Catalog) -> list[str]:
    """The msgids of a catalogue without a full translation (or marked fuzzy)."""
    missing = []
    for message in catalogue:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    return missing


def main(argv: list[str] | None = None) -> int:
    """Extract, update, compile; print the counts. Returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="compare without writing; exit 1 if anything is out of date")
    args = parser.parse_args(argv)
    template = extract()
    files = {POT: po_bytes(template)}
    catalogues = {}
    for lang in i18n.LANGUAGES:
        path = i18n.catalogue_path(lang)
        previous = read_po(path.open("rb"), locale=lang) if path.exists() else None
        catalogues[lang] = catalogue = updated(template, lang, previous)
        files[path] = po_bytes(catalogue)
        files[i18n.catalogue_path(lang, ".mo")] = mo_bytes(read_po(io.BytesIO(files[path])))
    stale = [path for path, data in files.items()
             if not path.exists() or path.read_bytes() != data]
    if args.check:
        for path in stale:
            print(f"périmé : {path.relative_to(paths.PROJ_ROOT)}")
    else:
        for path in stale:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(files[path])
    count = sum(1 for message in template if message.id)
    missing = untranslated(catalogues["en"])
    print(f"{count} messages ; {len(missing)} sans traduction anglaise.")
    for msgid in missing[:50]:
        print(f"  à traduire : {msgid[:90]!r}")
    return 1 if missing or (args.check and stale) else 0


if __name__ == "__main__":
    sys.exit(main())

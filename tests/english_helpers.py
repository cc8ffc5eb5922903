"""A temporary English catalogue for the tests of the English path (the real one is extracted
and translated last): build a tiny ``.mo`` with Babel, point :mod:`maroc_eval.base.i18n` at it."""

from __future__ import annotations

from pathlib import Path

from maroc_eval.base import i18n, paths


def write_catalogue(locale_dir: Path, messages: dict, lang: str = "en") -> Path:
    """Compile ``messages`` (French msgid → translation; a ``(singular, plural)`` key maps to a
    pair) into ``locale_dir/<lang>/LC_MESSAGES/maroc_eval.mo``; returns the file."""
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo

    catalogue = Catalog(locale=lang, domain=i18n.DOMAIN)
    for msgid, text in messages.items():
        catalogue.add(msgid, text)
    target = Path(locale_dir) / lang / "LC_MESSAGES" / f"{i18n.DOMAIN}.mo"
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "wb") as fh:
        write_mo(fh, catalogue)
    return target


def use_catalogue(monkeypatch, locale_dir: Path, lang: str = "en") -> None:
    """Speak ``lang`` from ``locale_dir`` for one test (French and the real catalogues after)."""
    monkeypatch.setattr(paths, "LOCALE_DIR", Path(locale_dir))
    i18n._translations.cache_clear()
    monkeypatch.setattr(i18n, "_current", [i18n.DEFAULT])
    i18n.set_language(lang)


def reset() -> None:
    """Back to French, with the catalogues of the package."""
    i18n._translations.cache_clear()
    i18n.set_language("fr")

"""A tiny English catalogue built in a test, since the real one is written last."""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo

from maroc_eval import i18n

MARKER_FR = "(texte original en français)"
MARKER_EN = "(original text in French)"


def write_catalogue(root: Path, messages: dict[str, str], lang: str = "en") -> Path:
    """Compile ``messages`` (French msgid → translation) into ``root/<lang>/LC_MESSAGES``.

    Returns ``root``, the folder to use as the locale directory.
    """
    catalogue = Catalog(locale=lang, domain=i18n.DOMAIN)
    for msgid, msgstr in messages.items():
        catalogue.add(msgid, msgstr)
    target = root / lang / "LC_MESSAGES" / f"{i18n.DOMAIN}.mo"
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "wb") as fh:
        write_mo(fh, catalogue)
    return root

"""A tiny English catalogue built in a test, since the real one is written last."""

from __future__ import annotations

from pathlib import Path

import english_helpers

MARKER_FR = "(texte original en français)"
MARKER_EN = "(original text in French)"


def write_catalogue(root: Path, messages: dict[str, str], lang: str = "en") -> Path:
    """Compile ``messages`` (French msgid → translation) into ``root/<lang>/LC_MESSAGES``
    (:func:`english_helpers.write_catalogue`).

    Returns ``root``, the folder to use as the locale directory.
    """
    english_helpers.write_catalogue(root, messages, lang)
    return root

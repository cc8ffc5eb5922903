"""The user's language: gettext catalogues (``.po``/``.mo``, extracted and compiled with Babel).

French is the source language: every user-facing string is written in French in the code and the
templates, wrapped in :func:`_` (or :func:`ngettext`, or marked with :func:`N_` where it is a
constant translated later), and looked up in the catalogue of the current language. The French
catalogue translates each message to itself; the English one gives its translation.

The language is chosen, strongest first, by ``--langue`` on a command (or the ``langue``
parameter of a notebook), the ``langue:`` key of ``params/projet.yml``, then ``LC_ALL``,
``LC_MESSAGES`` or ``LANG``; French by default. :func:`set_language` sets it for the process.
"""

from __future__ import annotations

import gettext
import os
import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path

from . import paths

DOMAIN = "maroc_eval"
"""The gettext domain: ``locale/<lang>/LC_MESSAGES/maroc_eval.mo``."""
LANGUAGES = ("fr", "en")
"""The languages the toolkit speaks, the source language first."""
DEFAULT = "fr"
ENV_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")
"""The environment variables read, in gettext's order, when nothing else chooses."""

_current: list[str] = [DEFAULT]


def language_of(value: str | None) -> str | None:
    """The toolkit language a code or locale names (``en_GB.UTF-8`` → ``en``), if it speaks it.

    Examples
    --------
    >>> language_of("en_US.UTF-8"), language_of("fr"), language_of("C"), language_of(None)
    ('en', 'fr', None, None)
    """
    if not value:
        return None
    code = re.split(r"[_.@-]", value.strip().lower(), maxsplit=1)[0]
    return code if code in LANGUAGES else None


def resolve_language(explicit: str | None = None, project: str | None = None,
                     environ: Mapping[str, str] | None = None) -> str:
    """The language to speak: the explicit choice, the project's, the environment's, French.

    Parameters
    ----------
    explicit : str, optional
        ``--langue`` or a notebook's ``langue`` parameter.
    project : str, optional
        The ``langue:`` of ``params/projet.yml``.
    environ : mapping, optional
        Default: ``os.environ``.
    """
    for value in (explicit, project):
        found = language_of(value)
        if found:
            return found
    environ = os.environ if environ is None else environ
    for name in ENV_VARIABLES:
        if environ.get(name):  # the first set variable decides, as gettext does
            return language_of(environ[name]) or DEFAULT
    return DEFAULT


@cache
def _translations(lang: str) -> gettext.NullTranslations:
    return gettext.translation(DOMAIN, localedir=str(paths.LOCALE_DIR), languages=[lang],
                               fallback=True)


def set_language(lang: str | None) -> str:
    """Speak ``lang`` from now on (an unknown or empty code: French); returns the language."""
    _current[0] = language_of(lang) or DEFAULT
    return _current[0]


def language() -> str:
    """The language currently spoken (``fr`` or ``en``)."""
    return _current[0]


def _(message: str) -> str:
    """The translation of a French message in the current language."""
    return _translations(_current[0]).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The translation of a message with a singular and a plural form, chosen by ``n``."""
    return _translations(_current[0]).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a constant for extraction without translating it now (translate it with ``_``)."""
    return message


def catalogue_path(lang: str, suffix: str = ".po") -> Path:
    """``locale/<lang>/LC_MESSAGES/maroc_eval.po`` (or ``.mo``)."""
    return paths.LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}{suffix}"

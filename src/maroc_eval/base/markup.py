"""HTML rendered from the project's Jinja2 templates: templates hold the markup, Python the data.

Like nbconvert's own templates, every piece of HTML the toolkit writes itself is a template of
``templates/``: the fragments notebooks and reports show (``fragments/*.html.j2``, mostly macros)
and the index page (``index/index.html.j2``). :func:`render` renders one template, or one macro of
it, with data, and returns :class:`Html`, the one kind of markup the toolkit trusts.

Escaping is safe by construction: the environment escapes every value a template prints
(autoescape on); only markup written in a template (or returned by one of its macros) goes out
as is. Values are escaped as :func:`html.escape` does (``&quot;``, ``&#x27;``: the entities the
reports have always had); ``None`` prints nothing.

The environment is created once per process (per templates folder) and keeps its compiled
templates: notebooks call these helpers dozens of times. It has Jinja's ``i18n`` extension with
the toolkit's gettext (:mod:`maroc_eval.base.i18n`): ``{{ _("Texte") }}`` and ``{% trans %}`` speak
the current language, looked up when the template is rendered; global ``lang`` gives it.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from . import fmt, i18n, paths


class Html:
    """Trusted HTML rendered from a template; displays in notebooks through ``_repr_html_``."""

    __slots__ = ("markup",)

    def __init__(self, markup: str):
        self.markup = markup

    def _repr_html_(self) -> str:
        return self.markup

    def __str__(self) -> str:
        return self.markup


@dataclass(frozen=True)
class Cell:
    """A table cell: its text (escaped on output), an optional CSS style and class."""

    text: str
    css: str = ""
    cls: str = ""


def _escaped(value) -> Markup:
    """Every value a template prints, escaped; markup from a template or a macro passes as is."""
    if value is None:
        return Markup("")
    if isinstance(value, Markup):
        return value
    return Markup(html.escape(str(value), quote=True))


def _typo(text) -> str:
    """Filter ``typo``: French typography of a text (:func:`maroc_eval.base.fmt.typo`)."""
    return fmt.typo(str(text))


_LINE_BREAK = re.compile(r"\s*\n\s*")


def _prose(text):
    """Filter ``prose``: a template's paragraph on one line (line breaks and indentation become
    one space), with French typography; markup stays markup."""
    joined = fmt.typo(_LINE_BREAK.sub(" ", str(text)).strip())
    return Markup(joined) if isinstance(text, Markup) else joined


@jinja2.pass_context
def _include_css(context, name: str) -> Markup:
    """Global ``include_css``: a stylesheet beside the calling template, inlined (offline pages)."""
    folder = Path(context.environment.loader.searchpath[0])
    here = Path(context.name or "").parent
    return Markup((folder / here / name).read_text("utf-8"))


@lru_cache(maxsize=4)
def _environment(folder: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder), autoescape=True, finalize=_escaped,
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
        keep_trailing_newline=True, extensions=["jinja2.ext.i18n"])
    env.install_gettext_callables(i18n._, i18n.ngettext)  # looked up at render time
    env.globals["lang"] = i18n.language  # {{ lang() }}: the language now spoken
    env.filters.update(typo=_typo, prose=_prose, number=fmt.number,
                       achievement=fmt.achievement)
    env.tests["cell"] = lambda value: isinstance(value, Cell)
    env.globals["include_css"] = _include_css
    return env


def environment() -> jinja2.Environment:
    """The Jinja2 environment of the templates folder (``paths.TEMPLATES_DIR``), made once.

    Filters: ``typo`` and ``prose`` (French typography), ``number`` and ``achievement``
    (:mod:`maroc_eval.base.fmt`); test ``cell`` (a :class:`Cell`); globals ``include_css``, ``lang``
    and the gettext callables ``_``, ``gettext``, ``ngettext`` (:mod:`maroc_eval.base.i18n`).
    """
    return _environment(Path(paths.TEMPLATES_DIR))


def render(template_name: str, macro: str | None = None, /, **data) -> Html:
    """Render a template of ``templates/``, or one of its macros, with data.

    Parameters
    ----------
    template_name : str
        Name under ``templates/``, e.g. ``"fragments/blocks.html.j2"``.
    macro : str, optional
        A macro of that template, called with ``data`` as keyword arguments; without it the
        whole template is rendered with ``data`` as its variables.
    **data
        Plain data: every text in it is escaped on output.

    Returns
    -------
    Html
        The rendered markup.

    Raises
    ------
    LookupError
        The template has no macro of that name.
    """
    template = environment().get_template(template_name)
    if macro is None:
        return Html(template.render(**data))
    function = getattr(template.module, macro, None)
    if not isinstance(function, jinja2.runtime.Macro):
        raise LookupError(f"No macro named {macro!r} in {template_name}")
    return Html(str(function(**data)))

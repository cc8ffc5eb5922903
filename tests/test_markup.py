"""The templates' environment: made once, escaping every value, trusting only template markup."""

from __future__ import annotations

import os
import shutil
import time

import jinja2
import pytest

from maroc_eval.base import markup, paths
from maroc_eval.base.fmt import NBSP, NNBSP


@pytest.fixture
def templates(tmp_path, monkeypatch):
    """A scratch templates folder, with a copy of the project's, made the current one."""
    folder = tmp_path / "templates"
    shutil.copytree(paths.TEMPLATES_DIR, folder)
    monkeypatch.setattr(paths, "TEMPLATES_DIR", folder)
    return folder


def write(folder, name: str, text: str) -> str:
    (folder / name).parent.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, "utf-8")
    return name


def test_environment_is_made_once_per_templates_folder(templates, monkeypatch):
    env = markup.environment()
    assert markup.environment() is env
    assert env.autoescape is True and env.loader.searchpath == [str(templates)]
    monkeypatch.undo()
    assert markup.environment() is not env
    assert markup.environment().loader.searchpath == [str(paths.TEMPLATES_DIR)]


def test_render_a_template_and_a_macro(templates):
    macros = write(templates, "t/macros.html.j2", "{% macro hello(who) %}<b>{{ who }}</b>"
                   "{% endmacro %}")
    name = write(templates, "t/page.html.j2",
                 '{% from "t/macros.html.j2" import hello %}<p>{{ who }}</p>{{ hello(who) }}')
    page = markup.render(name, who="<i>")
    assert isinstance(page, markup.Html) and str(page) == "<p>&lt;i&gt;</p><b>&lt;i&gt;</b>"
    assert page._repr_html_() == str(page)
    assert str(markup.render(macros, "hello", who="a & b")) == "<b>a &amp; b</b>"
    with pytest.raises(LookupError, match="No macro named 'absent'"):
        markup.render(macros, "absent")


def test_values_are_escaped_as_html_escape_does_and_none_prints_nothing(templates):
    name = write(templates, "t/attr.html.j2", '<a title="{{ v }}">{{ v }}</a>{{ n }}|{{ x }}')
    out = str(markup.render(name, v="'\"<>&", n=None, x=2.5))
    assert out == ('<a title="&#x27;&quot;&lt;&gt;&amp;">&#x27;&quot;&lt;&gt;&amp;</a>|2.5')


def test_only_template_markup_is_trusted(templates):
    """An Html (or anything with __html__) passed as data is text; a macro's markup is not."""

    class Sneaky:
        def __html__(self):
            return "<script>x</script>"

        def __str__(self):
            return "<script>y</script>"

    write(templates, "t/b.html.j2", "{% macro b(t) %}<b>{{ t }}</b>{% endmacro %}")
    name = write(templates, "t/trust.html.j2",
                 '{% from "t/b.html.j2" import b %}{{ b(v) }}|{{ h }}|{{ s }}')
    out = str(markup.render(name, v="<i>", h=markup.Html("<em>x</em>"), s=Sneaky()))
    assert out == "<b>&lt;i&gt;</b>|&lt;em&gt;x&lt;/em&gt;|&lt;script&gt;y&lt;/script&gt;"


def test_an_unknown_variable_is_an_error(templates):
    name = write(templates, "t/strict.html.j2", "{{ missing }}")
    with pytest.raises(jinja2.UndefinedError):
        markup.render(name)


def test_filters_and_include_css(templates):
    write(templates, "t/static/x.css", 'p{font-family:"A"}\n')
    name = write(templates, "t/f.html.j2",
                 "<style>{{ include_css('static/x.css') }}</style>{{ t | typo }}|"
                 "{% filter prose %}\n  Deux\n    lignes : 5 %\n{% endfilter %}|"
                 "{{ n | number(0) }}|{{ r | achievement }}")
    out = str(markup.render(name, t="a : b ; c", n=1234, r=0.5))
    assert out == (f'<style>p{{font-family:"A"}}\n</style>a{NBSP}: b{NNBSP}; c|'
                   f"Deux lignes{NBSP}: 5{NNBSP}%|1{NNBSP}234|50{NNBSP}%")


def test_cell_test_tells_cells_from_values(templates):
    name = write(templates, "t/c.html.j2",
                 "{% for v in vs %}{{ 'C' if v is cell else 'V' }}{% endfor %}")
    assert str(markup.render(name, vs=[markup.Cell("a"), "a", 1, None])) == "CVVV"


def test_a_changed_template_is_read_again(templates):
    """A kernel forked from a warm process, or a long session, sees an edited fragment."""
    name = write(templates, "t/r.html.j2", "un")
    assert str(markup.render(name)) == "un"
    write(templates, name, "deux")
    later = (templates / name).stat().st_mtime_ns + 2_000_000_000
    os.utime(templates / name, ns=(later, later))
    assert str(markup.render(name)) == "deux"


def test_rendering_a_fragment_is_cheap():
    """Notebooks call the helpers dozens of times: a small table well under a millisecond."""
    markup.render("fragments/blocks.html.j2", "table", header=["a"], rows=[[1]])
    start = time.perf_counter()
    for _ in range(200):
        markup.render("fragments/blocks.html.j2", "table", header=["a", "b"],
                      rows=[[1, markup.Cell("x", cls="k")]] * 10, caption="c")
    assert (time.perf_counter() - start) / 200 < 0.002


@pytest.mark.parametrize("name", sorted(
    p.relative_to(paths.TEMPLATES_DIR).as_posix()
    for p in (paths.TEMPLATES_DIR / paths.FRAGMENT_TEMPLATES).rglob("*.j2")))
def test_fragment_files_hold_macros_only(name):
    """Nothing outside the macros (a comment closed too early would print its tail)."""
    assert str(markup.render(name)).strip() == ""

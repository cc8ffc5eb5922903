"""Safe YAML: no object construction, duplicate keys and tabs reported with their line."""

import itertools

import pytest

from maroc_eval.base.errors import InputError
from maroc_eval.core.yamlio import load_yaml


def test_lines_of_keys(tmp_path):
    path = tmp_path / "a.yml"
    path.write_text("a: 1\nb:\n  c: [1, 2]\n  d:\n    - x\n    - y\n", encoding="utf-8")
    doc = load_yaml(path)
    assert doc.data == {"a": 1, "b": {"c": [1, 2], "d": ["x", "y"]}}
    assert doc.line_of(("b", "d")) == 4
    assert doc.line_of(("b", "d", 1)) == 6
    assert doc.line_of(("b", "d", 1, "unknown")) == 6  # deepest known prefix


def test_python_tags_are_refused_not_executed(tmp_path):
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.yml"
    path.write_text(f'x: !!python/object/apply:os.system ["touch {marker}"]\n', encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_yaml(path)
    assert not marker.exists()
    problem = err.value.problems[0]
    assert problem.line == 1 and problem.kind == "yaml-syntax"


def test_duplicate_key_names_both_places(tmp_path):
    path = tmp_path / "dup.yml"
    path.write_text("midterm:\n  a: 1\n  a: 2\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_yaml(path)
    [problem] = err.value.problems
    assert (problem.line, problem.column, problem.kind) == (3, "midterm.a", "duplicate-key")


def test_tab_indentation_is_explained(tmp_path):
    path = tmp_path / "tab.yml"
    path.write_text("a:\n\tb: 1\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_yaml(path)
    [problem] = err.value.problems
    assert problem.line == 2 and "tabulation" in problem.expected


def test_not_utf8(tmp_path):
    path = tmp_path / "latin.yml"
    path.write_bytes("a: é\n".encode("cp1252"))
    with pytest.raises(InputError) as err:
        load_yaml(path)
    assert "UTF-8" in err.value.problems[0].expected


def _laughs(levels: int) -> str:
    """The "billion laughs": each level an alias list of nine of the level below."""
    names = [f"l{i}" for i in range(levels + 1)]
    text = f"{names[0]}: &{names[0]} [1, 2, 3, 4, 5, 6, 7, 8, 9]\n"
    for below, name in itertools.pairwise(names):
        text += f"{name}: &{name} [" + ", ".join([f"*{below}"] * 9) + "]\n"
    return text


def test_nested_aliases_are_refused_at_their_line(write_file):
    path = write_file("appreciations.yml", _laughs(9))  # 9^10 values in 400 bytes
    with pytest.raises(InputError) as exc:
        load_yaml(path)
    problem = exc.value.problems[0]
    assert problem.kind == "yaml-aliases"
    assert problem.line == 6  # the first alias that carries the count past the limit
    assert "alias" in problem.expected


def test_a_few_aliases_are_kept(write_file):
    doc = load_yaml(write_file("a.yml", "a: &v texte\nb: *v\nc: &l [1, 2]\nd: *l\n"))
    assert doc.data == {"a": "texte", "b": "texte", "c": [1, 2], "d": [1, 2]}


def test_an_alias_without_anchor_is_an_error(write_file):
    with pytest.raises(InputError) as exc:
        load_yaml(write_file("a.yml", "a: 1\nb: *nulle\n"))
    assert "ancre" in exc.value.messages()[0] and exc.value.problems[0].line == 2


def test_an_unclosed_quote_is_reported_where_it_opens(write_file):
    text = "".join(f"k{i}: v\n" for i in range(712)) + 'y: "abc\n' + "".join(
        f"z{i}: 3\n" for i in range(290))
    with pytest.raises(InputError) as exc:
        load_yaml(write_file("p.yml", text))
    problem = exc.value.problems[0]
    assert (problem.line, problem.column) == (713, "colonne 4")
    assert "guillemet" in problem.expected


@pytest.mark.parametrize("text", [
    "a: " + "[" * 5000 + "]" * 5000 + "\n",                        # flow nesting
    "".join(" " * i + f"k{i}:\n" for i in range(400)) + " " * 400 + "v: 1\n",  # block nesting
])
def test_deep_nesting_is_refused_without_crashing(write_file, text):
    with pytest.raises(InputError) as exc:
        load_yaml(write_file("p.yml", text))
    assert exc.value.problems[0].line == 1 or exc.value.problems[0].kind == "yaml-depth"


def test_a_file_with_too_many_values_is_refused_before_parsing(write_file):
    path = write_file("p.yml", "a: [" + ", ".join(["1"] * 200_000) + "]\n")
    with pytest.raises(InputError) as exc:
        load_yaml(path)
    assert exc.value.problems[0].kind == "too-large"


def test_merge_keys_are_refused(write_file):
    with pytest.raises(InputError) as exc:
        load_yaml(write_file("p.yml", "base: &b {x: 1}\nautre:\n  <<: *b\n  y: 2\n"))
    assert "fusion" in exc.value.messages()[0] and exc.value.problems[0].line == 3


def test_two_documents_are_refused(write_file):
    with pytest.raises(InputError) as exc:
        load_yaml(write_file("p.yml", "a: 1\n---\nb: 2\n"))
    assert "un seul document" in exc.value.messages()[0]

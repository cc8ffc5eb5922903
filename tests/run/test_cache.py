"""Cache keys: what changes a key and what does not."""

from __future__ import annotations

import json
import shutil

import nbformat
import pandas as pd

from maroc_eval.base import digest, paths
from maroc_eval.base.atomic import prune
from maroc_eval.base.digest import json_digest
from maroc_eval.core.programme import load_programme
from maroc_eval.run.keys import (
    InputDigests,
    cache_key,
    frame_digest,
    notebook_digest,
    sidecar_digest,
)

ROWS = [("a", "RI1.2", 2010, 3.0, "f1.csv", 2), ("a", "RI3.1", 2010, 10.0, "f1.csv", 3),
        ("b", "RI3.1", 2010, 12.0, "f2.csv", 2)]


def frame(rows=ROWS):
    return pd.DataFrame(rows, columns=["pair", "indicator", "year", "value", "file", "line"])


def test_frame_digest_ignores_file_line_and_row_order():
    moved = [(p, i, y, v, "autre.xlsx", 99) for p, i, y, v, _, _ in reversed(ROWS)]
    assert frame_digest(frame()) == frame_digest(frame(moved))
    changed = [*ROWS[:2], ("b", "RI3.1", 2010, 12.5, "f2.csv", 2)]
    assert frame_digest(frame()) != frame_digest(frame(changed))


def test_notebook_digest_ignores_outputs_and_counts(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x = 1")]
    nbformat.write(nb, tmp_path / "a.ipynb")
    nb.cells[0].outputs = [nbformat.v4.new_output("stream", text="1")]
    nb.cells[0].execution_count = 7
    nb.metadata["papermill"] = {"duration": 1.5}
    nbformat.write(nb, tmp_path / "b.ipynb")
    nb.cells[0].source = "x = 2"
    nbformat.write(nb, tmp_path / "c.ipynb")
    assert notebook_digest(tmp_path / "a.ipynb") == notebook_digest(tmp_path / "b.ipynb")
    assert notebook_digest(tmp_path / "a.ipynb") != notebook_digest(tmp_path / "c.ipynb")


def test_sidecar_digest_ignores_a_temporary_sidecar_path(tmp_path):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.write_text(json.dumps({"v": 1, "parameters": {"sidecar_path": "/x/.a.1.tmp.json"}}))
    b.write_text(json.dumps({"parameters": {"sidecar_path": "/x/.a.2.tmp.json"}, "v": 1}))
    assert sidecar_digest(a) == sidecar_digest(b)
    assert sidecar_digest(tmp_path / "missing.json") == "missing"


def test_cache_key_changes_with_each_part():
    parts = dict(notebook="n", parameters="p", package="s", programme="g", inputs="i")
    base = cache_key(**parts)
    assert cache_key(**parts) == base
    for name in parts:
        assert cache_key(**{**parts, name: "autre"}) != base


def test_notebook_code_digest_covers_the_fragments_notebooks_render(tmp_path, monkeypatch):
    """Editing a fragment reruns the notebooks; editing the report template does not."""
    templates = tmp_path / "templates"
    shutil.copytree(paths.TEMPLATES_DIR, templates)
    monkeypatch.setattr(paths, "TEMPLATES_DIR", templates)
    base, code_only = digest.package_digest(), digest.package_digest(digest.NOTEBOOK_CODE, ())
    data_key = digest.dataset_key(paths.PROGRAMME_FILE, paths.SAMPLE_DIR)

    def edited(path) -> str:
        old = path.read_text("utf-8") if path.exists() else ""
        path.write_text(old + "\n{# édité #}\n", "utf-8")
        digest._package_digest.cache_clear()
        return digest.package_digest()

    report_css = templates / paths.REPORT_TEMPLATE / "static" / "rapport.css"
    assert edited(report_css) == base
    after_edit = edited(templates / paths.FRAGMENT_TEMPLATES / "blocks.html.j2")
    assert after_edit != base
    assert edited(templates / paths.FRAGMENT_TEMPLATES / "nouveau.html.j2") != after_edit
    # The validated-inputs cache holds data, not markup: its key ignores the templates.
    assert digest.package_digest(digest.NOTEBOOK_CODE, ()) == code_only
    assert digest.dataset_key(paths.PROGRAMME_FILE, paths.SAMPLE_DIR) == data_key


def digests(rows, grades=None, recommendations=None) -> InputDigests:
    """The digests of a toy dataset: ``grades`` ``{(pair, ri): text}`` graded by the team,
    ``recommendations`` ``{(pair, ri): text}`` tied to an RI."""
    import datetime as dt

    from maroc_eval.core.appraisal import Appraisal, Grade, Recommendation
    from maroc_eval.core.appraisal_store import Appraisals
    from maroc_eval.core.dataset import Dataset

    programme = load_programme()
    items = {}
    for (pair, ri), text in (grades or {}).items():
        item = items.setdefault(pair, Appraisal(who=pair, phase="midterm"))
        item.results[ri] = Grade(score="B", text=text)
    for (pair, ri), text in (recommendations or {}).items():
        item = items.setdefault(pair, Appraisal(who=pair, phase="midterm"))
        item.recommendations.append(Recommendation(
            id=f"R{len(item.recommendations) + 1}", text=text, addressee="programme",
            priority="haute", deadline=dt.date(2011, 12, 31), results=[ri]))
    found = Appraisals({("midterm", pair): item for pair, item in items.items()})
    return InputDigests(Dataset(programme, frame(rows), found))


def test_ri_digest_reads_all_pairs_rows_of_its_ri_and_its_own_judgement():
    pairs = load_programme().pair_codes[:2]
    rows = [(pairs[0], "RI3.1", 2010, 10.0, "f", 2), (pairs[1], "RI3.1", 2010, 12.0, "f", 3),
            (pairs[0], "RI1.2", 2010, 3.0, "f", 4)]
    base = digests(rows)
    other_pair_value = digests([*rows[:1], (pairs[1], "RI3.1", 2010, 13.0, "f", 3), rows[2]])
    other_ri_value = digests([*rows[:2], (pairs[0], "RI1.2", 2010, 4.0, "f", 4)])
    judged = digests(rows, {(pairs[1], "RI3"): "revu"})
    digest = base.ri("midterm", pairs[0], "RI3")
    assert other_pair_value.ri("midterm", pairs[0], "RI3") != digest  # comparison with pairs
    assert other_ri_value.ri("midterm", pairs[0], "RI3") == digest  # RI1 rows are not read
    assert judged.ri("midterm", pairs[0], "RI3") == digest  # another pair's judgement
    assert judged.ri("midterm", pairs[1], "RI3") != base.ri("midterm", pairs[1], "RI3")


def test_ri_digest_reads_the_numbered_recommendations_on_its_ri():
    """The RI chapter lists the pair's numbered recommendations tied to its RI: a change there
    reruns it, a recommendation on another RI does not."""
    pair = load_programme().pair_codes[0]
    rows = [(pair, "RI3.1", 2010, 10.0, "f", 2)]
    base = digests(rows)
    on_ri3 = digests(rows, recommendations={(pair, "RI3"): "Former"})
    on_ri1 = digests(rows, recommendations={(pair, "RI1"): "Équiper"})
    assert on_ri3.ri("midterm", pair, "RI3") != base.ri("midterm", pair, "RI3")
    assert on_ri1.ri("midterm", pair, "RI3") == base.ri("midterm", pair, "RI3")


def test_json_digest_is_independent_of_key_order():
    assert json_digest({"a": 1, "b": [1, 2]}) == json_digest({"b": [1, 2], "a": 1})


def test_prune_keeps_the_most_recently_modified_entries_of_the_pattern(tmp_path):
    import os

    for i in range(6):
        entry = tmp_path / f"e{i}.pickle"
        entry.write_bytes(b"x")
        os.utime(entry, ns=(10**18 + i * 10**9, 10**18 + i * 10**9))  # e5 is the newest
    (tmp_path / "derniere-execution.txt").write_text("clé")
    prune(tmp_path, "*.pickle", 2)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["derniere-execution.txt", "e4.pickle",
                                                          "e5.pickle"]
    prune(tmp_path / "absent", "*.pickle", 2)  # no folder: nothing to do


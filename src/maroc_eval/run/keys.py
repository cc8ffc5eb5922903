"""Cache keys: when a notebook's result is still up to date.

A notebook is executed again only when its key changes. The key is the sha256 of:

- the notebook's source, without outputs, execution counts nor metadata noise (cell types,
  sources and tags only);
- what it is given and what it resolves (:mod:`maroc_eval.run.plan`): the injected parameters
  (not where its outputs go: a moved outputs folder stays valid; the ``unavailable`` list of a
  synthesis does count), its settings, and the thresholds of every pair of its phase;
- the code notebooks run and the fragments they render
  (:func:`maroc_eval.base.digest.package_digest`);
- the programme file's content;
- a digest of **what the notebook reads**, computed from the validated data, not whole files,
  and only what its phase can see (rows up to its reference year):

  * an RI notebook reads the observation rows of its RI's indicators for *all* pairs (it shows
    the other pairs for comparison), its own pair's grade on that RI and the recommendations
    tied to it;
  * a pair synthesis reads its pair's RI sidecars (content), its pair's rows (the comparison
    with the previous phase), its pair's appraisals up to its phase, its pair's budget rows and
    its costs compared with the other pairs' (the ratios to the medians of the pairs: another
    pair's figures count only through them);
  * the programme synthesis reads every RI and pair-synthesis sidecar of the phase, every
    appraisal of the phase, every row and every budget row up to the phase's year.

An appraisal is read without the name of its file (a moved data folder keeps its keys).

Consequences: a rerun with nothing changed executes nothing. Changing one pair's grade on RI3
reruns that pair's RI3 notebook, its pair synthesis and the programme synthesis. Changing one
pair's RI3 value reruns the RI3 notebooks of every pair for the phases that see that year (they
compare pairs), that pair's synthesis, the syntheses of the pairs whose cost ratios it moves and
the programme synthesis; a 2012 value reruns nothing of the mid-term. Changing a pair's threshold
reruns its phase's notebooks (every RI notebook judges that pair in its comparison).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..base.digest import json_digest, sha256

EXCLUDED_COLUMNS = ("file", "line")


def notebook_digest(path: Path) -> str:
    """sha256 of a notebook's cell types, sources and tags (outputs and counts ignored).

    A v4 notebook is read as plain JSON (importing nbformat costs about a second, a good part
    of a rerun with nothing to do); older formats go through ``nbformat``'s conversion.
    """
    raw = json.loads(Path(path).read_text("utf-8"))
    if raw.get("nbformat") == 4:
        cells = [(c["cell_type"], _joined(c.get("source", "")),
                  sorted(c.get("metadata", {}).get("tags", []))) for c in raw.get("cells", [])]
    else:
        import nbformat

        nb = nbformat.read(str(path), as_version=4)
        cells = [(c.cell_type, c.source, sorted(c.get("metadata", {}).get("tags", [])))
                 for c in nb.cells]
    return json_digest(cells)


def _joined(source: str | list[str]) -> str:
    return "".join(source) if isinstance(source, list) else source


def frame_digest(frame) -> str:
    """sha256 of a canonical CSV of observation rows (the ``file``/``line`` columns excluded).

    Rows are sorted so the digest does not depend on the order of the input files.
    """
    kept = frame.drop(columns=[c for c in EXCLUDED_COLUMNS if c in frame.columns])
    kept = kept.reindex(sorted(kept.columns), axis=1)
    if len(kept):
        kept = kept.sort_values(list(kept.columns), kind="mergesort")
    return sha256(kept.to_csv(index=False, lineterminator="\n", float_format="%.12g"))


def sidecar_digest(path: Path) -> str:
    """sha256 of a sidecar's content (``missing`` if absent).

    A temporary ``parameters.sidecar_path`` a notebook might copy into it is ignored; a file that
    is not JSON is hashed as bytes.
    """
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        return "missing"
    try:
        data = json.loads(raw)
    except ValueError:
        return sha256(raw)
    if isinstance(data, dict) and isinstance(data.get("parameters"), dict):
        data["parameters"].pop("sidecar_path", None)
    return json_digest(data)


def cache_key(*, notebook: str, parameters: str, package: str, programme: str,
              inputs: str) -> str:
    """Combine the digests of a job into its cache key.

    Parameters
    ----------
    notebook, parameters, package, programme, inputs : str
        The digests described in this module's docstring.

    Returns
    -------
    str
        Hex sha256.
    """
    return json_digest({"notebook": notebook, "parameters": parameters, "package": package,
                        "programme": programme, "inputs": inputs})


class InputDigests:
    """Digests of what each kind of notebook reads, from the validated data of one run.

    Parameters
    ----------
    dataset : Dataset
        The validated inputs (:class:`maroc_eval.core.dataset.Dataset`: programme, monitoring
        table, appraisals, budget, matrix).
    """

    def __init__(self, dataset):
        self.dataset = dataset
        self.observations = dataset.observations
        self.appraisals = dataset.appraisals
        self.programme = dataset.programme
        self.budget = dataset.budget
        self._rows: dict[tuple, str] = {}
        self._costs: dict[str, dict] = {}

    def _budget_rows(self, phase: str, pair: str | None = None) -> str:
        """The budget rows a phase can see (up to its reference year), of a pair or all."""
        if self.budget is None:
            return "missing"
        frame = self.budget[self.budget["year"] <= self.programme.phases[phase].year]
        if pair is not None:
            frame = frame[frame["pair"] == pair]
        return frame_digest(frame)

    def _phase_rows(self, phase: str, ri: str | None = None, pair: str | None = None) -> str:
        """The rows a phase can see (up to its reference year), of an RI and/or a pair."""
        key = (phase, ri, pair)
        if key not in self._rows:
            frame = self.observations
            frame = frame[frame["year"] <= self.programme.phases[phase].year]
            if ri is not None:
                codes = [i.code for i in self.programme.indicators_of(ri)]
                frame = frame[frame["indicator"].isin(codes)]
            if pair is not None:
                frame = frame[frame["pair"] == pair]
            self._rows[key] = frame_digest(frame)
        return self._rows[key]

    def _seen(self, phase: str) -> list[str]:
        """The phases whose appraisals a phase's reader sees: itself and the earlier ones."""
        year = self.programme.phases[phase].year
        return [ph.code for ph in self.programme.phases_by_year if ph.year <= year]

    def _appraisals(self, phase: str, who: str) -> Any:
        """A pair's (or the programme's) appraisals up to a phase, without their file names."""
        return {seen: self.appraisals.evaluation(seen, who).model_dump(mode="json",
                                                                       exclude={"file"})
                for seen in self._seen(phase)}

    def _cost_ratios(self, phase: str, pair: str) -> Any:
        """A pair's costs against the medians of the pairs (what its synthesis reads of the
        others), computed once per phase."""
        if phase not in self._costs:
            from ..core.evidence import cost_comparisons

            self._costs[phase] = {
                p: [(r.label, r.cost, r.median, r.n) for r in ratios]
                for p, (_e, ratios) in cost_comparisons(self.dataset, phase).items()}
        return self._costs[phase].get(pair)

    def ri(self, phase: str, pair: str, ri: str) -> str:
        """What an RI notebook reads: its RI's rows up to the phase's year (all pairs, for the
        comparison), its pair's grade on the RI and the recommendations tied to it."""
        item = self.appraisals.evaluation(phase, pair)
        grade = item.results.get(ri)
        return json_digest({"rows": self._phase_rows(phase, ri=ri),
                            "grade": grade.model_dump(mode="json") if grade else None,
                            "recommendations": [r.model_dump(mode="json")
                                                for r in item.recommendations_for(ri)],
                            "english": item.english})

    def pair_synthesis(self, phase: str, pair: str, sidecars: list[Path]) -> str:
        """What a pair synthesis reads: its pair's RI sidecars, rows, appraisals and budget up
        to the phase, and its costs against the other pairs'."""
        return json_digest({"sidecars": {str(p.name): sidecar_digest(p) for p in sidecars},
                            "rows": self._phase_rows(phase, pair=pair),
                            "appraisals": self._appraisals(phase, pair),
                            "budget": self._budget_rows(phase, pair),
                            "costs": self._cost_ratios(phase, pair)})

    def programme_synthesis(self, phase: str, sidecars: list[Path]) -> str:
        """What the programme synthesis reads: every sidecar, appraisal, row and budget row of
        the phase."""
        return json_digest({
            "sidecars": {f"{p.parent.name}/{p.name}": sidecar_digest(p) for p in sidecars},
            "appraisals": {who: self._appraisals(phase, who)
                           for who in [*self.programme.pair_codes, "programme"]},
            "rows": self._phase_rows(phase),
            "budget": self._budget_rows(phase),
        })

"""Cache keys: when a notebook's result is still up to date.

A notebook is executed again only when its key changes. The key is the sha256 of:

- the notebook's source, without outputs, execution counts nor metadata noise (cell types,
  sources and tags only);
- what it is given and what it resolves (:mod:`maroc_eval.run.plan`): the injected parameters
  (not where its outputs go: a moved outputs folder stays valid; the ``unavailable`` list of a
  synthesis does count), its settings, and the thresholds of every pair of its phase;
- the code notebooks run and the fragments they render (:func:`maroc_eval.digest.package_digest`);
- the programme file's content;
- a digest of **what the notebook reads**, computed from the validated data, not whole files,
  and only what its phase can see (rows up to its reference year):

  * an RI notebook reads the observation rows of its RI's indicators for *all* pairs (it shows
    the other pairs for comparison) and its own pair's judgement on that RI;
  * a pair synthesis reads its pair's RI sidecars (content), its pair's rows (the comparison
    with the previous phase) and its pair's judgements up to its phase;
  * the programme synthesis reads every RI and pair-synthesis sidecar of the phase and every
    judgement of the phase;
  * both syntheses read the budget rows up to the phase's year, of every pair (a pair's cost
    evidence is ranked among the others'), when the data folder has a budget file.

Consequences: a rerun with nothing changed executes nothing. Changing one pair's judgement on RI3
reruns that pair's RI3 notebook, its pair synthesis and the programme synthesis. Changing one
pair's RI3 value reruns the RI3 notebooks of every pair for the phases that see that year (they
compare pairs), that pair's synthesis and the programme synthesis; a 2012 value reruns nothing of
the mid-term. Changing a pair's threshold reruns its phase's notebooks (every RI notebook judges
that pair in its comparison).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..digest import json_digest, sha256

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
    observations : pandas.DataFrame
        The validated monitoring table (columns of ``observations.load_observations``).
    judgements : object or None
        ``Judgements`` with ``ri(phase, pair, ri)`` and ``criteria(phase, pair)``.
    programme : Programme
        The programme definition (indicators of each RI, pairs, results).
    budget : pandas.DataFrame or None
        The budget table (:mod:`maroc_eval.core.budget`): the syntheses show cost evidence.
    """

    def __init__(self, observations, judgements, programme, budget=None):
        self.observations = observations
        self.judgements = judgements
        self.programme = programme
        self.budget = budget
        self._rows: dict[tuple, str] = {}

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
        """The phases whose judgements a phase's reader sees: itself and the earlier ones."""
        year = self.programme.phases[phase].year
        return [ph.code for ph in self.programme.phases_by_year if ph.year <= year]

    def _ri_judgement(self, phase: str, pair: str, ri: str) -> Any:
        return None if self.judgements is None else self.judgements.ri(phase, pair, ri)

    def _pair_judgements(self, phase: str, pair: str) -> Any:
        if self.judgements is None:
            return None
        return {seen: {"ri": {r.code: self._ri_judgement(seen, pair, r.code)
                              for r in self.programme.results},
                       "criteria": self.judgements.criteria(seen, pair),
                       "evaluation": self.judgements.evaluation(seen, pair)}
                for seen in self._seen(phase)}

    def ri(self, phase: str, pair: str, ri: str) -> str:
        """What an RI notebook reads: its RI's rows up to the phase's year (all pairs, for the
        comparison) and its pair's judgement at the phase."""
        linked = (None if self.judgements is None else
                  self.judgements.evaluation(phase, pair).recommendations_for(ri))
        return json_digest({"rows": self._phase_rows(phase, ri=ri),
                            "judgement": self._ri_judgement(phase, pair, ri),
                            "recommendations": linked})

    def pair_synthesis(self, phase: str, pair: str, sidecars: list[Path]) -> str:
        """What a pair synthesis reads: its pair's RI sidecars, its pair's rows up to the phase's
        year (the comparison with the previous phase) and its judgements up to the phase."""
        return json_digest({"sidecars": {str(p.name): sidecar_digest(p) for p in sidecars},
                            "rows": self._phase_rows(phase, pair=pair),
                            "judgements": self._pair_judgements(phase, pair),
                            "budget": self._budget_rows(phase)})

    def programme_synthesis(self, phase: str, sidecars: list[Path]) -> str:
        """What the programme synthesis reads: every sidecar and judgement of the phase."""
        return json_digest({
            "sidecars": {f"{p.parent.name}/{p.name}": sidecar_digest(p) for p in sidecars},
            "judgements": {pair: self._pair_judgements(phase, pair)
                           for pair in [*self.programme.pair_codes, "programme"]},
            "budget": self._budget_rows(phase),
        })

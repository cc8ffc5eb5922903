"""Generate a synthetic programme of N pairs (same indicators) for the scale benchmark.

Each of the six sample pairs is cloned ``N / 6`` times (codes ``<pair>-k2``, ``<pair>-k3``…):
programme entries and pair-specific targets are copied, monitoring rows are copied with values
nudged by a deterministic factor, judgements are copied. The result is a project folder whose
``params/programme.yml`` and ``data/sample`` hold the N pairs; everything else is the source
project's.

Usage: ``python bench/make_programme.py DESTINATION [--pairs 60]``.
"""

from __future__ import annotations

import argparse
import copy
import csv
import io
import random
from pathlib import Path

import yaml

from maroc_eval.base import paths


def _clone_code(code: str, k: int) -> str:
    return code if k == 1 else f"{code}-k{k}"


def make_programme(source_root: Path, dest_root: Path, n_pairs: int = 60) -> list[str]:
    """Write ``dest_root/params/programme.yml`` and ``dest_root/data/sample`` with ``n_pairs``
    pairs.

    Parameters
    ----------
    source_root : Path
        Project whose programme and sample are cloned.
    dest_root : Path
        Project copy to overwrite (its ``params`` and ``data/sample`` folders).
    n_pairs : int
        Number of pairs wanted (a multiple of the source's pair count is exact).

    Returns
    -------
    list of str
        The pair codes written.
    """
    source_root, dest_root = Path(source_root), Path(dest_root)
    rel_programme = paths.PROGRAMME_FILE.relative_to(paths.PROJ_ROOT)
    rel_sample = paths.SAMPLE_DIR.relative_to(paths.PROJ_ROOT)
    spec = yaml.safe_load((source_root / rel_programme).read_text("utf-8"))
    base_pairs = spec["partenariats"]
    copies = -(-n_pairs // len(base_pairs))
    clones = [(k, pair) for k in range(1, copies + 1) for pair in base_pairs][:n_pairs]
    new_pairs = []
    for k, pair in clones:
        entry = copy.deepcopy(pair)
        entry["code"] = _clone_code(pair["code"], k)
        if k > 1:
            entry["commune_belge"] = f"{pair['commune_belge']} {k}"
            entry["commune_marocaine"] = f"{pair['commune_marocaine']} {k}"
        new_pairs.append(entry)
    spec["partenariats"] = new_pairs
    targets = spec.get("cibles_specifiques") or {}
    spec["cibles_specifiques"] = {
        _clone_code(code, k): copy.deepcopy(targets[code])
        for k, pair in clones for code in [pair["code"]] if code in targets}
    out_programme = dest_root / rel_programme
    out_programme.parent.mkdir(parents=True, exist_ok=True)
    out_programme.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), "utf-8")

    sample, out_sample = source_root / rel_sample, dest_root / rel_sample
    out_sample.mkdir(parents=True, exist_ok=True)
    _clone_rows(sample / paths.SAMPLE_OBSERVATIONS.name,
                out_sample / paths.SAMPLE_OBSERVATIONS.name, clones)
    for found in sorted(paths.appraisals_dir(sample).glob("*/*.yml")):
        text = found.read_text("utf-8")
        for k, pair in clones:
            if pair["code"] != found.stem and found.stem != "programme":
                continue
            code = found.stem if found.stem == "programme" else _clone_code(pair["code"], k)
            target = paths.appraisals_dir(out_sample) / found.parent.name / f"{code}.yml"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text.replace(f"partenariat: {found.stem}\n",
                                           f"partenariat: {code}\n"), "utf-8")
    return [p["code"] for p in new_pairs]


def _clone_rows(source: Path, target: Path, clones) -> None:
    lines = source.read_text("utf-8").splitlines(keepends=True)
    comments = [line for line in lines if line.startswith("#")]
    rows = list(csv.DictReader(line for line in lines if not line.startswith("#")))
    rng = random.Random(60)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    by_pair: dict[str, list[dict]] = {}
    for row in rows:
        by_pair.setdefault(row["partenariat"], []).append(row)
    for k, pair in clones:
        factor = 1.0 if k == 1 else rng.uniform(0.85, 1.0)
        for row in by_pair.get(pair["code"], []):
            new = dict(row, partenariat=_clone_code(pair["code"], k))
            new["valeur"] = _nudge(row["valeur"], factor)
            writer.writerow(new)
    target.write_text("".join(comments) + out.getvalue(), "utf-8")


def _nudge(value: str, factor: float) -> str:
    """Scale a count or percentage, keeping yes/no (0/1) values and blanks as they are."""
    try:
        number = float(value)
    except ValueError:
        return value
    if number in (0.0, 1.0) or factor == 1.0:
        return value
    scaled = number * factor
    return str(round(scaled)) if number.is_integer() else f"{scaled:.2f}"


def main(argv: list[str] | None = None) -> int:
    """Command line."""
    parser = argparse.ArgumentParser(description="Programme synthétique de N partenariats.")
    parser.add_argument("destination", type=Path)
    parser.add_argument("--pairs", type=int, default=60)
    args = parser.parse_args(argv)
    codes = make_programme(paths.PROJ_ROOT, args.destination, args.pairs)
    print(f"{len(codes)} partenariats écrits dans {args.destination}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

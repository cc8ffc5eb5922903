"""Generate the fictitious sample data of maroc-eval (``data/sample/``).

Deterministic: one ``random.Random(2007)``, pairs and indicators taken in programme order, so a
rerun rewrites byte-identical files. Each pair carries a story (ahead, on track, stalling, gaps,
slow start, mixed) that the notebooks and reports should make visible.

Usage: ``python scripts/make_sample.py [--sortie DOSSIER]``.
"""

from __future__ import annotations

import argparse
import csv
import io
import math
import random
import sys
from pathlib import Path

import pandas as pd

from maroc_eval.base import paths
from maroc_eval.core import targets
from maroc_eval.core.programme import Programme, load_programme

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the sibling generators below
import make_budget_sample

SEED = 2007
HEADER_CSV = ("# DONNÉES FICTIVES — échantillon généré par scripts/make_sample.py pour démontrer "
              "maroc-eval ; ne décrit aucune commune réelle.")
COLUMNS = ["partenariat", "indicateur", "annee", "valeur", "ventilation", "source", "commentaire"]

# Achievement ratio aimed at each year, relative to the straight target path (1.0 = on the path).
PROFILES = {
    "schaerbeek-al-hoceima": {2008: 1.25, 2009: 1.2, 2010: 1.15, 2011: 1.1, 2012: 1.05},
    "jette-sidi-bibi": {2008: 0.85, 2009: 0.85, 2010: 0.85, 2011: 0.88, 2012: 0.9},
    "forest-jerada": {2008: 1.3, 2009: 1.15, 2010: 0.9, 2011: 0.9, 2012: 0.9},
    "liege-tanger": {2008: 0.7, 2009: 0.75, 2010: 0.78, 2011: 0.8, 2012: 0.85},
    "auderghem-amerzgane": {2008: 0.15, 2009: 0.3, 2010: 0.5, 2011: 0.8, 2012: 0.96},
    "bruxelles-tetouan": {2008: 0.8, 2009: 0.8, 2010: 0.8, 2011: 0.82, 2012: 0.85},
}
RI_FACTORS = {
    ("schaerbeek-al-hoceima", "RI5"): 0.8,
    ("bruxelles-tetouan", "RI4"): 1.4,
    ("bruxelles-tetouan", "RI7"): 1.4,
    ("bruxelles-tetouan", "RI2"): 0.35,
}
STALLING = "forest-jerada"  # flat from 2010 on; RI4.4 worsens
# Year a yes-no indicator turns to « oui ».
ADOPTION = {
    "RI2.1": {"schaerbeek-al-hoceima": 2008, "jette-sidi-bibi": 2009, "forest-jerada": 2009,
              "liege-tanger": 2010, "auderghem-amerzgane": 2011, "bruxelles-tetouan": 2012},
    "RI3.4": {"schaerbeek-al-hoceima": 2009, "jette-sidi-bibi": 2010, "forest-jerada": 2009,
              "liege-tanger": 2011, "auderghem-amerzgane": 2011, "bruxelles-tetouan": 2010},
}
# liege-tanger: rows deliberately absent.
GAPS = {("RI1.3", 2009), ("RI2.5", 2009), ("RI5.3", 2009), ("RI2.3", 2010), ("RI3.3", 2011),
        ("RI4.2", 2011), ("RI7.4", 2011), ("RI5.5", 2009), ("RI5.5", 2011)}
GAP_PAIR = "liege-tanger"
# Baselines: explicit ranges; otherwise a share of the mid-term target.
BASELINE_RANGES = {"RI3.3": (35, 50), "RI4.4": (30, 45), "RI5.1": (1.5, 3.5), "RI5.3": (45, 60)}
# Relative-target indicators: baseline per 10 000 inhabitants (big city: lower rates).
PER_10000 = {"RI4.2": (600, 1200), "RI4.3": (15, 30), "RI5.2": (80, 150)}
BIG_CITY_FACTOR = 0.3
DECIMALS = {"RI5.1": 1}
F_SHARE = {"RI3.1": (0.35, 0.6), "RI5.4": (0.2, 0.35)}
PARTNERS = (["DJS", "DAS", "ONG", "INDH"], [2, 3, 3, 2])
SOURCES = {
    "RI1.1": "PV du conseil communal", "RI2.1": "PV du conseil communal",
    "RI3.4": "PV du conseil communal", "RI5.5": "PV du conseil communal",
    "RI3.1": "Registre des formations", "RI3.2": "Registre des formations",
    "RI3.3": "Registre des formations", "RI5.4": "Registre des formations",
    "RI3.5": "Compte administratif", "RI4.3": "Compte administratif",
    "RI5.1": "Compte administratif", "RI5.2": "Compte administratif",
    "RI5.3": "Compte administratif", "RI7.4": "Compte administratif",
    "RI1.2": "Fiche de suivi du binôme", "RI1.3": "Fiche de suivi du binôme",
    "RI1.4": "Fiche de suivi du binôme", "RI7.1": "Fiche de suivi du binôme",
    "RI7.2": "Fiche de suivi du binôme", "RI7.3": "Fiche de suivi du binôme",
}
DEFAULT_SOURCE = "Rapport annuel du service social"
COMMENTS = {
    ("forest-jerada", "RI1.2", 2010): "Départ de deux agents non remplacés ; le service fonctionne "
                                      "à effectif réduit.",
    ("forest-jerada", "RI4.4", 2011): "Pièces de rechange non budgétées : plusieurs équipements "
                                      "restent à l'arrêt.",
    ("liege-tanger", "RI2.3", 2011): "Donnée 2010 non transmise par la division "
                                     "« Action sociale ».",
    ("liege-tanger", "RI7.4", 2012): "Montant 2011 en cours de vérification par la trésorerie.",
    ("bruxelles-tetouan", "RI2.1", 2012): "Plan adopté en séance de février, après deux reports.",
    ("auderghem-amerzgane", "RI3.1", 2011): "Formation groupée à Ouarzazate, reçue avec "
                                            "enthousiasme par les agentes.",
    ("schaerbeek-al-hoceima", "RI7.1", 2009): "Convention signée avec l'Entraide nationale ; "
                                              "la procédure a été plus rapide que prévu.",
    ("jette-sidi-bibi", "RI5.4", 2010): "Session de sensibilisation commune avec les élus de "
                                        "Chtouka-Aït Baha ; première participation des élues.",
}


def _round(value: float, decimals: int) -> float:
    return math.floor(value * 10**decimals + 0.5) / 10**decimals


def _baseline(rng: random.Random, programme: Programme, ind, pair) -> float:
    if ind.measure == "oui_non":
        return 0.0
    if ind.code in PER_10000:
        lo, hi = PER_10000[ind.code]
        factor = BIG_CITY_FACTOR if pair.population > 200_000 else 1.0
        return _round(pair.population / 10000 * rng.uniform(lo, hi) * factor, 0)
    if ind.code in BASELINE_RANGES:
        return _round(rng.uniform(*BASELINE_RANGES[ind.code]), DECIMALS.get(ind.code, 0))
    mid = programme.target(ind.code, pair.code, "midterm").value
    share = 0.2 if ind.accumulation == "cumulatif" else 0.4
    if pair.code == "auderghem-amerzgane":
        share /= 2
    return _round(rng.uniform(0, share) * mid, 0)


def _levels(rng: random.Random, programme: Programme, ind, pair, years) -> list[float]:
    """The indicator's level per year (the running total for a cumulative indicator)."""
    base = _baseline(rng, programme, ind, pair)
    if ind.code in ADOPTION:
        return [1.0 if y >= ADOPTION[ind.code][pair.code] else 0.0 for y in years]
    path = targets.target_path(targets.anchors(programme, ind, pair.code, base), years)
    lo, hi = ind.value_range
    decimals = DECIMALS.get(ind.code, 0)
    factor = RI_FACTORS.get((pair.code, ind.ri), 1.0)
    levels = [base]
    for year in years[1:]:
        ratio = PROFILES[pair.code][year] * factor + rng.uniform(-0.06, 0.06)
        level = base + ratio * (path.loc[year] - base)
        level = min(max(level, lo if lo is not None else level), hi if hi is not None else level)
        level = _round(level, decimals)
        if pair.code == STALLING and year > 2010:
            level = levels[-1] + (2.0 if ind.code == "RI4.4" else 0.0)
        elif pair.code == STALLING and ind.code == "RI4.4" and year == 2010:
            level = levels[-1] + 2.0
        elif ind.accumulation == "cumulatif" or ind.accumulation == "etat":
            level = max(level, levels[-1]) if ind.direction == "hausse" else min(level, levels[-1])
        levels.append(level)
    return levels


def _split(rng: random.Random, ind, amount: float) -> list[tuple[str, float]]:
    """Split a flow (or the 2007 stock) into categories."""
    if not ind.dimensions:
        return [("", amount)]
    if ind.dimensions == ("sexe",):
        women = _round(amount * rng.uniform(*F_SHARE[ind.code]), 0)
        return [("sexe=F", women), ("sexe=H", amount - women)]
    counts = dict.fromkeys(PARTNERS[0], 0.0)
    for _ in range(int(amount)):
        counts[rng.choices(PARTNERS[0], weights=PARTNERS[1])[0]] += 1
    return [(f"partenaire={k}", v) for k, v in counts.items()]


def _text(ind, value: float) -> str:
    if ind.measure == "oui_non":
        return "oui" if value >= 0.5 else "non"
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.{DECIMALS.get(ind.code, 1)}f}"


def make_rows(programme: Programme, rng: random.Random) -> list[dict]:
    """Every monitoring row of the sample, in programme order."""
    years = programme.years
    rows = []
    for pair in programme.pairs:
        for ind in programme.indicators:
            levels = _levels(rng, programme, ind, pair, years)
            for i, year in enumerate(years):
                amount = (levels[i] - levels[i - 1] if ind.accumulation == "cumulatif" and i
                          else levels[i])
                parts = _split(rng, ind, amount)
                if pair.code == GAP_PAIR and (ind.code, year) in GAPS:
                    continue
                comment = COMMENTS.get((pair.code, ind.code, year), "")
                for ventilation, value in parts:
                    rows.append({
                        "partenariat": pair.code, "indicateur": ind.code, "annee": year,
                        "valeur": value, "ventilation": ventilation,
                        "source": SOURCES.get(ind.code, DEFAULT_SOURCE) + " (fictif)",
                        "commentaire": comment, "_indicator": ind,
                    })
    return rows


def observations_frame(rows: list[dict]) -> pd.DataFrame:
    """The sample rows as the observations table of the data contract."""
    records = []
    for line, row in enumerate(rows, start=3):
        dim, _, cat = row["ventilation"].partition("=")
        records.append({"pair": row["partenariat"], "indicator": row["indicateur"],
                        "year": row["annee"], "value": float(row["valeur"]), "dimension": dim,
                        "category": cat, "source": row["source"], "comment": row["commentaire"],
                        "file": "suivi.csv", "line": line})
    return pd.DataFrame.from_records(records)


def write_csv(rows: list[dict], target: Path) -> None:
    """Write ``suivi.csv`` (UTF-8, comma separator, point decimals, one comment line first)."""
    buffer = io.StringIO()
    buffer.write(HEADER_CSV + "\n")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([row["partenariat"], row["indicateur"], row["annee"],
                         _text(row["_indicator"], row["valeur"]), row["ventilation"],
                         row["source"], row["commentaire"]])
    target.write_bytes(buffer.getvalue().encode("utf-8"))


DATA_INFO = """\
# Ce que ce dossier de données dit de lui-même (lu par maroc-eval).
# fictives : true → chaque rapport porte la mention « Données fictives ».
fictives: true
description: >-
  Échantillon de démonstration généré par scripts/make_sample.py : il ne décrit
  aucune commune réelle.
"""


def generate(out_dir: Path, programme: Programme | None = None) -> list[Path]:
    """Write ``suivi.csv``, ``budget.csv`` and ``donnees.yml`` (fictitious) into ``out_dir``.

    The evaluation team's appraisals of the sample (``appreciations/``) are not generated: a
    fictitious team wrote them by hand, from these figures.

    Parameters
    ----------
    out_dir : Path
        Target folder (created if needed).
    programme : Programme, optional
        Defaults to ``params/programme.yml``.

    Returns
    -------
    list of Path
        The files written.
    """
    programme = programme or load_programme()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rows = make_rows(programme, random.Random(SEED))
    csv_path = out_dir / paths.SAMPLE_OBSERVATIONS.name
    write_csv(rows, csv_path)
    budget_path = make_budget_sample.generate(out_dir)
    info_path = out_dir / paths.DATA_INFO_FILE
    info_path.write_text(DATA_INFO, encoding="utf-8")
    return [csv_path, budget_path, info_path]


def main(argv: list[str] | None = None) -> int:
    """Command line: regenerate the sample."""
    parser = argparse.ArgumentParser(description="Génère l'échantillon de données fictives.")
    parser.add_argument("--sortie", type=Path, default=paths.SAMPLE_DIR,
                        help="dossier de destination (défaut : data/sample)")
    args = parser.parse_args(argv)
    for path in generate(args.sortie):
        print(f"écrit : {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

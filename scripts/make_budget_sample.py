"""Generate the fictitious budget of the sample (``data/sample/budget.csv``).

Deterministic: one ``random.Random(2008)``, pairs, years and budget lines taken in programme
order, so a rerun rewrites a byte-identical file. Amounts are in euros (the Belgian cooperation
finances the programme in euros), tens of thousands per pair and year, and each pair's execution
follows its story in ``scripts/make_sample.py``: Schaerbeek ahead and executing almost all it
planned, Jette steady, Forest executing less and less after 2010 (its activities stall),
Liège slow, Auderghem slow to start then catching up (it executes the postponed amounts in
2011-2012), Bruxelles mixed (strong on infrastructures and partnerships, weak on planning).

Usage: ``python scripts/make_budget_sample.py [--sortie DOSSIER]``.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
from pathlib import Path

from maroc_eval.base import paths
from maroc_eval.core.programme import Programme, load_programme

SEED = 2008
HEADER_CSV = ("# DONNÉES FICTIVES — budget généré par scripts/make_budget_sample.py pour démontrer "
              "maroc-eval ; ne décrit aucune commune réelle. Montants en euros.")
COLUMNS = ["partenariat", "annee", "poste", "prevu", "execute", "source", "commentaire"]

# Planned budget of a pair for an average year, in euros (bigger cities, bigger programmes).
ANNUAL = {"schaerbeek-al-hoceima": 74_000, "jette-sidi-bibi": 61_000, "forest-jerada": 66_000,
          "liege-tanger": 86_000, "auderghem-amerzgane": 52_000, "bruxelles-tetouan": 91_000}
# How the planned budget of a year is shared between the lines.
SHARES = {"RI1": 0.20, "RI2": 0.12, "RI3": 0.18, "RI4": 0.15, "RI5": 0.08, "RI7": 0.12,
          "coordination": 0.15}
# The programme ramps up, peaks mid-way and closes.
RAMP = {2008: 0.8, 2009: 1.0, 2010: 1.1, 2011: 1.1, 2012: 1.0}
# Share of the planned budget executed, per pair and year (the pair's story).
EXECUTION = {
    "schaerbeek-al-hoceima": {2008: 0.93, 2009: 0.96, 2010: 0.97, 2011: 0.96, 2012: 0.98},
    "jette-sidi-bibi": {2008: 0.86, 2009: 0.88, 2010: 0.88, 2011: 0.89, 2012: 0.90},
    "forest-jerada": {2008: 0.95, 2009: 0.90, 2010: 0.72, 2011: 0.38, 2012: 0.30},
    "liege-tanger": {2008: 0.66, 2009: 0.72, 2010: 0.75, 2011: 0.78, 2012: 0.82},
    "auderghem-amerzgane": {2008: 0.40, 2009: 0.55, 2010: 0.68, 2011: 1.08, 2012: 1.12},
    "bruxelles-tetouan": {2008: 0.80, 2009: 0.82, 2010: 0.83, 2011: 0.84, 2012: 0.86},
}
# Lines executed above or below the pair's rate.
LINE_FACTORS = {
    ("bruxelles-tetouan", "RI4"): 1.25, ("bruxelles-tetouan", "RI7"): 1.2,
    ("bruxelles-tetouan", "RI2"): 0.45,
    ("schaerbeek-al-hoceima", "RI5"): 0.85,
}
# Forest: no training and no new convention after 2010 (RI3.1 and RI7.1 flat).
STALLED_LINES = {"RI3": 0.08, "RI5": 0.1, "RI7": 0.15}
STALLING = "forest-jerada"
SOURCE = "Rapport financier annuel du partenariat (fictif)"
COMMENTS = {
    ("forest-jerada", 2011, "RI3"): "Formations reportées : départ des agents formés, "
                                    "recrutements gelés.",
    ("forest-jerada", 2012, "coordination"): "Missions de suivi réduites à une visite par an.",
    ("auderghem-amerzgane", 2011, "RI1"): "Équipement du service acheté en 2011 sur les "
                                          "crédits reportés de 2008-2010.",
    ("liege-tanger", 2009, "coordination"): "Décompte provisoire, à confirmer par le receveur "
                                            "communal.",
    ("bruxelles-tetouan", 2010, "RI2"): "Atelier de planification reporté faute de "
                                        "disponibilité des élus.",
}


def _amounts(rng: random.Random, pair: str, year: int, item: str) -> tuple[int, int]:
    """(planned, executed) of one line: planned to the hundred euros, executed to the ten."""
    planned = ANNUAL[pair] * RAMP[year] * SHARES[item] * rng.uniform(0.9, 1.1)
    planned = round(planned / 100.0) * 100
    rate = EXECUTION[pair][year] * LINE_FACTORS.get((pair, item), 1.0) + rng.uniform(-0.04, 0.04)
    if pair == STALLING and year > 2010 and item in STALLED_LINES:
        rate = STALLED_LINES[item]
    executed = round(planned * max(rate, 0.0) / 10.0) * 10
    return planned, executed


def make_rows(programme: Programme, rng: random.Random) -> list[list]:
    """Every budget row of the sample, in programme order (pair, year, line)."""
    first, last = programme.period
    rows = []
    for pair in programme.pair_codes:
        for year in range(first, last + 1):
            for item in programme.budget.items:
                planned, executed = _amounts(rng, pair, year, item)
                rows.append([pair, year, item, planned, executed, SOURCE,
                             COMMENTS.get((pair, year, item), "")])
    return rows


def write_csv(rows: list[list], target: Path) -> None:
    """Write ``budget.csv`` (UTF-8, comma separator, whole euros, one comment line first)."""
    buffer = io.StringIO()
    buffer.write(HEADER_CSV + "\n")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    target.write_bytes(buffer.getvalue().encode("utf-8"))


def generate(folder: Path | str = paths.SAMPLE_DIR) -> Path:
    """Write the sample budget into ``folder`` and return its path."""
    programme = load_programme(paths.PROGRAMME_FILE)
    target = paths.budget_file(Path(folder))
    target.parent.mkdir(parents=True, exist_ok=True)
    write_csv(make_rows(programme, random.Random(SEED)), target)
    return target


def main() -> None:
    """Command line: ``python scripts/make_budget_sample.py [--sortie DOSSIER]``."""
    parser = argparse.ArgumentParser(description="Génère le budget fictif de l'échantillon.")
    parser.add_argument("--sortie", type=Path, default=paths.SAMPLE_DIR,
                        help="dossier où écrire budget.csv (défaut : data/sample)")
    args = parser.parse_args()
    print(generate(args.sortie))


if __name__ == "__main__":
    main()

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
from pathlib import Path

import pandas as pd
import yaml

from maroc_eval import paths
from maroc_eval.core import indicators, targets
from maroc_eval.core.programme import Programme, load_programme

SEED = 2007
HEADER_CSV = ("# DONNÉES FICTIVES — échantillon généré par scripts/make_sample.py pour démontrer "
              "maroc-eval ; ne décrit aucune commune réelle.")
HEADER_YAML = (
    "# DONNÉES FICTIVES — appréciations générées par scripts/make_sample.py pour démontrer\n"
    "# maroc-eval ; elles ne décrivent aucune commune réelle. "
    "Les évaluateurs remplacent ce fichier\n"
    "# par leurs propres appréciations (notes A à D, constats, recommandations, critères CAD).\n"
)
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


# --- Evaluators' language (French), by RI and note, phase, criterion -----------------------------
RI_FINDINGS = {
    "RI1": {
        "A": "Le Service d'Action sociale est en place, doté d'agents et d'équipements conformes à "
             "la grille ; il est inscrit à l'organigramme communal.",
        "B": "Le Service d'Action sociale est créé et fonctionne, mais son équipement et la "
             "formalisation des fiches de fonction restent incomplets.",
        "C": "La mise en place du Service d'Action sociale progresse lentement : effectif "
             "insuffisant et équipement partiel.",
        "D": "Le Service d'Action sociale n'existe encore que sur le papier ; aucun effectif "
             "stable ne lui est affecté.",
    },
    "RI2": {
        "A": "La commune planifie ses projets sociaux à l'aide de cadres logiques et met à jour "
             "régulièrement son tableau de bord social.",
        "B": "Les outils de planification sont adoptés ; le suivi des indicateurs reste irrégulier "
             "d'un projet à l'autre.",
        "C": "La planification de l'action sociale reste embryonnaire : peu de projets disposent "
             "d'un cadre logique et le suivi est lacunaire.",
        "D": "Aucune démarche de planification structurée n'est observée ; les projets sociaux ne "
             "sont ni suivis ni évalués.",
    },
    "RI3": {
        "A": "Les formations en ingénierie sociale ont touché l'effectif prévu et les tests "
             "confirment l'acquisition des compétences.",
        "B": "Les formations se déroulent comme prévu ; l'application des critères de qualité pour "
             "le choix des associations progresse.",
        "C": "Le volume de formation est inférieur aux prévisions et les critères de sélection des "
             "associations sont peu appliqués.",
        "D": "Les formations n'ont guère eu lieu et l'attribution des subventions aux associations "
             "reste largement discrétionnaire.",
    },
    "RI4": {
        "A": "Les infrastructures sociales disposent de plans de gestion, la fréquentation "
             "augmente et la part d'équipements hors service recule nettement.",
        "B": "La gestion des infrastructures s'améliore : budget d'entretien en hausse et moins "
             "d'équipements hors service.",
        "C": "Les plans de gestion restent rares et le budget d'entretien progresse peu ; la "
             "fréquentation des équipements stagne.",
        "D": "L'état des équipements sociaux ne s'améliore pas : l'entretien n'est pas budgété et "
             "la part d'équipements hors service reste élevée.",
    },
    "RI5": {
        "A": "Les élus se sont approprié la question sociale : le budget social augmente et son "
             "taux d'exécution est élevé.",
        "B": "La part du budget communal consacrée à l'action sociale progresse ; la "
             "sensibilisation des élus et des élues se poursuit.",
        "C": "L'engagement des élus reste inégal : le budget social progresse peu et son exécution "
             "est faible.",
        "D": "La question sociale reste marginale dans les délibérations du conseil et le budget "
             "social n'augmente pas.",
    },
    "RI7": {
        "A": "Les conventions avec la DJS, la DAS/Entraide nationale, les associations et l'INDH "
             "se multiplient et mobilisent des cofinancements.",
        "B": "La concertation avec les acteurs sociaux est régulière ; quelques actions conjointes "
             "voient le jour.",
        "C": "Les partenariats restent ponctuels et peu formalisés ; la concertation avec les "
             "acteurs sociaux est irrégulière.",
        "D": "La commune agit seule : ni convention nouvelle ni action conjointe significative.",
    },
}
# (recommendation when the RI is rated A/B, recommendation when rated C/D), per phase.
RI_RECOMMENDATIONS = {
    "RI1": {
        "midterm": ("Formaliser les fiches de fonction de tous les agents du service avant la fin "
                    "de 2011.",
                    "Affecter au service au moins deux agents à temps plein et compléter son "
                    "équipement d'ici la fin de 2011."),
        "final": ("Leçon : l'inscription du service à l'organigramme a conditionné sa pérennité ; "
                  "à reproduire dans les futurs partenariats.",
                  "Leçon : sans personnel stable affecté dès la première année, la structure ne se "
                  "consolide pas ; en faire une condition de démarrage."),
    },
    "RI2": {
        "midterm": ("Étendre le cadre logique à l'ensemble des projets sociaux et présenter le "
                    "tableau de bord au conseil deux fois par an.",
                    "Organiser un accompagnement rapproché du binôme pour élaborer le plan "
                    "d'action sociale et un premier cadre logique."),
        "final": ("Leçon : l'appropriation des outils de suivi passe par leur usage effectif en "
                  "séance du conseil.",
                  "Leçon : la planification ne s'improvise pas ; prévoir dès le départ un appui "
                  "méthodologique continu plutôt que des ateliers ponctuels."),
    },
    "RI3": {
        "midterm": ("Cibler les prochaines formations sur l'évaluation de projets et veiller à la "
                    "parité des participants.",
                    "Relancer le plan de formation et rendre obligatoire l'application des "
                    "critères de qualité pour toute subvention."),
        "final": ("Leçon : les formations suivies d'une mise en pratique accompagnée donnent les "
                  "meilleurs résultats aux tests de compétences.",
                  "Leçon : former sans suivre l'application des critères de sélection reste sans "
                  "effet sur le clientélisme."),
    },
    "RI4": {
        "midterm": ("Généraliser les plans de gestion aux équipements restants et sécuriser la "
                    "ligne budgétaire d'entretien.",
                    "Dresser l'inventaire de l'état des équipements et inscrire un budget "
                    "d'entretien minimal dès le prochain exercice."),
        "final": ("Leçon : un budget d'entretien inscrit chaque année réduit durablement la part "
                  "d'équipements hors service.",
                  "Leçon : sans budget d'entretien récurrent, les investissements se dégradent ; "
                  "en faire une condition des futurs financements."),
    },
    "RI5": {
        "midterm": ("Poursuivre la sensibilisation des élus, en particulier des élues, et suivre "
                    "le taux d'exécution du budget social.",
                    "Organiser une session de sensibilisation du conseil et débattre chaque année "
                    "du bilan social en séance."),
        "final": ("Leçon : l'implication des élus se traduit dans le budget lorsqu'un bilan social "
                  "est débattu chaque année.",
                  "Leçon : une sensibilisation ponctuelle ne suffit pas ; l'engagement budgétaire "
                  "doit être négocié dès la convention de partenariat."),
    },
    "RI7": {
        "midterm": ("Inscrire les conventions signées dans un cadre de concertation permanent "
                    "avec l'INDH.",
                    "Identifier deux partenaires prioritaires (DAS/Entraide nationale, "
                    "associations) et signer une première convention avant la fin de 2011."),
        "final": ("Leçon : les conventions avec l'INDH et la DAS démultiplient les moyens de "
                  "l'action sociale communale.",
                  "Leçon : la synergie avec les partenaires locaux doit être planifiée et "
                  "budgétée, et non laissée à l'initiative de chacun."),
    },
}
WEAK_EXTRA = {
    "midterm": "Revoir le plan d'action du binôme pour ce résultat lors du prochain comité de "
               "pilotage.",
    "final": "Leçon : un résultat aussi éloigné de sa cible appelait une réorientation dès la "
             "mi-parcours.",
}
STORY_FINDINGS = {
    ("schaerbeek-al-hoceima", "midterm", "RI1"): "Le binôme Schaerbeek – Al Hoceima devance ses "
        "cibles de mi-parcours sur la plupart des indicateurs.",
    ("schaerbeek-al-hoceima", "final", "RI7"): "L'avance prise dès 2008 s'est maintenue jusqu'au "
        "terme du programme ; le binôme fait figure de référence.",
    ("jette-sidi-bibi", "midterm", "RI5"): "Progression régulière et conforme au calendrier du "
        "binôme Jette – Sidi Bibi.",
    ("jette-sidi-bibi", "final", "RI5"): "La progression est restée régulière, sans rupture, sur "
        "l'ensemble de la période.",
    ("forest-jerada", "midterm", "RI1"): "Le démarrage rapide de 2008-2009 marque le pas en 2010 : "
        "l'effectif du service n'évolue plus.",
    ("forest-jerada", "final", "RI4"): "La part d'équipements hors service remonte depuis 2010 : "
        "le manque d'entretien annule les progrès initiaux.",
    ("auderghem-amerzgane", "midterm", "RI3"): "Démarrage lent, lié à l'éloignement et aux "
        "effectifs réduits de cette petite commune rurale.",
    ("auderghem-amerzgane", "final", "RI3"): "Le rattrapage de 2011-2012 montre l'effet de "
        "formations organisées sur place, à Ouarzazate.",
    ("bruxelles-tetouan", "midterm", "RI2"): "Contraste marqué : les infrastructures (RI4) et les "
        "partenariats (RI7) progressent, la planification (RI2) reste à la traîne.",
    ("bruxelles-tetouan", "final", "RI2"): "Le plan d'action sociale n'a été adopté qu'en 2012 ; "
        "les outils de suivi n'ont pas eu le temps d'être utilisés.",
}
CRITERIA_TEXTS = {
    "pertinence": {
        "A": "Le renforcement du service social communal répond directement aux priorités de "
             "l'INDH et aux besoins exprimés par la commune.",
        "B": "Le programme répond aux besoins de la commune, même si certains indicateurs sont peu "
             "adaptés à son contexte.",
        "C": "La pertinence est réelle, mais l'appui reste mal ajusté à la taille et aux priorités "
             "de la commune.",
        "D": "Les actions menées répondent peu aux priorités sociales exprimées par la commune.",
    },
    "coherence": {
        "A": "Les actions s'articulent bien avec l'INDH, la DAS/Entraide nationale et les autres "
             "partenaires locaux.",
        "B": "La cohérence avec les programmes nationaux est bonne ; la coordination avec les "
             "associations reste à renforcer.",
        "C": "Des doublons et un manque de coordination avec les autres intervenants sont "
             "constatés.",
        "D": "Les actions sont menées isolément, sans articulation avec les partenaires locaux.",
    },
    "efficacite": {
        "A": "La plupart des cibles sont atteintes ou dépassées.",
        "B": "Les résultats progressent conformément au cadre logique, avec quelques retards.",
        "C": "Plusieurs résultats intermédiaires sont en retard sur leurs cibles.",
        "D": "Les cibles sont loin d'être atteintes pour la majorité des résultats.",
    },
    "efficience": {
        "A": "Les moyens mobilisés sont modestes au regard des résultats obtenus.",
        "B": "Le rapport entre moyens et résultats est satisfaisant, malgré quelques missions peu "
             "productives.",
        "C": "Les échanges du binôme ont un coût élevé au regard des résultats obtenus.",
        "D": "Les moyens engagés ne se traduisent pas en résultats mesurables.",
    },
    "impact": {
        "A": "Les premiers effets sur l'accès des plus défavorisés aux services sociaux sont "
             "perceptibles.",
        "B": "Des effets positifs apparaissent, encore limités à certains quartiers ou publics.",
        "C": "Les effets sur les bénéficiaires restent difficiles à percevoir.",
        "D": "Aucun effet sur les bénéficiaires n'est observable à ce stade.",
    },
    "durabilite": {
        "A": "Le service et ses moyens sont inscrits au budget et à l'organigramme : les acquis "
             "sont pérennes.",
        "B": "Les acquis sont probablement durables, sous réserve du maintien du personnel formé.",
        "C": "La pérennité dépend encore fortement de l'appui du partenaire belge.",
        "D": "Les acquis risquent de disparaître à la fin du programme.",
    },
}
# Notes in the order pertinence, coherence, efficacite, efficience, impact, durabilite.
CRITERIA_NOTES = {
    "midterm": {
        "schaerbeek-al-hoceima": "AAABBB", "jette-sidi-bibi": "BBBBBB",
        "forest-jerada": "ABBCCC", "liege-tanger": "BCCCCC",
        "auderghem-amerzgane": "ABCCCC", "bruxelles-tetouan": "BCBBBC",
    },
    "final": {
        "schaerbeek-al-hoceima": "AAABAB", "jette-sidi-bibi": "BABBBB",
        "forest-jerada": "ACCCDD", "liege-tanger": "BCBCCC",
        "auderghem-amerzgane": "ABBBBB", "bruxelles-tetouan": "BCBBBB",
    },
}
PAIR_CRITERIA_REMARKS = {
    ("liege-tanger", "midterm", "efficacite"): "Les lacunes des données de suivi (2009, 2010) "
        "limitent toutefois l'appréciation.",
    ("liege-tanger", "final", "efficacite"): "Les données manquantes de 2011 empêchent de "
        "conclure pour plusieurs indicateurs cumulés.",
    ("liege-tanger", "midterm", "pertinence"): "Dans une ville de cette taille, l'appui doit "
        "cibler quelques arrondissements pour être visible.",
    ("forest-jerada", "final", "durabilite"): "Le départ d'agents non remplacés depuis 2010 "
        "fragilise l'ensemble des acquis.",
    ("auderghem-amerzgane", "final", "efficience"): "Le regroupement des formations à Ouarzazate "
        "a réduit les coûts de déplacement.",
    ("bruxelles-tetouan", "midterm", "coherence"): "Les équipements progressent sans plan "
        "d'action sociale qui les relie aux priorités du conseil.",
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


def _note(index: float | None) -> str:
    if index is None:
        return "D"
    if index >= 0.95:
        return "A"
    if index >= 0.75:
        return "B"
    if index >= 0.4:
        return "C"
    return "D"


def _met_phrase(met: int, total: int) -> str:
    if met == 0:
        return f"aucun des {total} indicateurs n'atteint sa cible"
    if met == total:
        return f"les {total} indicateurs atteignent leur cible"
    if met == 1:
        return f"1 indicateur sur {total} atteint sa cible"
    return f"{met} indicateurs sur {total} atteignent leur cible"


def _gap_sentence(group: pd.DataFrame) -> str | None:
    gaps = [f"{code} ({', '.join(str(y) for y in years)})"
            for code, years in zip(group["code"], group["missing_years"], strict=True) if years]
    if not gaps:
        return None
    return ("Données de suivi manquantes : " + " ; ".join(gaps) + ". L'appréciation s'appuie sur "
            "les autres indicateurs et sur les entretiens avec le service.")


def judgements(programme: Programme, obs: pd.DataFrame) -> dict:
    """The evaluators' judgements, consistent with each pair's figures and story."""
    out: dict = {}
    for phase, spec in programme.phases.items():
        out[phase] = {}
        for pair in programme.pair_codes:
            rows = indicators.indicator_rows(programme, obs, pair, phase)
            results = {}
            for ri in (r.code for r in programme.results):
                group = rows[rows["ri"] == ri]
                index, _ = indicators.ri_index(group)
                note = _note(index)
                strong = note in ("A", "B")
                met = int((group["status"] == "atteint").sum())
                pct = "—" if index is None else f"{round(index * 100)} %"
                findings = [f"Taux de réalisation moyen des indicateurs en {spec.year} : {pct} ; "
                            f"{_met_phrase(met, len(group))}.", RI_FINDINGS[ri][note]]
                extra = STORY_FINDINGS.get((pair, phase, ri)) or _gap_sentence(group)
                if extra:
                    findings.append(extra)
                recos = [RI_RECOMMENDATIONS[ri][phase][0 if strong else 1]]
                if note == "D":
                    recos.append(WEAK_EXTRA[phase])
                results[ri] = {"note": note, "constats": findings, "recommandations": recos}
            criteria = {}
            for crit, note in zip(CRITERIA_TEXTS, CRITERIA_NOTES[phase][pair], strict=True):
                text = CRITERIA_TEXTS[crit][note]
                remark = PAIR_CRITERIA_REMARKS.get((pair, phase, crit))
                criteria[crit] = {"note": note,
                                  "justification": f"{text} {remark}" if remark else text}
            out[phase][pair] = {"resultats": results, "criteres_cad": criteria}
    return out


def write_yaml(data: dict, target: Path) -> None:
    """Write ``appreciations.yml``: the header comment, then a real YAML emitter's output."""
    body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    target.write_bytes((HEADER_YAML + body).encode("utf-8"))


DATA_INFO = """\
# Ce que ce dossier de données dit de lui-même (lu par maroc-eval).
# fictives : true → chaque rapport porte la mention « Données fictives ».
fictives: true
description: >-
  Échantillon de démonstration généré par scripts/make_sample.py : il ne décrit
  aucune commune réelle.
"""


def generate(out_dir: Path, programme: Programme | None = None) -> list[Path]:
    """Write ``suivi.csv``, ``appreciations.yml`` and ``donnees.yml`` (fictitious) into
    ``out_dir``.

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
    csv_path, yaml_path = (out_dir / paths.SAMPLE_OBSERVATIONS.name,
                           out_dir / paths.SAMPLE_JUDGEMENTS.name)
    write_csv(rows, csv_path)
    write_yaml(judgements(programme, observations_frame(rows)), yaml_path)
    info_path = out_dir / paths.DATA_INFO_FILE
    info_path.write_text(DATA_INFO, encoding="utf-8")
    return [csv_path, yaml_path, info_path]


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

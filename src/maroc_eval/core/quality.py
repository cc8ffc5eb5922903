"""Checks across rows of the observations table: duplicates and data-quality warnings.

Row by row, a value can be valid and the table still be wrong (two values for the same year) or
weak (no baseline, missing years, a percentage that looks like a share). Duplicates that
disagree are errors; the rest are warnings, never silent corrections.
"""

from __future__ import annotations

import pandas as pd

from ..base.errors import WARNING, ProblemList
from ..base.fmt import plain as fr
from ..base.i18n import _, ngettext
from .programme import Programme

KEY = ["pair", "indicator", "year", "dimension", "category"]
MAX_REPORTED = 100
"""Duplicates reported one by one before a single line counts the rest."""


def _label(row) -> str:
    cat = f" ({row['dimension']}={row['category']})" if row["dimension"] else ""
    return f"{row['pair']} × {row['indicator']} × {row['year']}{cat}"


def duplicates(df: pd.DataFrame, problems: ProblemList) -> pd.DataFrame:
    """Report rows that repeat a key; keep the first of each key.

    Identical repeats are warnings (the copy is ignored); repeats with another value are errors
    naming both lines. Past :data:`MAX_REPORTED` of each, one line counts the rest.
    """
    repeated = df.duplicated(KEY, keep="first")
    if not repeated.any():
        return df
    firsts = df[~repeated][[*KEY, "value", "file", "line"]]
    pairs = df[repeated].merge(firsts, on=KEY, suffixes=("", "_first"), sort=False)
    pairs = pairs.sort_values(["file", "line"], kind="stable")
    same = pairs["value"] == pairs["value_first"]
    for agree, group in ((False, pairs[~same]), (True, pairs[same])):
        for row in group.head(MAX_REPORTED).itertuples(index=False):
            first = _("{file_first} ligne {line_first}").format(
                        file_first=row.file_first, line_first=row.line_first)
            problems.add(
                row.file, int(row.line), "valeur", fr(row.value),
                _("une seule ligne pour {label} : {first} donne déjà {value_first}").format(
                    label=_label(row._asdict()), first=first,
                    value_first=fr(row.value_first))
                + (_(" (doublon identique, ignoré)") if agree else
                   _(" (valeurs contradictoires : gardez la bonne ligne et supprimez l'autre)")),
                kind="duplicate", severity=WARNING if agree else "erreur",
            )
        if len(group) > MAX_REPORTED:
            row = group.iloc[MAX_REPORTED]
            problems.add(row["file"], None, "valeur", None,
                         (_("… et {n} autres doublons identiques") if agree else
                          _("… et {n} autres doublons contradictoires")).format(
                             n=len(group) - MAX_REPORTED),
                         kind="duplicate", severity=WARNING if agree else "erreur")
    return df[~repeated].reset_index(drop=True)


def percent_scale(df: pd.DataFrame, programme: Programme, problems: ProblemList) -> None:
    """Warn about a percentage between 0 and 1 when the file's other values are above 1."""
    percent = [i.code for i in programme.indicators if i.measure == "pourcentage"]
    rows = df[df["indicator"].isin(percent)]
    for (_file, _code), group in rows.groupby(["file", "indicator"], sort=False):
        small = group[(group["value"] > 0) & (group["value"] < 1)]
        others = group.drop(small.index)["value"]
        others = others[others != 0]
        if small.empty or not len(others) or not (others > 1).all() or len(small) > len(others):
            continue
        for _index, row in small.iterrows():
            shown = fr(row["value"])
            problems.add(row["file"], int(row["line"]), "valeur", shown,
                         _("un pourcentage de 0 à 100 : s'agit-il de {percent} % ? (les autres "
                           "valeurs de {indicator} dans ce fichier dépassent 1 ; la valeur est "
                           "gardée telle quelle)").format(
                             percent=fr(row["value"] * 100), indicator=row["indicator"]),
                         kind="percent-scale", severity=WARNING)


def coverage(df: pd.DataFrame, programme: Programme, problems: ProblemList) -> None:
    """Warn about a pair × indicator without baseline row, or with years missing.

    A missing row has no line of its own: the warning points at the series' first row (no
    baseline) or at the row after which the first missing year belongs."""
    first = programme.baseline_year
    for (pair, code), group in df.groupby(["pair", "indicator"], sort=True):
        ordered = group.sort_values(["year", "line"], kind="stable")
        year = ordered["year"].astype(int)
        years = set(year)
        if first not in years:
            row = ordered.iloc[0]
            problems.add(row["file"], int(row["line"]), "annee", f"{pair} × {code}",
                         _("une ligne de l'année {first} (situation de référence) pour {pair} × "
                           "{code} : sans elle le taux de réalisation ne peut pas être "
                           "calculé").format(first=first, pair=pair, code=code),
                         kind="missing-baseline", severity=WARNING)
        gaps = [y for y in range(first + 1, max(years)) if y not in years]
        if gaps:
            earlier = ordered[year < gaps[0]]
            row = earlier.iloc[-1] if len(earlier) else ordered.iloc[0]
            problems.add(row["file"], int(row["line"]), "annee", f"{pair} × {code}",
                         ngettext("des valeurs pour chaque année jusqu'à {last} : {gaps} manque",
                                  "des valeurs pour chaque année jusqu'à {last} : {gaps} "
                                  "manquent", len(gaps)).format(
                             last=max(years), gaps=", ".join(map(str, gaps))),
                         kind="missing-years", severity=WARNING)


def check(df: pd.DataFrame, programme: Programme, problems: ProblemList, *,
          whole: bool = True) -> pd.DataFrame:
    """Run every cross-row check; return the table with identical duplicates removed.

    The coverage warnings (baseline row, missing years) are those of a data set: only when the
    rows are a ``whole`` data folder, not a commune's partial file validated on its own.
    """
    df = duplicates(df, problems)
    percent_scale(df, programme, problems)
    if whole:
        coverage(df, programme, problems)
    return df

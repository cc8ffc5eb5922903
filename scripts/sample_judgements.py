"""The evaluators' judgements of the fictitious sample, derived from the sample's own figures.

Every score follows from the figures by the rule an evaluator would state (the mean achievement
of the indicators judged: A from 95 %, B from 75 %, C from 40 %, D below), so that no score
contradicts its table; every sentence names the commune and quotes its figures, so that no two
pair reports share a stock sentence. Used by ``scripts/make_sample.py``.
"""

from __future__ import annotations

import pandas as pd

from maroc_eval import fmt
from maroc_eval.core import indicators
from maroc_eval.core.matrix import EvaluationMatrix
from maroc_eval.notebook.evaluation import change_in_words

ADDRESSEE = {"RI1": "commune_marocaine", "RI2": "commune_marocaine", "RI3": "commune_belge",
             "RI4": "commune_marocaine", "RI5": "commune_marocaine", "RI7": "commune_marocaine"}
DEADLINE = {"midterm": "31/12/2011", "final": "31/12/2013"}
VISIT_DAY = {"schaerbeek-al-hoceima": 4, "jette-sidi-bibi": 6, "forest-jerada": 11,
             "liege-tanger": 13, "auderghem-amerzgane": 18, "bruxelles-tetouan": 20}
MONTH = {"midterm": "10/2010", "final": "11/2012"}
NO_VISIT = {("midterm", "liege-tanger")}  # a concrete limit: no field visit in Tanger in 2010
LESSON_BY_RI = {
    "RI1": "un service inscrit à l'organigramme et doté de postes budgétés survit aux "
           "changements d'équipe",
    "RI2": "les outils de planification ne prennent que s'ils servent en séance du conseil",
    "RI3": "une formation suivie d'une mise en pratique accompagnée se retrouve dans les scores",
    "RI4": "l'entretien des équipements dépend d'une ligne budgétaire annuelle, pas d'un effort "
           "ponctuel",
    "RI5": "l'engagement des élus se lit dans le budget social voté et exécuté",
    "RI7": "les conventions ne produisent des actions communes que si la concertation est "
           "régulière",
}


def note(index: float | None) -> str:
    """The score a mean achievement earns (the sample's rule, stated in the README)."""
    if index is None:
        return "D"
    return "A" if index >= 0.95 else "B" if index >= 0.75 else "C" if index >= 0.4 else "D"


def _pct(v) -> str:
    return fmt.percent(v, 0, ratio=True)


def _val(programme, code: str, value) -> str:
    ind = programme.indicator_map[code]
    unit = ind.unit if ind.measure == "nombre" else ""
    if unit.endswith("s") and not fmt._is_missing(value) and abs(float(value)) < 2:
        unit = unit[:-1]  # « 1 évaluation », « 0 projet »
    return fmt.value(value, ind.measure, ind.levels, unit)


def cap(text: str) -> str:
    """The first letter in capitals, the rest untouched (« À Al Hoceima »)."""
    return text[:1].upper() + text[1:]


def met_phrase(met: int, total: int) -> str:
    """« 1 indicateur sur 4 atteint sa cible », « aucun des 4 indicateurs n'atteint sa cible »."""
    if met == 0:
        return f"aucun des {total} indicateurs n'atteint sa cible"
    if met == total:
        return f"les {total} indicateurs atteignent leur cible" if total > 1 else \
            "l'indicateur atteint sa cible"
    return (f"{met} indicateur sur {total} atteint sa cible" if met == 1
            else f"{met} indicateurs sur {total} atteignent leur cible")


def _short(label: str) -> str:
    return label[0].lower() + label[1:]


class PairWriter:
    """Writes one pair's judgements at one phase from its indicator rows."""

    def __init__(self, programme, matrix: EvaluationMatrix, obs: pd.DataFrame, budget, pair,
                 phase: str):
        self.programme, self.matrix, self.obs, self.pair, self.phase = (programme, matrix, obs,
                                                                        pair, phase)
        self.year = programme.phases[phase].year
        self.rows = indicators.indicator_rows(programme, obs[obs["year"] <= self.year],
                                              pair.code, phase).set_index("code")
        self.town = pair.moroccan
        self.a_town = "à " + pair.moroccan
        self.de_town = fmt.de_nom(pair.moroccan)
        self.budget = budget

    # -- figures ---------------------------------------------------------------------------
    def index(self, codes) -> float | None:
        return indicators.ri_index(self.rows.loc[list(codes)].reset_index())[0]

    def met(self, codes) -> tuple[int, int]:
        group = self.rows.loc[list(codes)]
        return int((group["status"] == "atteint").sum()), len(group)

    def fact(self, code: str) -> str:
        r = self.rows.loc[code]
        return (f"{_short(r['label'])} : {_val(self.programme, code, r['actual'])} "
                f"(cible {_val(self.programme, code, r['target'])})")

    def by_category(self, code: str) -> dict[str, float]:
        o = self.obs[(self.obs["pair"] == self.pair.code) & (self.obs["indicator"] == code)
                     & (self.obs["year"] <= self.year)]
        return o.groupby("category")["value"].sum().to_dict()

    def codes(self, ri: str) -> list[str]:
        return [i.code for i in self.programme.indicators_of(ri)]

    def ranked(self, codes) -> list[str]:
        group = self.rows.loc[list(codes)]
        return list(group.sort_values("achievement", na_position="first").index)

    # -- prose -----------------------------------------------------------------------------
    def ri_sentence(self, ri: str) -> str:
        r, P = self.rows, self.programme
        if ri == "RI1":
            stage = P.indicator_map["RI1.1"].levels.get(int(r.at["RI1.1", "actual"]), "")
            return (f"Le Service d'Action sociale {self.de_town} est au stade « {stage} » ; "
                    f"{self.fact('RI1.2')}, {self.fact('RI1.3')}.")
        if ri == "RI2":
            plan = "adopté" if r.at["RI2.1", "actual"] >= 0.5 else "pas encore adopté"
            return (f"Le plan d'action sociale {self.de_town} est {plan} ; "
                    f"{self.fact('RI2.2')}, {self.fact('RI2.4')}.")
        if ri == "RI3":
            sexes = self.by_category("RI3.1")
            women, total = sexes.get("F", 0), sum(sexes.values())
            share = f" ({fmt.share(women, total)})" if total >= fmt.SMALL_BASE else ""
            return (f"{fmt.number(total, 0)} agents {self.de_town} ont suivi une formation en "
                    f"ingénierie sociale depuis {P.baseline_year}, dont "
                    f"{fmt.count(int(women), 'femme', feminine=True)}{share} ; "
                    f"{self.fact('RI3.3')}.")
        if ri == "RI4":
            return (f"{cap(self.a_town)}, {self.fact('RI4.1')} ; "
                    f"{self.fact('RI4.4')}, contre {_val(P, 'RI4.4', r.at['RI4.4', 'baseline'])} "
                    f"en {P.baseline_year}.")
        if ri == "RI5":
            sexes = self.by_category("RI5.4")
            return (f"Au conseil {self.de_town}, {self.fact('RI5.1')} ; "
                    f"{fmt.number(sum(sexes.values()), 0)} élus sensibilisés, dont "
                    f"{fmt.number(sexes.get('F', 0), 0)} élues ; {self.fact('RI5.3')}.")
        kinds = self.by_category("RI7.1")
        signed = ", ".join(f"{k} {fmt.number(kinds.get(k, 0), 0)}"
                           for k in ("DJS", "DAS", "ONG", "INDH"))
        absent = [k for k in ("DAS", "INDH") if not kinds.get(k)]
        named = " ni ".join("la DAS" if k == "DAS" else "l'INDH" for k in absent)
        tail = f" ; aucune convention avec {named}" if absent else ""
        return (f"Conventions signées par la commune {self.de_town} (cumul) : {signed}{tail} ; "
                f"{self.fact('RI7.4')}.")

    def ri_judgement(self, ri: str, story: str | None) -> dict:
        codes = self.codes(ri)
        index = self.index(codes)
        met, total = self.met(codes)
        findings = [f"{cap(self.a_town)}, en {self.year}, {met_phrase(met, total)} ; indice du "
                    f"{ri.replace('RI', 'RI' + fmt.NBSP)} : {_pct(index)}.",
                    self.ri_sentence(ri)]
        if story:
            findings.append(story)
        return {"note": note(index), "constats": findings}

    def answer(self, q) -> dict:
        codes = self.matrix.indicator_codes(q, self.programme)
        if q.criterion == "efficience":
            return self.efficiency_answer()
        index = self.index(codes)
        met, total = self.met(codes)
        order = self.ranked(codes)
        best, worst = order[-1], order[0]
        text = (f"{cap(self.a_town)}, en {self.year}, {met_phrase(met, total)} "
                f"(réalisation moyenne {_pct(index)}). "
                f"Le plus avancé : {self.fact(best)} ; le moins avancé : {self.fact(worst)}.")
        return {"note": note(index), "reponse": text}

    def efficiency_answer(self) -> dict:
        e = self.budget.of(self.pair.code)
        if not e.assessable:
            return {"note": "C", "reponse": f"Efficience non appréciable {self.a_town} : "
                    f"{e.reason}", "justification": "faute de données de coût complètes"}
        cost = e.unit_cost("agent_forme")
        text = (f"Le partenariat {self.pair.label} a exécuté {_pct(e.rate)} du budget prévu de "
                f"{e.first_year} à {e.year} ({fmt.number(e.executed, 0)} € sur "
                f"{fmt.number(e.planned, 0)} €)")
        if cost is not None and cost.cost is not None:
            text += f" ; coût par agent formé : {fmt.number(cost.cost, 0)} €"
        rate = e.rate or 0
        score = "A" if rate >= 0.92 else "B" if rate >= 0.8 else "C" if rate >= 0.6 else "D"
        return {"note": score, "reponse": text + "."}


def method(pair, phase: str) -> dict:
    """Documents, interviews and visits of a pair's evaluation at a phase."""
    town, de_town = pair.moroccan, fmt.de_nom(pair.moroccan)
    y0, y = (2008, 2010) if phase == "midterm" else (2008, 2012)
    date = f"{VISIT_DAY[pair.code]:02d}/{MONTH[phase]}"
    after = f"{VISIT_DAY[pair.code] + 1:02d}/{MONTH[phase]}"
    out = {
        "documents": [f"Procès-verbaux des sessions du conseil communal {de_town} ({y0}–{y})",
                      f"Rapports annuels du Service d'Action sociale {de_town} ({y0}–{y})",
                      f"Fiches de suivi du binôme {pair.label} ({y0}–{y})",
                      f"Comptes administratifs {de_town} ({y0}–{y})"],
        "entretiens": [
            {"fonction": "Président du conseil communal", "institution": f"Commune {de_town}",
             "date": date},
            {"fonction": "Chef du Service d'Action sociale", "institution": f"Commune {de_town}",
             "date": date},
            {"fonction": "Échevin de la solidarité internationale",
             "institution": f"Commune {fmt.de_nom(pair.belgian)}", "date": date},
            {"fonction": "Délégué de l'Entraide nationale",
             "institution": f"Province {fmt.de_nom(pair.province)}", "date": after}],
        "visites": [] if (phase, pair.code) in NO_VISIT else [
            {"lieu": f"Service d'Action sociale {de_town}", "date": date},
            {"lieu": f"Équipements sociaux communaux {de_town} ({town})", "date": after}],
    }
    return out


def programme_method(programme, phase: str) -> dict:
    y = programme.phases[phase].year
    return {"documents": ["Description du programme (atelier de programmation de mars 2007)",
                          f"Rapports annuels de la coordination du programme (2008–{y})",
                          "Rapports d'évaluation des six partenariats"],
            "entretiens": [{"fonction": "Coordinatrice du programme",
                            "institution": "Coordination de l'Intervention spécifique Maroc",
                            "date": f"25/{MONTH[phase]}"}],
            "visites": [{"lieu": "Les six communes marocaines (voir les rapports des "
                                 "partenariats)", "date": f"{MONTH[phase]}"}]}


def lesson(w: PairWriter, earlier: PairWriter) -> list[str]:
    """Two lessons from the pair's own movement between the mid-term and the end: the indicator
    that moved furthest towards its target, and the one that moved least."""
    moves = {}
    for c in w.rows.index:
        a, b = earlier.rows.at[c, "actual"], w.rows.at[c, "actual"]
        span = w.rows.at[c, "target"] - w.rows.at[c, "baseline"]
        if pd.notna(a) and pd.notna(b) and pd.notna(span) and abs(span) > 1e-9:
            moves[c] = (b - a) / span
    best, worst = max(moves, key=moves.get), min(moves, key=moves.get)
    out = []
    if moves[best] <= 0:  # nothing moved: the lesson is the stall itself
        out.append(f"{cap(w.a_town)}, aucun des {len(moves)} indicateurs n'a progressé entre "
                   f"{earlier.year} et {w.year} : quand la dynamique s'arrête à mi-parcours, "
                   "l'évaluation intermédiaire doit déclencher une réorientation, pas seulement "
                   "un constat.")
    for code in ((worst,) if moves[best] <= 0 else (best, worst)):
        ind = w.programme.indicator_map[code]
        move = change_in_words(earlier.rows.at[code, "actual"], w.rows.at[code, "actual"], ind)
        said = ("a le plus progressé" if code == best and moves[code] > 0
                else "a le moins progressé")
        out.append(f"{cap(w.a_town)}, l'indicateur « {_short(ind.label)} » {said} entre "
                   f"{earlier.year} et {w.year} ({move}) : {LESSON_BY_RI[ind.ri]}.")
    return out


def _priority(status: str) -> str:
    return {"critique": "haute", "non_atteint": "haute", "en_retard": "moyenne",
            "partiellement_atteint": "moyenne"}.get(status, "basse")


def recommendations(w: PairWriter, conclusions: list[dict]) -> tuple[list[dict], dict]:
    """Up to three recommendations on the weakest RIs, each on its weakest indicator."""
    by_ri = {ri: w.index(w.codes(ri)) or 0 for ri in (r.code for r in w.programme.results)}
    weak = sorted(by_ri, key=by_ri.get)[:3]
    recs, targets = [], {}
    for i, ri in enumerate(weak, start=1):
        code = w.ranked(w.codes(ri))[0]
        r, ind = w.rows.loc[code], w.programme.indicator_map[code]
        final_target = w.programme.target(code, w.pair.code, "final")
        goal = r["target"] if w.phase == "final" or final_target is None else None
        if goal is None:
            goal = indicators.indicator_rows(w.programme, w.obs, w.pair.code, "final") \
                .set_index("code").at[code, "target"]
        now, aim = _val(w.programme, code, r["actual"]), _val(w.programme, code, goal)
        if r["status"] == "atteint":
            text = (f"Pérenniser l'acquis {w.a_town} sur « {_short(ind.label)} » ({now}, cible "
                    f"{aim}) en l'inscrivant au budget communal {w.year + 1}.")
        else:
            verb = "Porter" if ind.direction == "hausse" else "Ramener"
            text = (f"{verb} « {_short(ind.label)} » {w.a_town} de {now} à {aim} d'ici le "
                    f"{DEADLINE[w.phase]} ({ri.replace('RI', 'RI' + fmt.NBSP)}).")
            if ind.measure == "oui_non":  # « de non à oui » reads badly: say what is to be done
                text = (f"Faire aboutir {w.a_town}, d'ici le {DEADLINE[w.phase]}, ce qui manque "
                        f"encore : « {_short(ind.label)} » "
                        f"({ri.replace('RI', 'RI' + fmt.NBSP)}).")
        cited = [c["id"] for c in conclusions if ri in c.get("resultats", [])] or ["C1"]
        recs.append({"id": f"R{i}", "texte": text, "destinataire": ADDRESSEE[ri],
                     "priorite": _priority(r["status"]), "echeance": DEADLINE[w.phase],
                     "conclusions": cited, "resultats": [ri]})
        targets[f"R{i}"] = (code, goal)
    return recs, targets


def conclusions(w: PairWriter, objective_q, efficiency: dict) -> list[dict]:
    """C1 on the objective, C2 the strongest RI, C3 the weakest, C4 costs."""
    codes = w.matrix.indicator_codes(objective_q, w.programme)
    index = w.index(codes)
    verdict = ("a renforcé" if index and index >= 0.95 else "a en bonne part renforcé"
               if index and index >= 0.75 else "n'a que partiellement renforcé"
               if index and index >= 0.4 else "n'a guère renforcé")
    by_ri = {ri: w.index(w.codes(ri)) or 0 for ri in (r.code for r in w.programme.results)}
    best, worst = max(by_ri, key=by_ri.get), min(by_ri, key=by_ri.get)
    qe_of = {ri: [q.code for q in w.matrix.questions
                  if ri in w.matrix.results_of(q, w.programme) and q.criterion != "objectif"][:2]
             for ri in by_ri}
    title = {r.code: _short(r.title) for r in w.programme.results}
    return [
        {"id": "C1", "texte": f"En {w.year}, la commune {w.de_town} {verdict} ses capacités à "
                              f"planifier, suivre et évaluer ses projets sociaux (réalisation "
                              f"moyenne des indicateurs de l'objectif : {_pct(index)}).",
         "questions": [objective_q.code], "resultats": ["RI1", "RI2", "RI3"]},
        {"id": "C2", "texte": f"Point fort {w.de_town} : {best.replace('RI', 'RI' + fmt.NBSP)}, "
                              f"{title[best]} (indice {_pct(by_ri[best])}).",
         "questions": qe_of[best], "resultats": [best]},
        {"id": "C3", "texte": f"Point faible {w.de_town} : {worst.replace('RI', 'RI' + fmt.NBSP)}, "
                              f"{title[worst]} (indice {_pct(by_ri[worst])}).",
         "questions": qe_of[worst], "resultats": [worst]},
        {"id": "C4", "texte": efficiency["reponse"], "questions": ["QE8"]},
    ]


def follow_up(w: PairWriter, targets: dict, earlier_recs: list[dict]) -> dict:
    """What became of the mid-term recommendations, judged on the indicator each aimed at."""
    out = {}
    before = indicators.indicator_rows(w.programme, w.obs[w.obs["year"] <= 2010], w.pair.code,
                                       "midterm").set_index("code")
    for rec in earlier_recs:
        code, goal = targets[rec["id"]]
        ind = w.programme.indicator_map[code]
        a, b = before.at[code, "actual"], w.rows.at[code, "actual"]
        sign = 1 if ind.direction == "hausse" else -1
        if pd.notna(b) and sign * (b - goal) >= -1e-9:
            state = "mise_en_oeuvre"
        elif pd.notna(a) and pd.notna(b) and sign * (b - a) > 0:
            state = "partielle"
        else:
            state = "non_mise_en_oeuvre"
        out[rec["id"]] = {"etat": state, "commentaire": f"{cap(w.a_town)}, "
                          f"{_short(ind.label)} : {change_in_words(a, b, ind)}."}
    return out


def criteria(w: PairWriter, answers: dict, remarks: dict) -> dict:
    """The DAC criteria, each scored as the questions that inform it were answered."""
    out = {}
    for crit in w.programme.criteria:
        qs = [q for q in w.matrix.questions if q.criterion == crit.code]
        scores = [answers[q.code]["note"] for q in qs]
        worst = max(scores, key=w.programme.rating_codes.index)
        first = answers[qs[0].code]["reponse"].split(". ")[0].rstrip(".")
        remark = remarks.get((w.pair.code, w.phase, crit.code))
        out[crit.code] = {"note": worst,
                          "justification": f"Selon la réponse à {', '.join(q.code for q in qs)} "
                                           f"— {first[0].lower()}{first[1:]}."
                                           + (f" {remark}" if remark else "")}
    return out


def pair_entry(w: PairWriter, stories: dict, remarks: dict, gaps, earlier=None) -> tuple:
    """One pair's whole entry at one phase, and the targets its recommendations aim at."""
    results = {}
    for r in w.programme.results:
        story = stories.get((w.pair.code, w.phase, r.code)) or gaps(w, r.code)
        results[r.code] = w.ri_judgement(r.code, story)
    answers = {q.code: w.answer(q) for q in w.matrix.questions}
    objective_q = next(q for q in w.matrix.questions if q.criterion == "objectif")
    concl = conclusions(w, objective_q, answers["QE8"])
    recs, targets = recommendations(w, concl)
    entry = {"resultats": results, "criteres_cad": criteria(w, answers, remarks),
             "questions": answers,
             "objectif": {"note": answers[objective_q.code]["note"],
                          "reponse": concl[0]["texte"]},
             "conclusions": concl, "recommandations": recs,
             "methode": method(w.pair, w.phase)}
    if earlier is not None:
        writer, earlier_recs, earlier_targets = earlier
        entry["lecons"] = lesson(w, writer)
        entry["suivi"] = follow_up(w, earlier_targets, earlier_recs)
    return entry, targets


def programme_entry(programme, matrix, writers: dict, phase: str, budget, earlier=None) -> dict:
    """The programme's own answers, conclusions and recommendations at a phase."""
    labels = {p.code: p.label for p in programme.pairs}
    answers = {}
    for q in matrix.questions:
        if q.criterion == "efficience":
            rate = budget.rate
            scores = {p: w.efficiency_answer()["note"] for p, w in writers.items()}
            good = sum(s in ("A", "B") for s in scores.values())
            answers[q.code] = {"note": note(good / len(scores)),
                               "reponse": f"{good} partenariats sur {len(scores)} ont exécuté au "
                                          "moins 80 % de leur budget prévu" + (
                                              f" ; taux global : {_pct(rate)}" if rate else "")
                                          + "."}
            continue
        codes = matrix.indicator_codes(q, programme)
        idx = {p: w.index(codes) for p, w in writers.items()}
        mean = sum(v for v in idx.values() if v is not None) / len(idx)
        best, worst = max(idx, key=lambda p: idx[p] or 0), min(idx, key=lambda p: idx[p] or 0)
        answers[q.code] = {
            "note": note(mean),
            "reponse": f"Réalisation moyenne des six partenariats sur la question {q.code} : "
                       f"{_pct(mean)}, de {_pct(idx[worst])} ({labels[worst]}) à "
                       f"{_pct(idx[best])} ({labels[best]})."}
    by_ri = {r.code: sum(w.index(w.codes(r.code)) or 0 for w in writers.values()) / len(writers)
             for r in programme.results}
    best, worst = max(by_ri, key=by_ri.get), min(by_ri, key=by_ri.get)
    low = [labels[p] for p, w in writers.items() if (w.index(w.codes(worst)) or 0) < 0.75]
    year = programme.phases[phase].year
    concl = [
        {"id": "C1", "texte": f"En {year}, le programme atteint une réalisation moyenne de "
                              f"{answers['QE1']['reponse'].split(' : ', 1)[1]}",
         "questions": ["QE1"], "resultats": ["RI1", "RI2", "RI3"]},
        {"id": "C2", "texte": f"Le résultat le plus avancé du programme est "
                              f"{best.replace('RI', 'RI' + fmt.NBSP)} (indice moyen "
                              f"{_pct(by_ri[best])}) ; le moins avancé, "
                              f"{worst.replace('RI', 'RI' + fmt.NBSP)} ({_pct(by_ri[worst])}).",
         "questions": ["QE4", "QE7"], "resultats": [best, worst]},
        {"id": "C3", "texte": answers["QE8"]["reponse"], "questions": ["QE8"]},
    ]
    recs = [{"id": "R1", "texte": f"Concentrer l'appui méthodologique de {year + 1} sur "
                                  f"{worst.replace('RI', 'RI' + fmt.NBSP)} dans les partenariats "
                                  f"où il reste sous 75 % : {', '.join(low) or 'aucun'}.",
             "destinataire": "programme", "priorite": "haute", "echeance": DEADLINE[phase],
             "conclusions": ["C2"], "resultats": [worst]},
            {"id": "R2", "texte": "Exiger de chaque commune la transmission complète de ses "
                                  f"données de suivi avant le 31 mars {year + 1}, les lacunes de "
                                  "Tanger empêchant d'apprécier plusieurs indicateurs cumulés.",
             "destinataire": "programme", "priorite": "moyenne", "echeance": f"31/03/{year + 1}",
             "conclusions": ["C1"], "resultats": []}]
    entry = {"questions": answers,
             "objectif": {"note": answers["QE1"]["note"], "reponse": concl[0]["texte"]},
             "conclusions": concl, "recommandations": recs,
             "methode": programme_method(programme, phase)}
    if earlier is not None:
        entry["lecons"] = [
            f"Sur l'ensemble du programme, {worst.replace('RI', 'RI' + fmt.NBSP)} est resté le "
            f"résultat le moins avancé en {year} ({_pct(by_ri[worst])}) : "
            f"{LESSON_BY_RI[worst]}.",
            f"{best.replace('RI', 'RI' + fmt.NBSP)} a le mieux réussi ({_pct(by_ri[best])} en "
            f"moyenne) : {LESSON_BY_RI[best]}."]
        entry["suivi"] = {r["id"]: {"etat": "partielle", "commentaire": "Appliquée dans une "
                                    "partie des partenariats seulement (voir leurs rapports)."}
                          for r in earlier}
    return entry

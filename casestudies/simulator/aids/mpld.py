"""Ma Prime Logement Décent: heavy works in a degraded or unfit home."""

from __future__ import annotations

from ..context import DPE_INDEX, Ctx
from ..money import ZERO, fmt_rate
from ..ops import Cond, TraceStep, all_of, any_of, ceiling, rate
from ..result import OtherAid

CODE = "mpld"
LABEL = "Ma Prime Logement Décent"


def evaluate(ctx: Ctx) -> tuple[OtherAid | None, tuple[TraceStep, ...]]:
    s = ctx.s
    home, hh = s.home, s.household
    if (
        home.insalubrity_score is None
        and home.degradation_score is None
        and home.police_procedure is None
    ):
        return None, ()
    c = ctx.use("mpld.conditions")
    degraded = any_of(
        (
            Cond(
                None
                if home.insalubrity_score is None
                else home.insalubrity_score >= c["seuil_insalubrite"],
                "",
                "home.insalubrity_score",
            ),
            Cond(
                None
                if home.degradation_score is None
                else home.degradation_score >= c["seuil_degradation"],
                "",
                "home.degradation_score",
            ),
            Cond(home.police_procedure, "", "home.police_procedure"),
        ),
        f"La dégradation doit être justifiée : grille d'insalubrité ≥ {c['seuil_insalubrite']}, "
        f"grille de dégradation ≥ {c['seuil_degradation']} ou procédure de police.",
    )
    min_age = c["age_logement_min_ans"]
    verdict = all_of(
        (
            Cond(
                ctx.category in c["beneficiaires"],
                "Ma Prime Logement Décent est réservée aux ménages très modestes et modestes.",
            ),
            Cond(hh.owner_occupant, "Le demandeur doit être propriétaire occupant du logement."),
            Cond(hh.main_residence, "Le logement doit être la résidence principale."),
            Cond(
                None if home.age_years is None else home.age_years >= min_age,
                lambda: (
                    f"Le logement doit avoir au moins {min_age} ans (il a {home.age_years} ans)."
                ),
                "home.age_years",
            ),
            degraded,
        )
    )
    if not verdict.ok:
        for path in verdict.missing:
            ctx.need(path)
        reasons = verdict.reasons or (
            "Informations manquantes pour conclure : " + ", ".join(verdict.missing) + ".",
        )
        return OtherAid(False, reasons, ZERO, ZERO, ZERO), ()
    trace: list[TraceStep] = []
    p_low = ctx.period["mpld.sans_classe_e"]
    after = home.dpe_after
    if after is not None and DPE_INDEX[after] > DPE_INDEX[p_low.value["classe_min"]]:
        ctx.use("mpld.sans_classe_e")
        r, cap, src = p_low.value["taux"], p_low.value["plafond_travaux_ht"], p_low.source
        trace.append(
            TraceStep(
                "Logement n'atteignant pas la classe E après travaux", f"taux {fmt_rate(r)}", src
            )
        )
    else:
        p_rate, p_cap = ctx.p("mpld.taux"), ctx.p("mpld.plafond_travaux_ht")
        r, cap, src = p_rate.value[ctx.category], p_cap.value, p_rate.source
        b = ctx.period["mpld.bonus_sortie_passoire"].value
        if (
            after is not None
            and home.dpe_before in b["dpe_avant"]
            and DPE_INDEX[after] <= DPE_INDEX[b["dpe_apres_au_moins"]]
        ):
            r = r + b["points"]
            trace.append(
                TraceStep(
                    "Bonus sortie de passoire",
                    f"+{fmt_rate(b['points'])}",
                    ctx.period["mpld.bonus_sortie_passoire"].source,
                )
            )
    retained, s1 = ceiling(ctx.base_ht, cap, "Travaux HT retenus", src)
    amount, s2 = rate(retained, r, f"Ma Prime Logement Décent ({ctx.category})", src)
    trace += [s1, s2]
    return OtherAid(True, (), r, cap, amount), tuple(trace)

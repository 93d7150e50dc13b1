"""Ma Prime Logement Décent: heavy works in a degraded or unfit home."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..context import DPE_INDEX, Ctx
from ..money import ZERO, fmt_rate
from ..ops import Cond, TraceStep, all_of, any_of, ceiling, rate
from ..registry import TAIL, AidSpec, Answer, Done, Outcome, Section, optional_outcome
from ..result import Aid, OtherAid
from ..schemas import (
    CATEGORIES,
    CATEGORY_LIST,
    DPE_CLASSES,
    INT,
    MONEY,
    PASSOIRE_BONUS,
    RATE,
    Map,
    OneOf,
    by_category,
)
from ..situation import Field, boolean, number
from . import mpr_accompagnee

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
        reasons = ctx.refusal(verdict)
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


def _evaluate(ctx: Ctx, _done: Done) -> Outcome:
    return optional_outcome(CODE, *evaluate(ctx))


def _report(
    ctx: Ctx, spec: AidSpec, outcome: Outcome, amount: Decimal, extra: tuple[TraceStep, ...]
) -> tuple[Any, dict[str, Any]]:
    detail: OtherAid | None = outcome.detail
    if detail is None or not detail.eligible:
        return None, {"mpld": detail}
    section = OtherAid(True, (), detail.rate, detail.ceiling_ht, amount)
    aid = Aid(CODE, LABEL, amount, outcome.trace + extra) if amount > 0 else None
    return aid, {"mpld": section}


SPEC = AidSpec(
    code=CODE,
    label=LABEL,
    evaluate=_evaluate,
    report=_report,
    rank=50,
    order=60,
    ecretement_rank=2,
    cap_rank=2,
    not_cumulative_with=mpr_accompagnee.CODE,
    inputs=(
        Field("home.insalubrity_score", number(maximum=1)),
        Field("home.degradation_score", number(maximum=1)),
        Field("home.police_procedure", boolean()),
        Field("home.habitat_indigne", boolean()),
    ),
    sections=(Section("mpld", TAIL),),
    bareme={
        "mpld.yaml": {
            "conditions": Map(
                {
                    "beneficiaires": CATEGORY_LIST,
                    "age_logement_min_ans": INT,
                    "seuil_insalubrite": RATE,
                    "seuil_degradation": RATE,
                }
            ),
            "taux": by_category(RATE, CATEGORIES[:2]),
            "plafond_travaux_ht": MONEY,
            "bonus_sortie_passoire": PASSOIRE_BONUS,
            "sans_classe_e": Map(
                {"taux": RATE, "plafond_travaux_ht": MONEY, "classe_min": OneOf(DPE_CLASSES)}
            ),
        }
    },
    answer=Answer(
        "aid_mpld",
        LABEL,
        "Les conditions de Ma Prime Logement Décent, son taux et son plafond de travaux.",
        ("mpld.conditions", "mpld.taux", "mpld.plafond_travaux_ht", "mpld.bonus_sortie_passoire"),
    ),
)

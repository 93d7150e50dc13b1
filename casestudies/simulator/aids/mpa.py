"""MaPrimeAdapt': adaptation works for an elderly or disabled person."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..context import Ctx
from ..money import ZERO
from ..ops import Cond, TraceStep, all_of, any_of, ceiling, rate
from ..registry import TAIL, AidSpec, Answer, Done, Outcome, Section, optional_outcome
from ..result import Aid, OtherAid
from ..schemas import CATEGORIES, CATEGORY_LIST, INT, MONEY, RATE, Map, by_category
from ..situation import Field, SituationError, boolean, integer, number

CODE = "mpa"
LABEL = "MaPrimeAdapt'"


def evaluate(ctx: Ctx) -> tuple[OtherAid | None, tuple[TraceStep, ...]]:
    s = ctx.s
    works = s.project.adaptation_cost_ht
    if works <= 0:
        return None, ()
    hh = s.household
    c = ctx.use("mpa.conditions")
    age = hh.oldest_person_age
    person = any_of(
        (
            Cond(None if age is None else age >= c["age_min"], "", "household.oldest_person_age"),
            Cond(
                None
                if age is None or hh.gir is None
                else c["age_min_avec_gir"] <= age and hh.gir <= c["gir_max"],
                "",
                "household.gir",
            ),
            Cond(
                None
                if hh.disability_rate is None
                else hh.disability_rate >= c["taux_incapacite_min"],
                "",
                "household.disability_rate",
            ),
            Cond(hh.pch, "", "household.pch"),
        ),
        f"Une personne du ménage doit avoir au moins {c['age_min']} ans, "
        f"ou {c['age_min_avec_gir']} "
        f"ans avec un GIR de 1 à {c['gir_max']}, ou un taux d'incapacité d'au moins 50 %, ou "
        "bénéficier de la PCH.",
    )
    verdict = all_of(
        (
            Cond(
                ctx.category in c["beneficiaires"],
                "MaPrimeAdapt' est réservée aux ménages très modestes et modestes (crédit d'impôt "
                "autonomie pour les autres).",
            ),
            Cond(hh.owner_occupant, "Le demandeur doit être propriétaire occupant du logement."),
            person,
        )
    )
    if not verdict.ok:
        reasons = ctx.refusal(verdict)
        return OtherAid(False, reasons, ZERO, ZERO, ZERO), ()
    p_cap = ctx.p("mpa.plafond_travaux_ht")
    p_rate = ctx.p("mpa.taux")
    r = p_rate.value[ctx.category]
    retained, s1 = ceiling(works, p_cap.value, "Travaux d'adaptation HT retenus", p_cap.source)
    amount, s2 = rate(retained, r, f"MaPrimeAdapt' ({ctx.category})", p_rate.source)
    ctx.use("mpa.avance")
    return OtherAid(True, (), r, p_cap.value, amount), (s1, s2)


def _evaluate(ctx: Ctx, _done: Done) -> Outcome:
    return optional_outcome(CODE, *evaluate(ctx))


def _report(
    ctx: Ctx, spec: AidSpec, outcome: Outcome, amount: Decimal, extra: tuple[TraceStep, ...]
) -> tuple[Any, dict[str, Any]]:
    detail: OtherAid | None = outcome.detail
    if detail is None or not detail.eligible:
        return None, {"mpa": detail}
    section = OtherAid(True, (), detail.rate, detail.ceiling_ht, amount)
    return Aid(CODE, LABEL, amount, outcome.trace), {"mpa": section}


_amount = number()


def _adaptation_cost(value: Any, where: str, project: dict, defaults: list[str]) -> Decimal:
    """The part of ``works_cost_ht`` that is adaptation works."""
    amount = _amount(value, where, project, defaults)
    if amount > project["works_cost_ht"]:
        raise SituationError(
            where,
            f"montant au plus égal à works_cost_ht attendu (part des travaux), reçu {amount}",
        )
    return amount


SPEC = AidSpec(
    code=CODE,
    label=LABEL,
    evaluate=_evaluate,
    report=_report,
    rank=40,
    order=70,
    cap_rank=6,
    inputs=(
        Field("household.oldest_person_age", integer(0, 130)),
        Field("household.gir", integer(1, 6)),
        Field("household.disability_rate", number(maximum=1)),
        Field("household.pch", boolean()),
        Field("project.adaptation_cost_ht", _adaptation_cost),
    ),
    sections=(Section("mpa", TAIL),),
    bareme={
        "mpa.yaml": {
            "conditions": Map(
                {
                    "beneficiaires": CATEGORY_LIST,
                    "age_min": INT,
                    "age_min_avec_gir": INT,
                    "gir_max": INT,
                    "taux_incapacite_min": RATE,
                }
            ),
            "taux": by_category(RATE, CATEGORIES[:2]),
            "plafond_travaux_ht": MONEY,
            "avance": RATE,
        }
    },
    answer=Answer(
        "aid_mpa",
        LABEL,
        "Les bénéficiaires de MaPrimeAdapt', son taux et le plafond des travaux d'adaptation.",
        ("mpa.conditions", "mpa.taux", "mpa.plafond_travaux_ht"),
    ),
)

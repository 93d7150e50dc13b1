"""MaPrimeAdapt': adaptation works for an elderly or disabled person."""

from __future__ import annotations

from ..context import Ctx
from ..money import ZERO
from ..ops import Cond, TraceStep, all_of, any_of, ceiling, rate
from ..result import OtherAid

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
        for path in verdict.missing:
            ctx.need(path)
        reasons = verdict.reasons or (
            "Informations manquantes pour conclure : " + ", ".join(verdict.missing) + ".",
        )
        return OtherAid(False, reasons, ZERO, ZERO, ZERO), ()
    p_cap = ctx.p("mpa.plafond_travaux_ht")
    p_rate = ctx.p("mpa.taux")
    r = p_rate.value[ctx.category]
    retained, s1 = ceiling(works, p_cap.value, "Travaux d'adaptation HT retenus", p_cap.source)
    amount, s2 = rate(retained, r, f"MaPrimeAdapt' ({ctx.category})", p_rate.source)
    ctx.use("mpa.avance")
    return OtherAid(True, (), r, p_cap.value, amount), (s1, s2)

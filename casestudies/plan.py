"""The public financing plan ("Plan de financement"): the share link's codec and the plan read
from the simulator's result (pure, no ORM, no rule).

The plan is the simulator's contract output (`result_to_dict`) arranged for reading: every aid
with its amount, rule and source, the écrêtement, the user's own funding, the reste à charge and
how far it is from the collective's aim (about 10 % of the works TTC, `FINANCING_PLAN_AIM_PCT`).
The only arithmetic here is that distance (reste à charge − aim × TTC); every amount comes from
the simulator as it is.

A situation travels in the link as base64url JSON (`?s=…`, no padding): nothing is stored, and
the decoded value is validated by the simulator like any other input.
"""

import base64
import binascii
import datetime
import json
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

# A situation is a few hundred bytes; a link longer than this is refused before decoding.
MAX_TOKEN_LENGTH = 8_000

CATEGORY_LABELS = {
    "tres_modeste": "Très modeste",
    "modeste": "Modeste",
    "intermediaire": "Intermédiaire",
    "superieur": "Supérieur",
}
SCALE_LABELS = {"hors_idf": "hors Île-de-France", "idf": "Île-de-France"}

GESTURE_LABELS = {
    "pac_air_eau": "Pompe à chaleur air/eau",
    "pac_geothermique": "Pompe à chaleur géothermique",
    "pac_solarothermique": "Pompe à chaleur solarothermique",
    "pac_air_air": "Pompe à chaleur air/air",
    "chauffe_eau_thermodynamique": "Chauffe-eau thermodynamique",
    "chauffe_eau_solaire": "Chauffe-eau solaire individuel",
    "systeme_solaire_combine": "Système solaire combiné",
    "poele_granules": "Poêle à granulés",
    "poele_buches": "Poêle à bûches",
    "foyer_ferme_insert": "Foyer fermé, insert",
    "chaudiere_bois_manuelle": "Chaudière bois à alimentation manuelle",
    "chaudiere_bois_automatique": "Chaudière bois à alimentation automatique",
    "raccordement_reseau_chaleur": "Raccordement à un réseau de chaleur",
    "depose_cuve_fioul": "Dépose d'une cuve à fioul",
    "isolation_murs_exterieur": "Isolation des murs par l'extérieur (m²)",
    "isolation_murs_interieur": "Isolation des murs par l'intérieur (m²)",
    "isolation_rampants_combles": "Isolation des rampants, combles aménagés (m²)",
    "isolation_toiture_terrasse": "Isolation d'une toiture-terrasse (m²)",
    "isolation_plancher_bas": "Isolation du plancher bas (m²)",
    "fenetres": "Fenêtres, portes-fenêtres (nombre)",
    "vmc_double_flux": "VMC double flux",
    "audit_energetique": "Audit énergétique",
}

FUNDER_LABELS = {
    "caisse_retraite": "Caisse de retraite",
    "ccas": "CCAS",
    "fondation": "Fondation",
    "sacicap": "SACICAP (Missions sociales)",
    "microcredit": "Micro-crédit",
    "aide_locale": "Aide locale (région, département, commune)",
    "autre": "Autre financeur",
}
KIND_LABELS = {"subvention": "Subvention", "pret": "Prêt"}


class ShareLinkError(ValueError):
    """A share link that cannot be read; the message is French and shown as is."""


def encode_situation(situation: dict) -> str:
    """The situation as compact base64url JSON, without padding (the `s` of a share link)."""
    text = json.dumps(situation, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return base64.urlsafe_b64encode(text.encode("utf-8")).rstrip(b"=").decode("ascii")


def decode_situation(token: str) -> dict:
    """The situation a share link carries (numbers as Decimal), not yet validated by the
    simulator; ShareLinkError when the link is not one this tool wrote."""
    refused = ShareLinkError(
        "Ce lien de partage est illisible ou incomplet : vérifiez qu'il a été copié en entier."
    )
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise refused
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        data = json.loads(raw.decode("utf-8"), parse_float=Decimal)
    except (binascii.Error, ValueError, UnicodeDecodeError, RecursionError):
        raise refused from None
    if not isinstance(data, dict):
        raise refused
    return data


def _decimal(value) -> Decimal:
    try:
        return Decimal(str(value)) if value is not None else Decimal(0)
    except InvalidOperation:
        return Decimal(0)


def _cents(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class TraceStep:
    rule: str
    value: str
    source: str


@dataclass(frozen=True)
class AidLine:
    code: str
    label: str
    amount: Decimal
    applies_to: str  # travaux | accompagnement
    trace: tuple[TraceStep, ...]


@dataclass(frozen=True)
class GestureLine:
    code: str
    label: str
    eligible: bool
    amount: Decimal
    cee_amount: Decimal
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class FundingLine:
    funder: str
    label: str
    kind: str
    amount_requested: Decimal
    amount: Decimal
    in_ecretement: bool

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind).lower()

    @property
    def reduced(self) -> bool:
        return self.amount < self.amount_requested


@dataclass(frozen=True)
class LoanLine:
    code: str
    label: str
    eligible: bool
    max_amount: Decimal
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Plan:
    as_of: datetime.date
    income_category: str
    income_scale: str
    works_cost_ttc: Decimal
    aids: tuple[AidLine, ...]
    mpr_reasons: tuple[str, ...]
    gestures: tuple[GestureLine, ...]
    funding: tuple[FundingLine, ...]
    loans: tuple[LoanLine, ...]
    ecretement_applied: bool
    ecretement_ceiling: Decimal
    ecretement_reduction: Decimal
    ecretement_rate: Decimal
    total_subsidies: Decimal
    reste_a_charge: Decimal
    reste_a_charge_pct: Decimal
    mar_reste_a_charge: Decimal | None
    total_user_loans: Decimal
    aim_pct: Decimal
    warnings: tuple[str, ...]
    missing: tuple[str, ...]
    defaults_used: tuple[str, ...]
    sources: tuple[str, ...] = field(default_factory=tuple)

    @property
    def income_category_label(self) -> str:
        return CATEGORY_LABELS.get(self.income_category, self.income_category)

    @property
    def income_scale_label(self) -> str:
        return SCALE_LABELS.get(self.income_scale, self.income_scale)

    @property
    def aim_amount(self) -> Decimal:
        """The reste à charge the aim allows: aim % of the works TTC, to the cent."""
        return _cents(self.works_cost_ttc * self.aim_pct / 100)

    @property
    def gap_to_aim(self) -> Decimal:
        """What the household still has to find beyond the aim (0 when it is reached)."""
        return max(Decimal(0), _cents(self.reste_a_charge - self.aim_amount))

    @property
    def aim_reached(self) -> bool:
        return self.gap_to_aim == 0

    @property
    def works_aids(self) -> tuple[AidLine, ...]:
        return tuple(aid for aid in self.aids if aid.applies_to == "travaux")

    @property
    def support_aids(self) -> tuple[AidLine, ...]:
        return tuple(aid for aid in self.aids if aid.applies_to != "travaux")

    @property
    def user_loans(self) -> tuple[FundingLine, ...]:
        return tuple(line for line in self.funding if line.kind == "pret")


def _trace(steps) -> tuple[TraceStep, ...]:
    return tuple(
        TraceStep(str(s.get("rule", "")), str(s.get("value", "")), str(s.get("source", "")))
        for s in steps or ()
    )


def plan_from_result(result: dict, *, aim_pct: Decimal) -> Plan:
    """The plan read from the simulator's contract output (`result_to_dict`)."""
    aids = tuple(
        AidLine(
            code=a["code"],
            label=a["label"],
            amount=_decimal(a["amount"]),
            applies_to=a.get("applies_to", "travaux"),
            trace=_trace(a.get("trace")),
        )
        for a in result.get("aids", ())
    )
    gestures = tuple(
        GestureLine(
            code=g["code"],
            label=GESTURE_LABELS.get(g["code"], g["code"]),
            eligible=bool(g.get("eligible")),
            amount=_decimal(g.get("amount")),
            cee_amount=_decimal(g.get("cee_amount")),
            reasons=tuple(g.get("reasons") or ()),
        )
        for g in result.get("par_geste", ())
    )
    funding = tuple(
        FundingLine(
            funder=f["funder"],
            label=f.get("label") or FUNDER_LABELS.get(f["funder"], f["funder"]),
            kind=f["kind"],
            amount_requested=_decimal(f.get("amount_requested")),
            amount=_decimal(f.get("amount")),
            in_ecretement=bool(f.get("in_ecretement")),
        )
        for f in result.get("other_funding", ())
    )
    loans = tuple(
        LoanLine(
            code=loan["code"],
            label=loan.get("label", loan["code"]),
            eligible=bool(loan.get("eligible")),
            max_amount=_decimal(loan.get("max_amount")),
            reasons=tuple(loan.get("reasons") or ()),
        )
        for loan in result.get("loans", ())
    )
    sources = []
    for step in [
        *(s for aid in aids for s in aid.trace),
        *_trace(result.get("income_category_trace")),
        *_trace(s for loan in result.get("loans", ()) for s in loan.get("trace") or ()),
    ]:
        if step.source and step.source not in sources:
            sources.append(step.source)
    ecretement = result.get("ecretement") or {}
    mar = result.get("mar") or None
    mpr = result.get("mpr_accompagnee") or {}
    return Plan(
        as_of=datetime.date.fromisoformat(result["as_of"]),
        income_category=result.get("income_category", ""),
        income_scale=result.get("income_scale", ""),
        works_cost_ttc=_decimal(result.get("works_cost_ttc")),
        aids=aids,
        mpr_reasons=tuple(mpr.get("reasons") or ()),
        gestures=gestures,
        funding=funding,
        loans=loans,
        ecretement_applied=bool(ecretement.get("applied")),
        ecretement_ceiling=_decimal(ecretement.get("ceiling")),
        ecretement_reduction=_decimal(ecretement.get("reduction")),
        ecretement_rate=_decimal(ecretement.get("rate")),
        total_subsidies=_decimal(result.get("total_subsidies")),
        reste_a_charge=_decimal(result.get("reste_a_charge")),
        reste_a_charge_pct=_decimal(result.get("reste_a_charge_pct")),
        mar_reste_a_charge=_decimal(mar["reste_a_charge"]) if mar else None,
        total_user_loans=_decimal(result.get("total_user_loans")),
        aim_pct=aim_pct,
        warnings=tuple(result.get("warnings") or ()),
        missing=tuple(result.get("missing") or ()),
        defaults_used=tuple(result.get("defaults_used") or ()),
        sources=tuple(sources),
    )

"""The repérage checklist's orientation, as a pure function of what the field actor observed
with the household (no ORM, nothing stored).

The contacts are the public services every territory has: France Rénov' (the public advice
service on renovation, 0 808 800 700, france-renov.gouv.fr), the département's social services
(solidarity housing fund, FSL, for energy debts; social workers), the CCAS of the commune, the
ADIL for tenants whose home is not decent, and the mairie / ARS for a home that endangers its
occupants (habitat indigne). An ensemblier accompaniment fits owner-occupants of modest means
with signs of energy precarity: the TZEE programme accompanies owner-occupants only
(construction21, 2023; shared/domain/training.md §2.2).
"""

from dataclasses import dataclass
from enum import StrEnum


class Sign(StrEnum):
    COLD = "froid"
    DAMP = "humidite"
    RESTRICTION = "privation"
    UNPAID = "impayes"
    HEALTH = "sante"
    ISOLATION = "isolement"


SIGN_LABELS = {
    Sign.COLD: "Le logement est froid en hiver, même chauffé",
    Sign.DAMP: "Humidité, moisissures, condensation",
    Sign.RESTRICTION: "Le ménage se prive de chauffage, d'eau chaude ou d'éclairage",
    Sign.UNPAID: "Factures d'énergie impayées, coupures ou menaces de coupure",
    Sign.HEALTH: "Problèmes de santé que le logement aggrave (respiration, chutes…)",
    Sign.ISOLATION: "Isolement : peu de proches, peu de sorties, pas d'aide au quotidien",
}

# Signs of energy precarity proper (isolation and health make it urgent, not precarious).
ENERGY_SIGNS = frozenset({Sign.COLD, Sign.DAMP, Sign.RESTRICTION, Sign.UNPAID})


class HomeState(StrEnum):
    GOOD = "bon"
    WORN = "degrade"
    DANGEROUS = "dangereux"


HOME_STATE_LABELS = {
    HomeState.GOOD: "Correct",
    HomeState.WORN: "Dégradé (toiture, fenêtres, chauffage vétustes)",
    HomeState.DANGEROUS: "Dangereux (électricité, risque d'effondrement, intoxication)",
}


class Tenure(StrEnum):
    OWNER = "proprietaire"
    TENANT = "locataire"
    HOSTED = "heberge"
    UNKNOWN = "inconnu"


TENURE_LABELS = {
    Tenure.OWNER: "Propriétaire et habite le logement",
    Tenure.TENANT: "Locataire",
    Tenure.HOSTED: "Hébergé·e (famille, amis)",
    Tenure.UNKNOWN: "Je ne sais pas",
}


class Income(StrEnum):
    VERY_LOW = "tres_faibles"
    LOW = "modestes"
    HIGHER = "plus_eleves"
    UNKNOWN = "inconnu"


INCOME_LABELS = {
    Income.VERY_LOW: (
        "Très faibles (minima sociaux, petite retraite, moins de 10 € par jour et par personne)"
    ),
    Income.LOW: "Modestes",
    Income.HIGHER: "Plus élevés",
    Income.UNKNOWN: "Je ne sais pas",
}


@dataclass(frozen=True)
class Observation:
    signs: frozenset[Sign]
    home_state: HomeState
    tenure: Tenure
    income: Income


@dataclass(frozen=True)
class Contact:
    key: str
    name: str
    why: str
    how: str


FRANCE_RENOV = Contact(
    "france_renov",
    "France Rénov'",
    "le service public de la rénovation : conseil gratuit et neutre, aides, "
    "Mon Accompagnateur Rénov'",
    "0 808 800 700 (service gratuit + prix d'un appel) ou france-renov.gouv.fr, "
    "qui donne l'espace conseil le plus proche",
)
SOCIAL_SERVICES = Contact(
    "services_sociaux",
    "Les services sociaux du département",
    "travailleurs sociaux de secteur, fonds de solidarité logement (FSL) pour les dettes "
    "d'énergie et d'eau, accompagnement budgétaire",
    "la maison départementale des solidarités (ou son équivalent) de la commune du ménage",
)
CCAS = Contact(
    "ccas",
    "Le CCAS de la commune",
    "aides d'urgence, aide à la demande de chèque énergie, lien avec les services sociaux",
    "l'accueil de la mairie",
)
ADIL = Contact(
    "adil",
    "L'ADIL du département",
    "information juridique gratuite : le propriétaire doit louer un logement décent",
    "anil.org, rubrique « Votre ADIL »",
)
HABITAT_INDIGNE = Contact(
    "habitat_indigne",
    "La mairie et l'ARS (habitat indigne)",
    "un logement qui met en danger ses occupants relève des pouvoirs de police du maire et du "
    "préfet (ARS)",
    "signalement en mairie ; en cas de danger immédiat (gaz, électricité), appeler le 18 ou le 112",
)


@dataclass(frozen=True)
class Orientation:
    contacts: tuple[Contact, ...]
    ensemblier_fits: bool
    ensemblier_reason: str
    urgent: bool
    energy_signs: int


def orient(observation: Observation) -> Orientation:
    """Who to contact, and whether an ensemblier accompaniment fits, from what was observed."""
    energy = len(observation.signs & ENERGY_SIGNS)
    worn = observation.home_state != HomeState.GOOD
    urgent = observation.home_state == HomeState.DANGEROUS or (
        Sign.HEALTH in observation.signs
        and (Sign.DAMP in observation.signs or Sign.COLD in observation.signs)
    )
    contacts: list[Contact] = []
    if observation.home_state == HomeState.DANGEROUS:
        contacts.append(HABITAT_INDIGNE)
    if observation.tenure == Tenure.TENANT:
        contacts.append(ADIL)
    if observation.tenure in (Tenure.OWNER, Tenure.UNKNOWN) and (energy or worn):
        contacts.append(FRANCE_RENOV)
    if (
        Sign.UNPAID in observation.signs
        or Sign.RESTRICTION in observation.signs
        or Sign.ISOLATION in observation.signs
        or urgent
        or observation.income == Income.VERY_LOW
    ):
        contacts += [SOCIAL_SERVICES, CCAS]
    if not contacts:
        contacts.append(FRANCE_RENOV)

    if observation.tenure != Tenure.OWNER:
        fits = False
        reason = (
            "L'accompagnement par un ensemblier concerne les propriétaires qui occupent leur "
            "logement : pour un locataire, les travaux reviennent au propriétaire."
            if observation.tenure == Tenure.TENANT
            else "L'accompagnement par un ensemblier concerne les propriétaires qui occupent "
            "leur logement : vérifiez d'abord qui est propriétaire."
        )
    elif observation.income == Income.HIGHER:
        fits = False
        reason = (
            "Avec des revenus plus élevés, le conseil de France Rénov' et Mon Accompagnateur "
            "Rénov' suffisent en général."
        )
    elif not (energy or worn):
        fits = False
        reason = "Aucun signe de précarité énergétique ni de logement dégradé n'a été repéré."
    else:
        fits = True
        reason = (
            "Propriétaire occupant aux revenus modestes, avec des signes de précarité énergétique "
            "ou un logement dégradé : un ensemblier peut l'accompagner de bout en bout "
            "(diagnostic, travaux, financement, suivi)."
        )
    return Orientation(
        contacts=tuple(contacts),
        ensemblier_fits=fits,
        ensemblier_reason=reason,
        urgent=urgent,
        energy_signs=energy,
    )

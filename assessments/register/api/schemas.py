"""What the API publishes, field by field (French names, like the site). Nothing else leaves:
each schema lists the only fields its responses carry."""

import datetime
from typing import Literal

from ninja import Field, Schema
from pydantic import field_validator

from lms.text import has_nul

SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"
MIN_YEAR, MAX_YEAR = 2000, 2100


def _no_nul(value):
    if isinstance(value, str) and has_nul(value):
        raise ValueError("ne doit pas contenir de caractère nul")
    return value


class Erreur(Schema):
    detail: str = Field(description="Message en français.")


class ErreurParametre(Schema):
    parametre: str
    message: str


class ErreurValidation(Schema):
    detail: str = Field(description="Message en français.")
    erreurs: list[ErreurParametre]


class Territoire(Schema):
    slug: str = Field(description="Identifiant, utilisable dans le filtre « territoire ».")
    nom: str


# --- Ensembliers ---------------------------------------------------------------------------


class Ensemblier(Schema):
    """A certified ensemblier who consented to be listed: nothing but these fields."""

    numero: str = Field(
        description="Numéro public du certificat (celui de la page de vérification).",
        examples=["ENS-2026-00042-K7QF"],
    )
    nom: str = Field(description="Prénom et nom, tels qu'imprimés sur le certificat.")
    territoire: Territoire = Field(description="Territoire de la session de certification.")
    structure: str | None = Field(description="Structure employeuse, ou null.")
    annee_certification: int
    statut: Literal["valide", "revoque"] = Field(
        description="« valide », ou « revoque » (certificat révoqué). Un certificat remplacé "
        "par une réédition n'est pas listé : sa réédition l'est."
    )


class FiltresEnsembliers(Schema):
    territoire: str | None = Field(
        None, max_length=80, pattern=SLUG_PATTERN, description="Identifiant du territoire."
    )
    annee: int | None = Field(None, ge=MIN_YEAR, le=MAX_YEAR, description="Année de certification.")
    structure: str | None = Field(
        None,
        max_length=200,
        description="Structure employeuse (tout ou partie du nom ; casse et accents ignorés).",
    )
    nom: str | None = Field(
        None,
        max_length=200,
        description="Recherche par nom : chaque mot doit figurer dans le nom (casse et accents "
        "ignorés).",
    )

    _checked = field_validator("territoire", "structure", "nom")(_no_nul)


# --- Sessions --------------------------------------------------------------------------------


class Session(Schema):
    """What the public page of a session shows."""

    slug: str
    nom: str
    territoire: Territoire
    lieu: str
    statut: Literal["ouverte", "close", "annulee"] = Field(
        description="ouverte : inscriptions ouvertes ; close : inscriptions closes ; annulee."
    )
    statut_libelle: str
    calendrier: Literal["a_venir", "en_cours", "passee"] = Field(
        description="À venir, en cours ou passée (à la date du jour, heure de Paris)."
    )
    semaines: list[datetime.date] = Field(description="Lundis des trois semaines.")
    premier_jour: datetime.date
    dernier_jour: datetime.date
    capacite: int
    inscrits: int
    places_disponibles: int
    formateurs: list[str]
    page: str = Field(description="Adresse de la page publique de la session.")
    ical: str = Field(description="Agenda iCal de la session.")


class ModuleEnseigne(Schema):
    numero: int
    titre: str
    page: str | None = Field(description="Page publique du module, ou null.")


class DemiJournee(Schema):
    jour: int = Field(description="Jour de formation, de 1 à 15.")
    semaine: int
    demi_journee: Literal["matin", "apres_midi"]
    date: datetime.date
    debut: str = Field(description="Heure de début (heure de Paris), « 09:00 ».")
    fin: str
    modules: list[ModuleEnseigne]
    salle: str | None
    deplacee: bool = Field(description="Vrai quand la demi-journée a été déplacée.")


class SessionDetail(Session):
    """A session with its 30 half-days, as its public page shows them."""

    demi_journees: list[DemiJournee]


class FiltresSessions(Schema):
    territoire: str | None = Field(
        None, max_length=80, pattern=SLUG_PATTERN, description="Identifiant du territoire."
    )
    annee: int | None = Field(
        None,
        ge=MIN_YEAR,
        le=MAX_YEAR,
        description="Sessions ayant au moins un jour de formation dans l'année.",
    )

    _checked = field_validator("territoire")(_no_nul)


# --- Figures ---------------------------------------------------------------------------------


class ChiffresAnnee(Schema):
    annee: int
    certifies: int | None = Field(
        description="Certifications valides décidées dans l'année ; null quand ce total "
        "révélerait un petit nombre d'un territoire (une seule année de certifiés sur un "
        "territoire, par exemple ; voir « secret »)."
    )
    cumul: int | None = Field(
        description="Total des certifiés à la fin de l'année ; null entre deux années masquées."
    )
    secret: bool = Field(description="Vrai quand « certifies » est masqué.")


class ChiffresTerritoire(Schema):
    territoire: Territoire
    annee: int
    sessions: int = Field(description="Sessions de ce territoire commencées dans l'année.")
    certifies: int | None = Field(
        description="Certifications valides de ce territoire décidées dans l'année (les "
        "lignes d'une année s'additionnent en « par_annee ») ; null quand le nombre est trop "
        "petit pour être publié sans risque d'identifier quelqu'un, ou qu'il permettrait de "
        "retrouver un nombre masqué (voir « secret »)."
    )
    secret: bool = Field(description="Vrai quand « certifies » est masqué.")


class FiltresChiffres(Schema):
    territoire: str | None = Field(
        None, max_length=80, pattern=SLUG_PATTERN, description="Identifiant du territoire."
    )

    _checked = field_validator("territoire")(_no_nul)


class Chiffres(Schema):
    date: datetime.date = Field(description="Date des chiffres.")
    objectif: int = Field(description="Objectif national d'ensembliers certifiés.")
    echeance: datetime.date
    certifies: int = Field(
        description="Ensembliers certifiés (certificat valide), qu'ils soient dans le registre "
        "ou non."
    )
    restant: int
    derniers_12_mois: int | None = Field(
        description="Certifications valides des 12 derniers mois ; null quand cette année ou "
        "la précédente est masquée (voir « par_annee »)."
    )
    rythme_necessaire_par_an: int | None
    date_projetee: datetime.date | None = Field(
        description="Date où l'objectif serait atteint au rythme des 12 derniers mois ; null "
        "quand ce rythme est masqué."
    )
    par_annee: list[ChiffresAnnee]
    par_territoire: list[ChiffresTerritoire]
    seuil_secret: int = Field(
        description="Les nombres de certifiés par territoire et année inférieurs à ce seuil "
        "(et non nuls) sont masqués, avec d'autres si besoin pour qu'aucun ne se déduise des "
        "totaux."
    )

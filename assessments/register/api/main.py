"""The API object and its operations. Views are thin: filters are validated by the schemas,
reads are selectors (`..selectors`, `modules.selectors`, `..figures`)."""

from functools import partial

from django.http import Http404
from django.utils import timezone

from ninja import Path, Query, Router
from ninja.errors import HttpError, Throttled, ValidationError
from ninja.openapi.docs import Swagger
from ninja.pagination import paginate

from modules import selectors as session_selectors
from modules.models import SessionCalendarPage

from .. import figures, selectors
from . import http
from .pagination import Pages
from .schemas import (
    SLUG_PATTERN,
    Chiffres,
    Ensemblier,
    Erreur,
    ErreurValidation,
    FiltresChiffres,
    FiltresEnsembliers,
    FiltresSessions,
    Session,
    SessionDetail,
)

DESCRIPTION = """
Données ouvertes du collectif STOP Exclusion Énergétique sur la formation **Ensemblier
Solidaire**, en lecture seule (GET), sans compte ni clé :

- `ensembliers` : les ensembliers certifiés **qui ont accepté d'y figurer** (nom, territoire,
  structure, année de certification, statut du certificat — rien d'autre). Une personne qui
  retire son accord disparaît dès la requête suivante.
- `sessions` : les sessions de formation publiques (ce que montre leur page publique).
- `chiffres` : les chiffres du tableau national par année et par territoire (tous les certifiés,
  en nombres seulement).

Pages de résultats (`page`, `par_page` ≤ 100, liens `suivante` / `precedente`) ; en-tête `ETag`
(réponse 304 avec `If-None-Match`) ; nombre de requêtes limité par client (429 avec
`Retry-After`) ; CORS ouvert à toute origine, sans cookie. Erreurs : JSON avec `detail` en
français (422 pour un paramètre invalide).
"""

api = http.RegisterAPI(
    version="1.0",
    title="Registre des ensembliers certifiés — API ouverte",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    # No deep links: Swagger UI puts the operation's link inside the button that opens it (a
    # link in a button, axe "nested-interactive"); without them the path is plain text. No
    # syntax colours: some of the theme's token colours fail contrast on its dark background.
    docs=Swagger(
        settings={
            "validatorUrl": None,
            "defaultModelsExpandDepth": 0,
            "deepLinking": False,
            "syntaxHighlight": {"activated": False},
        }
    ),
    docs_url="/docs",
    openapi_url="/openapi.json",
    throttle=[http.ClientRateThrottle()],
    renderer=http.FrenchJSONRenderer(),
)
api.add_exception_handler(ValidationError, partial(http.validation_errors, api=api))
api.add_exception_handler(Throttled, partial(http.throttled, api=api))
api.add_exception_handler(Http404, partial(http.not_found, api=api))
api.add_exception_handler(HttpError, partial(http.http_error, api=api))

ERRORS = {422: ErreurValidation, 429: Erreur}

ensembliers = Router(tags=["Ensembliers"])


STATUTS = {"valid": "valide", "revoked": "revoque"}


def _ensemblier(certification) -> dict:
    structure = certification.trainee.structure
    return {
        "numero": certification.number,
        "nom": certification.holder_name,
        "territoire": {
            "slug": certification.territory.slug,
            "nom": certification.territory.name,
        },
        "structure": structure.name if structure else None,
        "annee_certification": certification.certified_on.year,
        "statut": STATUTS[certification.status],
    }


class _Rows:
    """A queryset whose slices come out as published rows (for the paginator)."""

    def __init__(self, queryset, to_row):
        self.queryset, self.to_row = queryset, to_row

    def all(self):
        return self.queryset.all()

    def __getitem__(self, item):
        return [self.to_row(row) for row in self.queryset[item]]


@ensembliers.get(
    "/ensembliers",
    response={200: list[Ensemblier], **ERRORS},
    summary="Ensembliers certifiés qui ont accepté d'être listés",
    operation_id="ensembliers",
)
@http.conditional
@paginate(Pages)
def list_ensembliers(request, filtres: Query[FiltresEnsembliers]):
    """Par ordre de numéro de certificat (donc de date de certification). Filtres combinables :
    `territoire`, `annee`, `structure`, `nom`."""
    rows = selectors.filter_listed(
        selectors.listed_certifications(),
        territory=filtres.territoire,
        year=filtres.annee,
        structure=filtres.structure,
        name=filtres.nom,
    )
    return _Rows(rows, _ensemblier)


sessions = Router(tags=["Sessions"])


@sessions.get(
    "/sessions",
    response={200: list[Session], **ERRORS},
    summary="Sessions de formation publiques",
    operation_id="sessions",
)
@http.conditional
@paginate(Pages)
def list_sessions(request, filtres: Query[FiltresSessions]):
    """Par date de début. Filtres : `territoire`, `annee`."""
    queryset = session_selectors.public_sessions()
    if filtres.territoire:
        queryset = queryset.filter(territory__slug=filtres.territoire)
    found = session_selectors.listed_public_sessions(queryset, year=filtres.annee)
    calendar = SessionCalendarPage.objects.live().first()
    calendar_url = calendar.get_url(request) if calendar else None
    return [_session(request, session, calendar, calendar_url) for session in found]


@sessions.get(
    "/sessions/{slug}",
    response={200: SessionDetail, 404: Erreur, **ERRORS},
    summary="Une session de formation publique et ses demi-journées",
    operation_id="session",
)
@http.conditional
def session_detail(
    request,
    slug: str = Path(
        ..., max_length=100, pattern=SLUG_PATTERN, description="Identifiant de la session."
    ),
):
    """Ce que montre la page publique de la session : ses faits, puis ses 30 demi-journées
    (date, horaires, modules, salle). 404 pour une session inconnue ou non publiée."""
    found = session_selectors.listed_public_sessions(
        session_selectors.public_sessions().filter(slug=slug)
    )
    if not found:
        raise Http404
    session = found[0]
    calendar = SessionCalendarPage.objects.live().first()
    calendar_url = calendar.get_url(request) if calendar else None
    row = _session(request, session, calendar, calendar_url)
    row["demi_journees"] = [
        _half_day(request, slot) for slot in session_selectors.session_slots(session)
    ]
    return row


HALVES = {"am": "matin", "pm": "apres_midi"}


def _half_day(request, slot) -> dict:
    return {
        "jour": slot.day_number,
        "semaine": slot.week_number,
        "demi_journee": HALVES[slot.half],
        "date": slot.date,
        "debut": slot.start_time.strftime("%H:%M"),
        "fin": slot.end_time.strftime("%H:%M"),
        "modules": [
            {
                "numero": module.number,
                "titre": module.title,
                "page": request.build_absolute_uri(module.get_url(request))
                if module.live
                else None,
            }
            for module in slot.modules.all()
        ],
        "salle": slot.room or None,
        "deplacee": slot.moved,
    }


SESSION_STATUTS = {"open": "ouverte", "closed": "close", "cancelled": "annulee"}
TIMINGS = {"upcoming": "a_venir", "in_progress": "en_cours", "past": "passee"}


def _session(request, session, calendar, calendar_url: str | None) -> dict:
    """The public page's facts (templates/modules/session_detail.html), and its addresses."""

    def url(name: str) -> str:
        if not calendar_url:
            return ""
        return request.build_absolute_uri(
            calendar_url + calendar.reverse_subpage(name, args=[session.slug])
        )

    return {
        "slug": session.slug,
        "nom": session.name,
        "territoire": {"slug": session.territory.slug, "nom": session.territory.name},
        "lieu": session.venue,
        "statut": SESSION_STATUTS[session.status],
        "statut_libelle": session.get_status_display(),
        "calendrier": TIMINGS[session.timing],
        "semaines": session.week_starts,
        "premier_jour": session.week1_start,
        "dernier_jour": session.last_day,
        "capacite": session.capacity,
        "inscrits": session.enrolled_count,
        "places_disponibles": session.seats_left,
        "formateurs": [trainer.get_full_name() for trainer in session.trainers.all()],
        "page": url("session"),
        "ical": url("session_ical"),
    }


chiffres = Router(tags=["Chiffres"])


@chiffres.get(
    "/chiffres",
    response={200: Chiffres, **ERRORS},
    summary="Chiffres du tableau national par année et par territoire",
    operation_id="chiffres",
)
@http.conditional
def national_figures(request, filtres: Query[FiltresChiffres]):
    """Tous les ensembliers certifiés, qu'ils figurent ou non dans le registre, en nombres
    seulement. Les petits nombres par territoire et année sont masqués (`secret`). Filtre :
    `territoire` (n'agit que sur `par_territoire`)."""
    return figures.public_figures(timezone.localdate(), territory=filtres.territoire)


api.add_router("", ensembliers)
api.add_router("", sessions)
api.add_router("", chiffres)

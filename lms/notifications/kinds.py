"""The kinds of notification a person can receive, each with its French label.

Declared here (in `lms`, which knows no feature app) so that a kind is a plain code everywhere:
feature apps send them, the preferences page lists them. A new kind is one line here; the
database stores the code, so adding one needs no migration.
"""

from dataclasses import dataclass

from lms.roles import Role, user_roles


@dataclass(frozen=True)
class Kind:
    code: str
    label: str  # shown on the preferences page: "<label> — recevoir un e-mail"
    audience: str  # who receives it, for the preferences page's help text
    # The roles that receive it, to list only those on a person's preferences page; empty:
    # anybody may (complaints, evidence packs…).
    roles: frozenset = frozenset()


MILESTONE_SUBMITTED = "milestone_submitted"
MILESTONE_REVIEWED = "milestone_reviewed"
ANSWER_GRADED = "answer_graded"
COMPETENCY_DECIDED = "competency_decided"
CERTIFICATE_ISSUED = "certificate_issued"
SURVEY_DUE = "survey_due"
COMPLAINT_FILED = "complaint_filed"
COMPLAINT_ANSWERED = "complaint_answered"
EVIDENCE_PACK_READY = "evidence_pack_ready"
REFERRAL_RECEIVED = "referral_received"

KINDS: dict[str, Kind] = {
    kind.code: kind
    for kind in (
        Kind(
            MILESTONE_SUBMITTED,
            "Un jalon de dossier est soumis à ma revue",
            "formateurs",
            frozenset({Role.TRAINER}),
        ),
        Kind(
            MILESTONE_REVIEWED,
            "Mon jalon de dossier est accepté ou renvoyé",
            "stagiaires",
            frozenset({Role.TRAINEE}),
        ),
        Kind(
            ANSWER_GRADED,
            "Ma réponse rédigée est corrigée",
            "stagiaires",
            frozenset({Role.TRAINEE}),
        ),
        Kind(
            COMPETENCY_DECIDED,
            "Une décision est prise sur une de mes compétences",
            "stagiaires",
            frozenset({Role.TRAINEE}),
        ),
        Kind(
            CERTIFICATE_ISSUED,
            "Mon certificat est délivré",
            "stagiaires",
            frozenset({Role.TRAINEE}),
        ),
        Kind(SURVEY_DUE, "Un questionnaire m'attend", "stagiaires", frozenset({Role.TRAINEE})),
        Kind(
            COMPLAINT_FILED,
            "Une réclamation ou un incident est signalé",
            "coordination",
            frozenset({Role.COORDINATOR}),
        ),
        Kind(COMPLAINT_ANSWERED, "Ma réclamation reçoit une réponse", "qui l'a déposée"),
        Kind(EVIDENCE_PACK_READY, "Le dossier de preuves que j'ai demandé est prêt", "équipe"),
        Kind(
            REFERRAL_RECEIVED,
            "Un acteur de terrain m'oriente un ménage",
            "ensembliers proposés au repérage",
        ),
    )
}


def kinds_for(user) -> list[Kind]:
    """The kinds listed on `user`'s preferences page: those of their roles and those for
    anybody; every kind for administrators."""
    if getattr(user, "is_superuser", False):
        return list(KINDS.values())
    roles = user_roles(user)
    return [kind for kind in KINDS.values() if not kind.roles or kind.roles & roles]


def kind_label(code: str) -> str:
    kind = KINDS.get(code)
    return kind.label if kind else code

"""Demo content of the quality loop (idempotent): the survey pages of fixtures/quality/, answered
surveys for the ended demo sessions and for week 1 of the demonstration session (so that the
dashboards and the public results show real shapes), one accommodation and one closed
complaint."""

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from lms.models import User
from lms.seed import load_yaml, seed_home
from modules.models import Enrolment, TrainingSession

from . import rules, services
from .models import (
    Accommodation,
    Complaint,
    SurveyIndexPage,
    SurveyInvitation,
    SurveyPage,
    SurveyQuestion,
)

INDEX_INTRO = "Les questionnaires de satisfaction de la formation, envoyés à chaque stagiaire."
DEMO_SLUG = "demonstration-carcassonne"
MAIN_TRAINEE = "stagiaire@ensemblier.example"
# Scores lean satisfied with a tail, so that the charts have a shape (a fixed seed: the same
# demo on every machine).
SCORE_WEIGHTS = (1, 2, 6, 16, 14)
TEXTS = (
    "Les cas pratiques avec le simulateur, à garder.",
    "Plus de temps sur le plan de financement.",
    "Salle trop petite le mardi.",
    "Très concret, merci.",
    "",
)


def _say(stdout, text):
    if stdout is not None:
        stdout.write(text)


def seed_surveys(stdout=None) -> list[SurveyPage]:
    index = SurveyIndexPage.objects.first()
    if index is None:
        index = SurveyIndexPage(title="Questionnaires", slug="questionnaires", intro=INDEX_INTRO)
        seed_home().add_child(instance=index)
        index.save_revision().publish()
    pages = []
    for item in load_yaml("quality/surveys.yaml"):
        page = SurveyPage.objects.filter(slug=item["slug"]).first()
        if page is None:
            page = SurveyPage(
                title=item["title"],
                slug=item["slug"],
                moment=item["moment"],
                open_days=item.get("open_days", 14),
                follow_up_delay_days=item.get("follow_up_delay_days", 90),
                intro=item.get("intro", ""),
            )
            page.questions = [
                SurveyQuestion(
                    kind=question["kind"],
                    measure=question["measure"],
                    text=question["text"],
                    choices="\n".join(question.get("choices", [])),
                    required=question.get("required", False),
                    anonymous_allowed=question.get("anonymous_allowed", True),
                )
                for question in item["questions"]
            ]
            index.add_child(instance=page)
            page.save_revision().publish()
            _say(stdout, f"  questionnaire créé : {page.title}")
        pages.append(page)
    return pages


def _values(survey, rng: random.Random) -> dict:
    values = {}
    for question in survey.questions.all():
        if question.kind == rules.QuestionKind.SCALE:
            values[question.pk] = str(rng.choices(range(1, 6), weights=SCORE_WEIGHTS)[0])
        elif question.kind == rules.QuestionKind.CHOICE:
            values[question.pk] = rng.choice(question.choice_list)
        else:
            values[question.pk] = rng.choice(TEXTS)
    return values


def _answer_all(enrolments, surveys, rng, *, today, weeks=None):
    """Invite each enrolment to each window already open, and answer most of them."""
    answered = 0
    for enrolment in enrolments:
        session = enrolment.session
        starts = (session.week1_start, session.week2_start, session.week3_start)
        for survey in surveys:
            for window in rules.survey_windows(
                survey.moment,
                starts,
                open_days=survey.open_days,
                follow_up_delay_days=survey.follow_up_delay_days,
            ):
                if window.opens_on > today or (weeks is not None and window.week not in weeks):
                    continue
                invitation, created = SurveyInvitation.objects.get_or_create(
                    survey=survey,
                    enrolment=enrolment,
                    week=window.week,
                    defaults={"opens_on": window.opens_on, "closes_on": window.closes_on},
                )
                if not created or rng.random() < 0.15:  # some never answer
                    continue
                day = min(window.opens_on + datetime.timedelta(days=rng.randint(0, 3)), today)
                services.survey_answer(
                    trainee=enrolment.trainee,
                    invitation=invitation,
                    values=_values(survey, rng),
                    anonymous=rng.random() < 0.4,
                    today=day,
                )
                answered += 1
    return answered


def seed_answers(surveys, stdout=None, today=None) -> int:
    today = today or timezone.localdate()
    rng = random.Random(15)  # noqa: S311 - demo data
    ended = (
        Enrolment.objects.filter(status=Enrolment.Status.COMPLETED, session__week3_start__lt=today)
        .select_related("session", "trainee")
        .order_by("session__week1_start", "pk")
    )
    answered = _answer_all(ended, surveys, rng, today=today)
    # The demonstration session is in week 2: its week-1 survey is open; most of the group
    # answered, the demo trainee has not (the browser journey and the demo let them answer).
    demo = TrainingSession.objects.filter(slug=DEMO_SLUG).first()
    if demo is not None:
        others = (
            demo.enrolments.exclude(trainee__email=MAIN_TRAINEE)
            .select_related("session", "trainee")
            .order_by("pk")
        )
        weekly = [survey for survey in surveys if survey.moment == rules.Moment.WEEK]
        answered += _answer_all(others, weekly, rng, today=today, weeks={1})
    if answered:
        _say(stdout, f"  réponses aux questionnaires : {answered}")
    return answered


def seed_accommodation_and_complaint(stdout=None):
    referent = User.objects.filter(email="referent@ensemblier.example").first()
    trainee = User.objects.filter(email="ines.abadie@exemple.fr").first()
    if referent and trainee and not Accommodation.objects.filter(trainee=trainee).exists():
        services.accommodation_record(
            by=referent,
            trainee=trainee,
            time_factor=Decimal("1.33"),
            alternative_format="Sujets imprimés en police 16",
            room_note="Place au premier rang, près de la prise (ordinateur personnel)",
            confidential_note="Trouble dys, avis du médecin du travail vu le 2 mars.",
            consent_on=timezone.localdate() - datetime.timedelta(days=20),
            starts_on=timezone.localdate() - datetime.timedelta(days=20),
        )
        _say(stdout, "  aménagement créé : Inès Abadie (tiers-temps)")
    coordinator = User.objects.filter(email="coordination@ensemblier.example").first()
    demo = TrainingSession.objects.filter(slug=DEMO_SLUG).first()
    if coordinator and demo and not Complaint.objects.exists():
        complaint = services.complaint_file(
            by=None,
            kind=Complaint.Kind.COMPLAINT,
            filer_name="Mme Delmas (CCAS de Carcassonne)",
            filer_email="direction@ccas-carcassonne.example",
            filer_role=Complaint.FilerRole.EMPLOYER,
            session=demo,
            subject="Convocation reçue trois jours avant le début",
            description="Nos deux agents ont reçu leur convocation trop tard pour réorganiser "
            "leurs rendez-vous.",
        )
        for status, note in (
            ("acknowledged", ""),
            ("analysed", "Convocations envoyées à la confirmation du financement, trop tard."),
            ("answered", "Excuses présentées ; les convocations partent désormais 15 jours avant."),
            ("closed", ""),
        ):
            complaint = services.complaint_advance(
                by=coordinator, complaint=complaint, status=status, note=note
            )
        services.improvement_action_add(
            by=coordinator,
            complaint=complaint,
            description="Envoyer les convocations 15 jours avant, financement confirmé ou non.",
            owner="Coordination nationale",
        )
        _say(stdout, "  réclamation de démonstration traitée et clôturée")


@transaction.atomic
def seed(stdout=None):
    surveys = seed_surveys(stdout)
    seed_answers(surveys, stdout)
    seed_accommodation_and_complaint(stdout)

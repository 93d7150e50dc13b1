"""Reads of case studies and dossiers (querysets with what their pages need)."""

import datetime
from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal
from types import MappingProxyType

from django.db.models import Prefetch

from lms import shared
from lms.prepared import Prepared
from lms.roles import is_trainer
from modules import access

from .milestones import MILESTONE_COMPETENCIES, MILESTONE_ORDER
from .models import (
    CaseStudyPage,
    Dossier,
    DossierField,
    DossierMilestone,
    MilestoneStatus,
    Submission,
)
from .permissions import reviewable_dossiers, visible_dossiers


def competency_evidence(trainee_ids) -> dict[int, dict[str, list[Decimal]]]:
    """For each trainee: {competency code: [scores in percent of their ACCEPTED milestones]}.

    Identifier → C1; Organiser et financer → C2 and C3; Réaliser et suivre → C4 and C5. The
    score of a milestone is fixed when the trainer accepts it (casestudies.grading: 40 %
    agreement with the simulator + 60 % trainer rubric, or the rubric alone for Réaliser et
    suivre). One query whatever the number of trainees. Trainees without evidence map to {}.
    """
    ids = list(trainee_ids)
    evidence: dict[int, dict[str, list[Decimal]]] = {trainee_id: {} for trainee_id in ids}
    rows = (
        DossierMilestone.objects.filter(
            dossier__trainee_id__in=ids, status=MilestoneStatus.VALIDATED, score__isnull=False
        )
        .order_by("dossier__trainee_id", "updated_at", "pk")
        .values_list("dossier__trainee_id", "milestone", "score")
    )
    for trainee_id, milestone, score in rows:
        for code in MILESTONE_COMPETENCIES[milestone]:
            evidence[trainee_id].setdefault(code, []).append(Decimal(score))
    return evidence


def live_case_studies():
    return CaseStudyPage.objects.live().order_by("path")


def trainee_dossiers(user):
    """The trainee's own dossiers with their case study and milestones."""
    return (
        Dossier.objects.filter(trainee=user)
        .select_related("case_study")
        .prefetch_related(Prefetch("milestones", queryset=DossierMilestone.objects.order_by("pk")))
        .order_by("-last_activity_at")
    )


def dossier_for_page(user, pk):
    """A dossier the user may read, with case study, trainee and milestones loaded."""
    from .permissions import get_visible_dossier

    return get_visible_dossier(user, pk, Dossier.objects.select_related("case_study", "trainee"))


# What the dossier page reads of the case study and the trainee outside the household (which
# `full_case_study` loads when its stored fragment is missing): the title, the check limit,
# and the fields base.html reads of `page`.
DOSSIER_PAGE_FIELDS = (
    "id", "trainee_id", "case_study_id", "enrolment_id", "created_at", "last_activity_at",
    "case_study__title", "case_study__seo_title", "case_study__search_description",
    "case_study__simulator_check_limit", "case_study__filed_on",
    "trainee__first_name", "trainee__last_name", "trainee__email",
)  # fmt: skip


def dossier_for_display(user, pk):
    """`dossier_for_page` for the trainee's page (GET): the case study's and the trainee's
    fields it reads, not the whole rows (a case study is a Wagtail page: two tables of some
    forty columns, its StreamField narrative and facts; two thirds of the dossier's query time,
    for a title). Any other field read is loaded when read (one query each): Wagtail's userbar
    for the people who run the training reads the page's tree fields, hence
    `dossier_for_page` for them."""
    from .permissions import get_visible_dossier

    return get_visible_dossier(
        user,
        pk,
        Dossier.objects.select_related("case_study", "trainee").only(*DOSSIER_PAGE_FIELDS),
    )


def full_case_study(case_study) -> CaseStudyPage:
    """`case_study` with every field (one query when it was loaded partly)."""
    if not case_study.get_deferred_fields():
        return case_study
    return CaseStudyPage.objects.get(pk=case_study.pk)


def dossier_answers(dossier) -> dict[str, dict]:
    """{milestone: {field name: raw value}} in one query."""
    return dossier_answers_and_versions(dossier)[0]


def dossier_answers_and_versions(dossier) -> tuple[dict[str, dict], dict[str, dict[str, int]]]:
    """({milestone: {name: raw value}}, {milestone: {name: version}}) in one query."""
    answers: dict[str, dict] = defaultdict(dict)
    versions: dict[str, dict[str, int]] = defaultdict(dict)
    rows = DossierField.objects.filter(dossier=dossier).values_list(
        "milestone", "name", "value", "version"
    )
    for milestone, name, value, version in rows:
        answers[milestone][name] = value
        versions[milestone][name] = version
    return answers, versions


def dossier_states(dossier) -> dict[str, DossierMilestone]:
    """{milestone: DossierMilestone}, without their submissions (`milestone_submissions`)."""
    return {m.milestone: m for m in DossierMilestone.objects.filter(dossier=dossier)}


def milestone_submissions(state: DossierMilestone) -> list[Submission]:
    """A milestone's submissions, oldest first, with the names of who decided (one query)."""
    return list(
        Submission.objects.filter(dossier_milestone=state)
        .select_related("decided_by")
        .order_by("submitted_at")
    )


def dossier_milestones(dossier) -> dict[str, DossierMilestone]:
    """{milestone: DossierMilestone} with their submissions (and deciders) prefetched."""
    milestones = DossierMilestone.objects.filter(dossier=dossier).prefetch_related(
        Prefetch(
            "submissions",
            queryset=Submission.objects.select_related("decided_by").order_by("submitted_at"),
        )
    )
    return {m.milestone: m for m in milestones}


def trainer_sessions(user):
    """Sessions whose dossiers `user` follows (`modules.access.managed_sessions`)."""
    return access.managed_sessions(user).order_by("-week1_start", "name")


def review_rows(user, *, session=None):
    """Dossiers a trainer reviews, or a coordinator reads (optionally those begun in one
    session), with their milestones, newest first."""
    if user.is_superuser or is_trainer(user):
        dossiers = reviewable_dossiers(user)
    else:
        dossiers = visible_dossiers(user).exclude(trainee=user)
    if session is not None:
        dossiers = dossiers.filter(enrolment__session=session)
    return (
        dossiers.select_related("case_study", "trainee")
        .prefetch_related(Prefetch("milestones", queryset=DossierMilestone.objects.order_by("pk")))
        .order_by("-last_activity_at")
    )


def milestones_in_order(dossier) -> list[DossierMilestone]:
    """The dossier's prefetched milestones in workflow order."""
    by_name = {m.milestone: m for m in dossier.milestones.all()}
    return [by_name[m] for m in MILESTONE_ORDER if m in by_name]


def _milestones_query(trainee_id):
    return (
        DossierMilestone.objects.filter(dossier__trainee_id=trainee_id)
        .order_by("-dossier__last_activity_at", "dossier_id", "pk")
        .values_list(
            "dossier_id", "dossier__case_study_id", "dossier__case_study__title", "milestone",
            "status",
        )
    )  # fmt: skip


_MILESTONES = Prepared(_milestones_query)


def pending_milestones(user) -> list[tuple[int, int, str, list[tuple[str, str]]]]:
    """The trainee's dossiers with a milestone sent back or still to submit, most recently
    active first: (dossier id, case study id, case study title, [(milestone, status)] by
    creation). One query, no model instances, compiled once ("Aujourd'hui" asks on every
    visit: lms.prepared)."""
    dossiers: dict[int, tuple[int, int, str, list[tuple[str, str]]]] = {}
    for dossier_id, case_study_id, title, milestone, status in _MILESTONES.rows(user.pk):
        entry = dossiers.setdefault(dossier_id, (dossier_id, case_study_id, title, []))
        entry[3].append((milestone, status))
    pending = {MilestoneStatus.SENT_BACK, MilestoneStatus.IN_PROGRESS}
    return [
        entry for entry in dossiers.values() if any(status in pending for _, status in entry[3])
    ]


def session_case_study_deadlines(session_id) -> Mapping[int, datetime.date]:
    """`case_study_deadlines` for every case study, shared by the session's trainees
    (lms.shared: built once per state of the site, read only)."""
    ids = CaseStudyPage.objects.values_list("pk", flat=True)
    return shared.shared(
        "case-study-deadlines",
        session_id,
        lambda: MappingProxyType(case_study_deadlines(list(ids), session_id)),
        generation=shared.generation(),
    )


def case_study_deadlines(case_study_ids, session_id) -> dict[int, datetime.date]:
    """The last day the session teaches a module each case study serves: the dossier's
    deadline (two queries; case studies serving no module of the session have none)."""
    from modules.models import SessionSlot

    modules_of: dict[int, set[int]] = {}
    for case_id, module_id in CaseStudyPage.modules.through.objects.filter(
        casestudypage_id__in=list(case_study_ids)
    ).values_list("casestudypage_id", "modulepage_id"):
        modules_of.setdefault(case_id, set()).add(module_id)
    if not modules_of:
        return {}
    last_day: dict[int, datetime.date] = {}
    for module_id, day in SessionSlot.modules.through.objects.filter(
        sessionslot__session_id=session_id,
        modulepage_id__in={m for modules in modules_of.values() for m in modules},
    ).values_list("modulepage_id", "sessionslot__date"):
        last_day[module_id] = max(day, last_day.get(module_id, day))
    deadlines = {}
    for case_id, modules in modules_of.items():
        days = [last_day[m] for m in modules if m in last_day]
        if days:
            deadlines[case_id] = max(days)
    return deadlines

"""The awareness course from fixtures/awareness/course.yaml (idempotent: a page that exists is
left as the editors made it)."""

from pathlib import Path

from django.conf import settings
from django.db import transaction

import yaml

from lms.seed import seed_home

from .models import CourseIndexPage, LessonPage

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "awareness" / "course.yaml"


def load_course(path: Path = FIXTURE) -> dict:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _self_checks(questions: list[dict]) -> list[tuple[str, dict]]:
    return [
        (
            "question",
            {
                "question": q["question"],
                "multiple": bool(q.get("multiple")),
                "choices": [
                    {"text": c["text"], "correct": bool(c["correct"])} for c in q["choices"]
                ],
                "explanation": q["explanation"],
            },
        )
        for q in questions
    ]


@transaction.atomic
def seed(stdout=None) -> CourseIndexPage:
    data = load_course()
    course = CourseIndexPage.objects.first()
    if course is None:
        course = CourseIndexPage(title=data["title"], slug=data["slug"], intro=data["intro"])
        seed_home().add_child(instance=course)
        course.save_revision().publish()
        if stdout:
            stdout.write(f"  parcours créé : {course.title}")
    for lesson in data["lessons"]:
        if LessonPage.objects.filter(slug=lesson["slug"]).exists():
            continue
        page = LessonPage(
            title=lesson["title"],
            slug=lesson["slug"],
            summary=lesson["summary"],
            minutes=lesson["minutes"],
            body=[("markdown", lesson["body"])],
            self_checks=_self_checks(lesson["questions"]),
        )
        course.add_child(instance=page)
        page.save_revision().publish()
    return course

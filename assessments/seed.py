"""Seed the assessments: the index page at /evaluations/ and the five assessments written in
fixtures/assessments/*.yaml (idempotent; an existing assessment is left as authors edited it).

Each file is checked as the admin form would check it: a bad file fails with its name, the
question number and the field.
"""

from pathlib import Path

from django.conf import settings
from django.db import transaction

import yaml

from lms.seed import seed_home
from modules.models import Competency, ModulePage

from .grading import Kind, QuestionDraft, parse_decimal_fr, validate_question
from .models import AssessmentIndexPage, AssessmentPage, Choice, Question, RubricCriterion

FIXTURE_DIR = Path(settings.BASE_DIR) / "fixtures" / "assessments"
ORDER = [
    "positionnement",
    "quiz-semaine-1",
    "quiz-semaine-2",
    "quiz-semaine-3",
    "evaluation-finale",
]
INDEX_INTRO = (
    "Le test de positionnement avant le premier jour, un quiz à la fin de chaque semaine et "
    "l'évaluation finale de certification. Vos réponses sont enregistrées au fur et à mesure."
)


class SeedError(ValueError):
    pass


def _fail(path: Path, where: str, message: str):
    raise SeedError(f"{path.name}, {where} : {message}")


def _require(data: dict, key: str, path: Path, where: str):
    if key not in data or data[key] in (None, ""):
        _fail(path, where, f"le champ « {key} » est obligatoire.")
    return data[key]


def load_assessment_file(path: Path) -> dict:
    """Read and check one file; returns its data (questions' numbers parsed)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f"ligne {mark.line + 1}" if mark else "fichier"
        _fail(path, line, f"YAML invalide ({getattr(error, 'problem', error)}).")
    if not isinstance(data, dict):
        _fail(path, "fichier", "le fichier doit décrire une évaluation (clés slug, title…).")
    for key in ("slug", "title", "kind", "questions"):
        _require(data, key, path, "en-tête")
    kinds = {choice.value for choice in AssessmentPage.Kind}
    if data["kind"] not in kinds:
        _fail(
            path,
            "champ kind",
            f"« {data['kind']} » n'est pas un type connu ({', '.join(sorted(kinds))}).",
        )
    feedbacks = {choice.value for choice in AssessmentPage.Feedback}
    if data.get("feedback", "after_submit") not in feedbacks:
        _fail(path, "champ feedback", f"« {data['feedback']} » n'est pas une valeur connue.")
    attempts = data.get("attempts_allowed", 1)
    if not isinstance(attempts, int) or attempts < 1:
        _fail(path, "champ attempts_allowed", "un entier d'au moins 1 est attendu.")
    mark = data.get("pass_mark_percent", 60)
    if not isinstance(mark, int) or not 0 <= mark <= 100:
        _fail(path, "champ pass_mark_percent", "un entier entre 0 et 100 est attendu.")
    limit = data.get("time_limit_minutes")
    if limit is not None and (not isinstance(limit, int) or limit < 1):
        _fail(
            path, "champ time_limit_minutes", "un nombre de minutes (entier) ou null est attendu."
        )
    draw = data.get("draw_per_competency")
    if draw is not None and (not isinstance(draw, int) or draw < 1):
        _fail(path, "champ draw_per_competency", "un entier d'au moins 1 ou null est attendu.")
    questions = data["questions"]
    if not isinstance(questions, list) or not questions:
        _fail(path, "champ questions", "une liste d'au moins une question est attendue.")
    codes = set(Competency.objects.values_list("code", flat=True))
    for number, question in enumerate(questions, start=1):
        where = f"question {number}"
        if not isinstance(question, dict):
            _fail(path, where, "chaque question doit être un objet (kind, competency, points…).")
        if question.get("competency") not in codes:
            _fail(
                path,
                f"{where}, champ competency",
                f"« {question.get('competency')} » n'est pas une compétence "
                f"({', '.join(sorted(codes))}).",
            )
        draft = QuestionDraft(
            kind=question.get("kind", ""),
            points=question.get("points"),
            competency=question.get("competency"),
            text=question.get("text", ""),
            choices=tuple(
                (item.get("text", ""), bool(item.get("correct")))
                if isinstance(item, dict)
                else ("", False)
                for item in question.get("choices") or []
            ),
            answer_bool=question.get("answer") if question.get("kind") == Kind.TRUE_FALSE else None,
            answer_number=question.get("answer") if question.get("kind") == Kind.NUMERIC else None,
            tolerance=question.get("tolerance"),
            accepted_answers=tuple(str(a) for a in question.get("accepted_answers") or []),
            rubric=tuple(
                (item.get("criterion", ""), item.get("points"))
                if isinstance(item, dict)
                else ("", None)
                for item in question.get("rubric") or []
            ),
        )
        if not isinstance(question.get("fixed_choice_order", False), bool):
            _fail(path, f"{where}, champ fixed_choice_order", "true ou false est attendu.")
        if draft.kind == Kind.TRUE_FALSE and not isinstance(question.get("answer"), bool):
            _fail(path, f"{where}, champ answer", "true ou false est attendu.")
        errors = validate_question(draft)
        if errors:
            field, message = next(iter(errors.items()))
            yaml_field = {"answer_bool": "answer", "answer_number": "answer"}.get(field, field)
            _fail(path, f"{where}, champ {yaml_field}", message)
    return data


def _build_page(data: dict) -> AssessmentPage:
    competencies = {c.code: c for c in Competency.objects.all()}
    page = AssessmentPage(
        title=data["title"],
        slug=data["slug"],
        kind=data["kind"],
        intro=data.get("intro", ""),
        time_limit_minutes=data.get("time_limit_minutes"),
        attempts_allowed=data.get("attempts_allowed", 1),
        pass_mark_percent=data.get("pass_mark_percent", 60),
        feedback=data.get("feedback", AssessmentPage.Feedback.AFTER_SUBMIT),
        one_question_per_page=bool(data.get("one_question_per_page", False)),
        draw_per_competency=data.get("draw_per_competency"),
    )
    questions = []
    for order, item in enumerate(data["questions"]):
        kind = item["kind"]
        question = Question(
            sort_order=order,
            kind=kind,
            competency=competencies[item["competency"]],
            points=parse_decimal_fr(item["points"]),
            text=item["text"].strip(),
            explanation=(item.get("explanation") or "").strip(),
            answer_bool=item.get("answer") if kind == Kind.TRUE_FALSE else None,
            answer_number=parse_decimal_fr(item.get("answer")) if kind == Kind.NUMERIC else None,
            tolerance=parse_decimal_fr(item.get("tolerance")) or 0,
            unit=item.get("unit") or "",
            accepted_answers="\n".join(str(a) for a in item.get("accepted_answers") or []),
            fixed_choice_order=bool(item.get("fixed_choice_order", False)),
        )
        question.choices = [
            Choice(sort_order=index, text=choice["text"], correct=bool(choice.get("correct")))
            for index, choice in enumerate(item.get("choices") or [])
        ]
        question.rubric_criteria = [
            RubricCriterion(
                sort_order=index,
                criterion=criterion["criterion"],
                points=parse_decimal_fr(criterion["points"]),
            )
            for index, criterion in enumerate(item.get("rubric") or [])
        ]
        questions.append(question)
    page.questions = questions
    page.modules = list(ModulePage.objects.filter(number__in=data.get("modules") or []))
    return page


def fixture_paths() -> list[Path]:
    paths = {path.stem: path for path in FIXTURE_DIR.glob("*.yaml")}
    ordered = [paths.pop(name) for name in ORDER if name in paths]
    return ordered + [paths[name] for name in sorted(paths)]


def seed_index() -> AssessmentIndexPage:
    index = AssessmentIndexPage.objects.first()
    if index is not None:
        return index
    home = seed_home()
    index = AssessmentIndexPage(title="Évaluations", slug="evaluations", intro=INDEX_INTRO)
    home.add_child(instance=index)
    index.save_revision().publish()
    return index


@transaction.atomic
def seed(stdout=None) -> list[AssessmentPage]:
    index = seed_index()
    pages = []
    for path in fixture_paths():
        data = load_assessment_file(path)
        page = AssessmentPage.objects.filter(slug=data["slug"]).first()
        if page is None:
            page = _build_page(data)
            index.add_child(instance=page)
            page.save_revision().publish()
            if stdout:
                stdout.write(
                    f"  évaluation créée : {page.title} ({len(data['questions'])} questions)"
                )
        elif not page.modules.exists() and data.get("modules"):
            # Module pages seeded after the assessments: link them now.
            modules = list(ModulePage.objects.filter(number__in=data["modules"]))
            if modules:
                page.modules.set(modules)
                page.save_revision().publish()
        pages.append(page)
    from .awareness.seed import seed as seed_awareness
    from .certification.seed import seed_certification

    seed_certification(stdout)
    seed_awareness(stdout)
    from .quality.seed import seed as seed_quality

    seed_quality(stdout)
    return pages

"""Freeze the answers of existing attempts: copy each question's id and its current content.

Attempts started before snapshots existed are frozen with their questions as they are now (the
best record available); an answer whose question was already deleted keeps a minimal snapshot
(competency and points, `deleted`) and scores 0, as before. The format is the one of
`assessments.grading.spec_to_snapshot` (version 1), written out here so that the migration does
not change if that code does.
"""

from django.db import migrations


def _snapshot(question, answer):
    if question is None:
        return {
            "v": 1, "key": 0, "kind": "short_text", "competency": answer.competency_code,
            "points": str(answer.max_points), "text": "(question supprimée avant l'envoi)",
            "explanation": "", "unit": "", "choices": [], "answer_bool": None,
            "answer_number": None, "tolerance": "0", "accepted_answers": [],
            "rubric": [], "deleted": True,
        }  # fmt: skip
    return {
        "v": 1,
        "key": question.pk,
        "kind": question.kind,
        "competency": answer.competency_code,
        "points": str(answer.max_points),
        "text": question.text,
        "explanation": question.explanation,
        "unit": question.unit,
        "choices": [
            {"key": c.pk, "text": c.text, "correct": c.correct}
            for c in question.choices.order_by("sort_order", "pk")
        ],
        "answer_bool": question.answer_bool,
        "answer_number": None if question.answer_number is None else str(question.answer_number),
        "tolerance": str(question.tolerance or 0),
        "accepted_answers": [
            line.strip() for line in question.accepted_answers.splitlines() if line.strip()
        ],
        "rubric": [
            {"criterion": r.criterion, "points": str(r.points)}
            for r in question.rubric_criteria.order_by("sort_order", "pk")
        ],
    }


def backfill(apps, schema_editor):
    Answer = apps.get_model("assessments", "Answer")
    for answer in Answer.objects.filter(snapshot__isnull=True).select_related("question"):
        answer.snapshot = _snapshot(answer.question, answer)
        answer.question_key = answer.question_id
        answer.save(update_fields=["snapshot", "question_key"])


class Migration(migrations.Migration):
    dependencies = [("assessments", "0006_frozen_attempts_shuffle_draw_late")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]

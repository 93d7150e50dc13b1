"""Forms: the admin form of an assessment (checks each question) and the rubric grading form."""

from django import forms

from wagtail.admin.forms import WagtailAdminPageForm

from .grading import QuestionDraft, validate_question


def _live_forms(formset):
    """The bound forms of a formset that the author did not mark for deletion."""
    formset.is_valid()  # cleans every form (cached), so that cleaned_data exists
    return [
        form
        for form in formset.forms
        if not (formset.can_delete and formset._should_delete_form(form))
        and getattr(form, "cleaned_data", None)
    ]


class AssessmentPageForm(WagtailAdminPageForm):
    """Validates each question with its choices and rubric, with French messages."""

    def clean(self):
        cleaned = super().clean()
        questions = self.formsets.get("questions")
        if questions is None:
            return cleaned
        invalid = 0
        for number, question_form in enumerate(_live_forms(questions), start=1):
            data = question_form.cleaned_data
            choices = tuple(
                (form.cleaned_data.get("text", ""), form.cleaned_data.get("correct", False))
                for form in _live_forms(question_form.formsets["choices"])
            )
            rubric = tuple(
                (form.cleaned_data.get("criterion", ""), form.cleaned_data.get("points"))
                for form in _live_forms(question_form.formsets["rubric_criteria"])
            )
            competency = data.get("competency")
            draft = QuestionDraft(
                kind=data.get("kind", ""),
                points=data.get("points"),
                competency=competency.code if competency else None,
                text=data.get("text", ""),
                choices=choices,
                answer_bool=data.get("answer_bool"),
                answer_number=data.get("answer_number"),
                tolerance=data.get("tolerance"),
                accepted_answers=tuple((data.get("accepted_answers") or "").splitlines()),
                rubric=rubric,
            )
            errors = validate_question(draft)
            for field, message in errors.items():
                target = field if field in question_form.fields else None
                if target and target in question_form.errors:
                    continue
                question_form.add_error(target, f"Question {number} : {message}")
            invalid += bool(errors)
        if invalid:
            self.add_error(
                None,
                f"{invalid} question(s) à corriger : voir les messages sous chaque question.",
            )
        return cleaned


class RubricGradingForm(forms.Form):
    """One number field per rubric criterion, plus a comment. Validation is in the service."""

    comment = forms.CharField(
        label="Commentaire pour le stagiaire",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, criteria, initial_scores=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        initial_scores = initial_scores or []
        for index, criterion in enumerate(self.criteria):
            field = forms.CharField(
                label=criterion.criterion,
                required=False,
                help_text=f"sur {criterion.points_label}",
                widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 5}),
            )
            if index < len(initial_scores) and initial_scores[index] is not None:
                field.initial = str(initial_scores[index]).replace(".", ",")
            self.fields[f"criterion_{index}"] = field
            field.criterion = criterion

    @property
    def criterion_fields(self):
        return [self[f"criterion_{index}"] for index in range(len(self.criteria))]

    def raw_scores(self) -> list[str]:
        return [self.data.get(f"criterion_{index}", "") for index in range(len(self.criteria))]

# ruff: noqa: F401  (re-exports: each models module adds its own line below)
# The certification models live in their sub-package and are registered under the `assessments`
# app label from here.
from ..certification.models import CertificateNumberCounter, Certification, NationalTargetSettings
from .assessment import AssessmentIndexPage, AssessmentPage, Choice, Question, RubricCriterion
from .attempt import Answer, Attempt
from .competency import CompetencyDecision, CompetencyResult

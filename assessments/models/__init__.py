# ruff: noqa: F401  (re-exports: each models module adds its own line below)
from .assessment import AssessmentIndexPage, AssessmentPage, Choice, Question, RubricCriterion
from .attempt import Answer, Attempt
from .certification import CertificateNumberCounter, Certification, NationalTargetSettings
from .competency import CompetencyDecision, CompetencyResult

# ruff: noqa: F401  (re-exports: each models module adds its own line below)
from .accommodation import Accommodation
from .complaint import Complaint, ComplaintStep, ImprovementAction
from .pack import EvidencePack
from .survey import (
    SurveyAnswer,
    SurveyIndexPage,
    SurveyInvitation,
    SurveyPage,
    SurveyQuestion,
    SurveyResponse,
)

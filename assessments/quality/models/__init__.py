# ruff: noqa: F401  (re-exports: each models module adds its own line below)
from .accommodation import Accommodation
from .complaint import Complaint, ComplaintStep, ImprovementAction

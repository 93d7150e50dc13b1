from .attendance import Attendance, AttendanceCorrection, DeferredSignature
from .programme import Competency, ModulePage, ProgrammePage, SessionCalendarPage, TimetableSlot
from .sessions import Enrolment, SessionSlot, SessionSlotModule, TrainingSession

__all__ = [
    "Attendance",
    "AttendanceCorrection",
    "Competency",
    "DeferredSignature",
    "Enrolment",
    "ModulePage",
    "ProgrammePage",
    "SessionCalendarPage",
    "SessionSlot",
    "SessionSlotModule",
    "TimetableSlot",
    "TrainingSession",
]

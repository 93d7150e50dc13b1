from .attendance import Attendance, AttendanceCorrection
from .programme import Competency, ModulePage, ProgrammePage, SessionCalendarPage, TimetableSlot
from .sessions import Enrolment, SessionSlot, SessionSlotModule, TrainingSession

__all__ = [
    "Attendance",
    "AttendanceCorrection",
    "Competency",
    "Enrolment",
    "ModulePage",
    "ProgrammePage",
    "SessionCalendarPage",
    "SessionSlot",
    "SessionSlotModule",
    "TimetableSlot",
    "TrainingSession",
]

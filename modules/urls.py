"""The modules app's URLs, in two files so that the programme and attendance parts evolve apart."""

from .urls_attendance import urlpatterns as attendance_patterns
from .urls_programme import urlpatterns as programme_patterns

app_name = "modules"

urlpatterns = programme_patterns + attendance_patterns

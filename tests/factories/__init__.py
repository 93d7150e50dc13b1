"""Factories for every model the tests build, one module per app (smoke-tested)."""

from .assessments import *  # noqa: F403
from .casestudies import *  # noqa: F403
from .certification import *  # noqa: F403
from .lms import *  # noqa: F403
from .modules import *  # noqa: F403
from .quality import *  # noqa: F403

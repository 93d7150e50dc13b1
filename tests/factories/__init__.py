"""Factories for every model the tests build, one module per app (smoke-tested)."""

from .lms import *  # noqa: F403
from .modules import *  # noqa: F403

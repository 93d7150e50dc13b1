import logging
import os

from django.core import checks
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.production")

application = get_wsgi_application()

# What would fail at first use is said when the server starts (the checks tagged "startup",
# deployment checks included: the badge keyring, say), without refusing to serve the rest of
# the site; `manage.py check --deploy` refuses them before a deployment.
for _problem in checks.run_checks(tags=["startup"], include_deployment_checks=True):
    logging.getLogger("lms.startup").critical(
        "%s (%s) %s", _problem.msg, _problem.id, _problem.hint or ""
    )

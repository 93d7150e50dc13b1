"""Wagtail's own spreadsheet exports (site history, aging pages, workflow reports…) neutralise
formula cells like every export of the project (issue 10, item 5; found by QA: a page title or a
staff member's name starting with `=` reached the coordinator's CSV unchanged)."""

import csv
import io

from wagtail.log_actions import log

import pytest

from lms.csvfiles import looks_like_formula

pytestmark = pytest.mark.django_db
TITLE = '=HYPERLINK("http://evil.example","Cliquez")'


@pytest.mark.parametrize("report", ["site-history", "aging-pages"])
def test_admin_csv_exports_neutralise_formula_cells(
    client_as, coordinator, trainer, home_page, report
):
    trainer.first_name, trainer.last_name = "@SUM(A1)", "-2+3"
    trainer.save()
    home_page.title = TITLE
    home_page.save_revision(user=trainer).publish(user=trainer, skip_permission_checks=True)
    log(instance=home_page, action="wagtail.edit", user=trainer)
    response = client_as(coordinator).get(f"/admin/reports/{report}/?export=csv")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8")
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert any("HYPERLINK" in cell for cell in cells)
    assert not [cell for cell in cells if looks_like_formula(cell)]

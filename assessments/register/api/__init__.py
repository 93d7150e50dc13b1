"""The open register API (django-ninja), version 1, mounted at /api/v1/ (`urls.py`).

Read-only JSON for anyone: certified ensembliers who consent to be listed, public sessions and
aggregate figures. French paths and fields, like the site. What each response promises is in
the OpenAPI document (/api/v1/openapi.json) and the interactive documentation (/api/v1/docs).
Cross-cutting behaviour (ETags, throttling, French errors) is in `http.py`; decisions in
docs/decisions.md, "Issue 17 — register API".
"""

"""In-app notifications and their e-mails (issue 14, helper "notify").

The one entry point for other apps is `lms.notifications.services.notify`; see
docs/decisions.md, "Issue 14 items 3 and 4 — notifications, welcome e-mails, agendas (notify)".
"""

"""Certification: competency results, certification rules and decisions, certificates, their
public verification, the national tracker and public results.

Layout: `rules` (pure rules, no ORM), `tracker` (pure tracker maths), `models` (registered under
the `assessments` app label through `assessments.models`), `selectors` (reads), `services`
(writes), `forms`, `views`, `urls`, `hooks` (start-up registrations), `seed` (demo data).

Kept empty of imports so that `assessments.models` can import `certification.models` early.
"""

"""What a credential states, for both kinds of document: one reading (`services.facts_of`)
serves certificates and awareness attestations, each field from its own place."""

import datetime

from assessments.credentials import openbadges, services


def test_certificate_facts_come_from_the_certificate(certification, holder):
    certification.issued_on = None  # not printed yet: issued on the decision's date
    record = services.record_for(certification)
    facts = services.facts_of(certification, record)
    assert facts.kind == openbadges.CERTIFICATE
    assert facts.number == certification.number
    assert (facts.holder_id, facts.holder_email) == (holder.pk, holder.email)
    assert facts.holder_name == certification.holder_name
    assert facts.awarded_on == facts.issued_on == datetime.date(2026, 3, 20)
    assert facts.title == certification.programme_title
    assert facts.competencies == tuple(certification.competency_pairs)
    assert (facts.salt, facts.status_index) == (record.salt, record.status_index)


def test_attestation_facts_come_from_the_attestation(attestation, volunteer):
    record = services.record_for(attestation)
    facts = services.facts_of(attestation, record)
    assert facts.kind == openbadges.ATTESTATION
    assert facts.number == "SEN-2026-00007-K7QF"
    assert (facts.holder_id, facts.holder_email) == (volunteer.pk, "louise@exemple.fr")
    assert facts.holder_name == "Louise Mercier"
    assert facts.awarded_on == facts.issued_on == datetime.date(2026, 4, 2)
    assert facts.title == "Repérer la précarité énergétique"
    assert facts.competencies == ()
    assert (facts.salt, facts.status_index) == (record.salt, record.status_index)

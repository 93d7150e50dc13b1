"""Issue 16: the open awareness course ("Sensibilisation au repérage"), the repérage checklist
and its referrals, and the attestation of people sensibilised (app label `awareness`)."""

"""The open register of certified ensembliers (issue 17, part 2): each person's consent to be
listed, with its dated history, and the read-only JSON API under /api/v1/ (`api/`)."""

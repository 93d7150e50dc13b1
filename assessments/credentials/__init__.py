"""Open Badges 3.0 verifiable credentials of certificates and awareness attestations (issue 17).

Layout: `bitstring` (W3C Bitstring Status List encoding, pure), `openbadges` (the credential,
issuer profile and status list documents, pure), `keys` (the Ed25519 keyring file, JWKS),
`models` (the status list index and salt of each issued credential), `services` (issuing,
signing, the cached status list), `verification` (reading and checking an uploaded credential),
`badge` (the PNG badge: drawing, baking, reading), `forms`, `views`, `urls`.
"""

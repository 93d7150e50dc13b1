"""What the person agrees to, word for word: shown on the consent page and stored with each
consent given (the proof of what was agreed to). Change it only with a new wording: the events
keep the text each person saw."""

PUBLISHED_FIELDS = (
    ("Nom", "vos prénom et nom, tels qu'imprimés sur votre certificat"),
    ("Territoire", "le territoire de la session où vous avez été certifié·e"),
    ("Structure", "la structure employeuse indiquée sur votre compte"),
    ("Année de certification", "l'année de la décision de certification"),
    (
        "Statut du certificat",
        "valide ou révoqué, avec son numéro public (celui de la page de vérification)",
    ),
)

CONSENT_WORDING = (
    "J'accepte que le collectif STOP Exclusion Énergétique publie dans le registre public des "
    "ensembliers certifiés, consultable par tous et réutilisable (données ouvertes, /api/v1/) : "
    + "; ".join(f"{label.lower()} ({detail})" for label, detail in PUBLISHED_FIELDS)
    + ". Rien d'autre n'est publié (ni adresse e-mail, ni téléphone, ni résultats). Je peux "
    "retirer cet accord à tout moment depuis mon compte : je disparais alors du registre dès "
    "la requête suivante."
)

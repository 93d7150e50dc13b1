"""Text as people send it, made storable: PostgreSQL refuses NUL characters in text and JSON
(a NUL in any posted value was a 500). No person types one; a NUL is removed before storing and
the form says so in French (`NUL_MESSAGE`), the rest of the value is kept as typed."""

NUL = "\x00"
NUL_MESSAGE = "Caractère invisible non autorisé (octet nul) : il a été retiré du texte."


def without_nul(value):
    """`value` with NUL characters removed, through lists and dicts (JSON drafts)."""
    if isinstance(value, str):
        return value.replace(NUL, "")
    if isinstance(value, list | tuple):
        return type(value)(without_nul(item) for item in value)
    if isinstance(value, dict):
        return {without_nul(key): without_nul(item) for key, item in value.items()}
    return value


def has_nul(value) -> bool:
    return without_nul(value) != value


def refuse_nul_in_path(get_response):
    """Middleware: a URL path holding a NUL ("/certificats/verifier/%00/") names no page; it is
    a 404 before any view sends it to PostgreSQL (which refuses NUL: a 500). Query strings and
    posted values are left to the forms, which refuse NUL in French."""
    from django.http import HttpResponseNotFound

    def middleware(request):
        if NUL in request.path_info:
            return HttpResponseNotFound(
                "Page introuvable.", content_type="text/plain; charset=utf-8"
            )
        return get_response(request)

    return middleware

"""Which uploaded documents anyone may download.

Documents are served by Wagtail's view (`WAGTAILDOCS_SERVE_METHOD = "serve_view"`, the files
themselves are not served directly: docs/deployment.md). A document is public only when it sits
in the collection named `PUBLIC_COLLECTION_NAME` (created by lms.0009) or below it; any other
document needs a permission check, made by the `before_serve_document` hook that the programme
app registers (modules/documents.py). Renaming the collection makes its documents private: the
rule fails closed.
"""

PUBLIC_COLLECTION_NAME = "Documents publics"


def is_public_document(document) -> bool:
    """True when `document` (a Wagtail document) is in the public collection or below it."""
    collection = document.collection
    return collection.get_ancestors(inclusive=True).filter(name=PUBLIC_COLLECTION_NAME).exists()

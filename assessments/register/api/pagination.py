"""Page-number pagination with French fields, a bounded page size and links to the next and
previous pages (the request's other parameters kept)."""

import math
from typing import Any
from urllib.parse import urlencode

from ninja import Field, Schema
from ninja.pagination import PaginationBase

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 100
MAX_PAGE = 100_000  # far beyond any real list; keeps offsets in range of every database


class Pages(PaginationBase):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE, description="Numéro de la page, à partir de 1.")
        par_page: int = Field(
            DEFAULT_PAGE_SIZE,
            ge=1,
            le=MAX_PAGE_SIZE,
            description=f"Éléments par page (au plus {MAX_PAGE_SIZE}).",
        )

    class Output(Schema):
        total: int = Field(description="Nombre d'éléments correspondant aux filtres.")
        page: int
        par_page: int
        pages: int = Field(description="Nombre de pages.")
        suivante: str | None = Field(description="Adresse de la page suivante, ou null.")
        precedente: str | None = Field(description="Adresse de la page précédente, ou null.")
        resultats: list[Any]

    items_attribute = "resultats"

    def paginate_queryset(self, queryset, pagination: Input, request, **params) -> dict:
        total = self._items_count(queryset)
        size = pagination.par_page
        page = pagination.page
        offset = (page - 1) * size
        pages = max(1, math.ceil(total / size))

        def link(number: int) -> str:
            query = request.GET.copy()
            query["page"] = str(number)
            return (
                request.build_absolute_uri(request.path)
                + "?"
                + urlencode(sorted(query.lists()), doseq=True)
            )

        return {
            "total": total,
            "page": page,
            "par_page": size,
            "pages": pages,
            "suivante": link(page + 1) if page < pages else None,
            "precedente": link(min(page, pages + 1) - 1) if page > 1 else None,
            "resultats": queryset[offset : offset + size] if total > offset else [],
        }

"""Query strings: one value per parameter name."""

from __future__ import annotations

from fastapi import Request
from fastapi.exceptions import RequestValidationError


async def single_valued_query(request: Request) -> None:
    """Refuse (422) a query parameter given more than once, for an app whose parameters each
    take one value: FastAPI would read the last value and silently drop the others
    (``?skip=abc&skip=0`` answered 200)."""
    seen: set[str] = set()
    for name, _ in request.query_params.multi_items():
        if name in seen:
            raise RequestValidationError(
                [
                    {
                        "type": "value_error",
                        "loc": ("query", name),
                        "msg": f"'{name}' is given more than once; it takes one value",
                        "input": request.query_params.getlist(name),
                    }
                ]
            )
        seen.add(name)

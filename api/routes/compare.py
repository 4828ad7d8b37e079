"""GET /compare: councils side by side (`index.compare.compare`), as JSON, CSV, XLSX or Markdown."""

from __future__ import annotations

from datetime import date
from types import MappingProxyType
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from api.deps import IsoDate, SettingsDep, StoreDep
from api.errors import ApiError, error_responses
from index.compare import compare
from index.export import render
from index.names import UnknownName
from index.store import Store
from nlp.themes import theme_labels

router = APIRouter(tags=["compare"])
Cols = Literal["theme", "partnership-kind", "operation", "metric", "section"]
Format = Literal["json", "csv", "csv-wide", "xlsx", "md", "html"]
MEDIA = MappingProxyType(
    {
        "json": "application/json",
        "csv": "text/csv; charset=utf-8",
        "csv-wide": "text/csv; charset=utf-8",
        "html": "text/html; charset=utf-8",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "md": "text/markdown; charset=utf-8",
    }
)


def build_table(
    store: Store,
    cols: str,
    councils: list[str] | None,
    date_from: date | None,
    date_to: date | None,
    min_councils: int = 1,
    theme: str | None = None,
) -> Any:
    """The one library call behind the JSON route and the compare page; a council name that matches no stored
    council (index.names) is a 422 naming the closest ones."""
    if date_from and date_to and date_from > date_to:
        raise ApiError(422, f"from ({date_from}) is after to ({date_to})", "from")
    if theme and theme not in theme_labels():
        raise ApiError(422, f"theme {theme!r}: not a theme id (one of {', '.join(theme_labels())})", "theme")
    if theme and cols != "section":
        raise ApiError(422, "theme narrows a section table only (cols=section)", "theme")
    wanted = [c.strip() for c in councils or [] if c.strip()] or None
    try:
        return compare(
            store,
            cols,
            councils=wanted,
            date_from=date_from.isoformat() if date_from else None,
            date_to=date_to.isoformat() if date_to else None,
            min_councils=min_councils,
            theme=theme,
        )
    except UnknownName as e:
        raise ApiError(422, str(e), "councils") from None


@router.get(
    "/compare",
    responses={
        200: {
            "description": "the table: JSON {rows, columns, cells: [{row, column, citations}]}, or a CSV, "
            "XLSX or Markdown download",
            "content": {
                "application/json": {"schema": {"type": "object"}},
                "text/csv": {},
                "text/markdown": {},
                "text/html": {},
                MEDIA["xlsx"]: {},
            },
        },
        **error_responses(422),
    },
)  # 422: also a council name that matches none (the message suggests the closest)
def compare_councils(
    store: StoreDep,
    settings: SettingsDep,
    cols: Annotated[Cols, Query(description="what the columns are")] = "theme",
    councils: Annotated[list[str] | None, Query(max_length=50, description="rows (default: all)")] = None,
    date_from: Annotated[IsoDate | None, Query(alias="from")] = None,
    date_to: Annotated[IsoDate | None, Query(alias="to")] = None,
    min_councils: Annotated[
        int, Query(ge=1, le=50, description="keep columns filled for at least this many councils")
    ] = 1,
    theme: Annotated[
        str | None, Query(max_length=40, description="with cols=section: only passages about this theme id")
    ] = None,
    format: Annotated[
        Format,
        Query(description="json; csv (tidy: one row per council x column), csv-wide, xlsx, md or html"),
    ] = "json",
) -> Response:
    """A councils-by-X table; every cell has a state (priority, discussed, silent, no papers in range) and
    every filled cell cites paper, meeting date, page, paragraph and a quote."""
    table = build_table(store, cols, councils, date_from, date_to, min_councils, theme or None)
    body = render(table, format, settings.public_url)
    headers = {}
    if format not in ("json", "html"):
        ext = {"csv-wide": "wide.csv"}.get(format, format)
        headers["Content-Disposition"] = f'attachment; filename="compare-{cols}.{ext}"'
    return Response(body, media_type=MEDIA[format], headers=headers)

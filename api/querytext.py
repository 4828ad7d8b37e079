"""Long queries are cut, not refused: officers paste whole paragraphs into the search box."""

from __future__ import annotations

MAX_QUERY = 500  # characters searched; the model reads about 256 tokens, BM25 gains nothing from more
ACCEPTED = 20_000  # characters accepted in a request at all (the rest is a mistake, not a query)


def cut_query(query: str, limit: int = MAX_QUERY) -> tuple[str, str | None]:
    """(the query to search, a note when it was cut): cut at the last space before `limit` characters."""
    if len(query.strip()) <= limit:
        return query, None  # as given: the search reads it as it is
    text = " ".join(query.split())
    if len(text) <= limit:
        return text, None
    cut = text[:limit]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut, (
        f"the query was cut to its first {len(cut)} characters (of {len(text)}); the rest was not searched"
    )

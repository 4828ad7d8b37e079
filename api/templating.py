"""Jinja2 templates for the web app (server-rendered, autoescaped), built by `create_app`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

from index.measures import about_label
from index.readable import uk_date as readable
from index.reads import norm_name
from nlp.themes import theme_labels

if TYPE_CHECKING:
    from fastapi import Request
    from fastapi.responses import Response
    from fastapi.templating import Jinja2Templates

HERE = Path(__file__).parent


def build_templates() -> Jinja2Templates:
    import jinja2
    from fastapi.templating import Jinja2Templates

    # autoescape everything: paper text is untrusted (a paper containing <script> shows it as text)
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(HERE / "templates")), autoescape=True)
    templates = Jinja2Templates(env=env)
    env.filters["urlpart"] = lambda s: quote(str(s), safe="")
    env.filters["ukdate"] = uk_date
    env.filters["about"] = _about
    env.filters["period"] = _period
    env.globals["qs"] = _qs
    env.globals["entity_id"] = entity_id
    env.filters["theme"] = theme_label
    return templates


def uk_date(value: str | None) -> str:
    """A date as UK readers write it ("2020-11-24" -> "24 November 2020"; a time stamp -> "7 December 2026,
    16:53", in UK time); anything else as it is (index.readable)."""
    return readable(value)


def _about(value: str | None) -> str:
    return about_label(value) or ""


def _period(period: dict[str, Any] | None) -> str:
    """A figure's period: its words as written in the paper ("2023/24", "August 2025"), else its dates."""
    if not period:
        return ""
    if period.get("text"):
        return str(period["text"])
    start, end = uk_date(period.get("start")), uk_date(period.get("end"))
    return start if start == end else f"{start} to {end}"


def theme_label(theme: str) -> str:
    """A theme id as the compare table heads it: the short form of its label ("drugs_alcohol" -> "Drug and
    alcohol misuse"); an unknown id in words."""
    import re

    label = theme_labels().get(str(theme))
    return re.split(r" \(|[,:]", label)[0] if label else str(theme).replace("_", " ")


def entity_id(type: str, name: str) -> str:
    """The id of an entity in URLs: its type and its normalised name ("operation:operation venetic")."""
    return f"{type}:{norm_name(name)}"


def _qs(params: dict[str, Any], **changes: Any) -> str:
    merged = {**params, **changes}
    return urlencode([(k, v) for k, v in merged.items() if v not in (None, "", [])], doseq=True)


def render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(request, name, context, status_code=status)


def render_error(request: Request, status: int, message: str) -> Response:
    return render(request, "error.html", {"status": status, "message": message}, status)

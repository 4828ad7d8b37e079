"""E-mail alerts without the API key (index.subscriptions): POST /subscriptions makes an unconfirmed
subscription and e-mails its confirmation link; the links in e-mails confirm it and stop it, with no
login (GET for the links people click; POST to the unsubscribe link is RFC 8058's one-click
unsubscribe of mail programs). Rate-limited per client and per e-mail address (api.ratelimit)."""

from __future__ import annotations

import math
import re
from dataclasses import replace
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException

from api.deps import PoolDep, SettingsDep
from api.errors import ApiError, error_responses
from api.routes.alerts import alert_names
from api.templating import render
from index.alerts import AlertError, AlertSpec, describe
from index.mail import MailError, normalise_address
from index.subscriptions import confirm, mail_ready, subscribe, unsubscribe
from ingest.settings import Settings

router = APIRouter(tags=["subscriptions"])
TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")


class SubscriptionIn(BaseModel):
    email: str = Field(max_length=254, description="where the confirmation link and then the digests go")
    query: str = Field(default="", max_length=500, description="words to look for (search's relevance floor)")
    councils: list[Annotated[str, Field(max_length=200)]] = Field(default=[], max_length=50)
    committees: list[Annotated[str, Field(max_length=200)]] = Field(default=[], max_length=50)
    theme: str | None = Field(default=None, max_length=100, description="theme id")
    entity: str | None = Field(default=None, max_length=200, description="partnership or operation")
    every: Literal["now", "daily", "weekly"] = Field(
        default="now", description="how often at most a digest goes"
    )
    name: str = Field(default="", max_length=200)


class SubscriptionOut(BaseModel):
    email: str
    message: str


def take_subscription(request: Request, settings: Settings, pool: PoolDep, spec: AlertSpec) -> str:
    """Check the address and the rate limits, subscribe and send the confirmation; the address as stored.
    The answer is the same whether the address was subscribed before or not."""
    try:
        email = normalise_address(spec.email or "")
    except MailError as e:
        raise ApiError(400, str(e), "email") from None
    try:
        mail_ready(settings)
    except MailError as e:
        raise ApiError(503, str(e)) from None
    over = request.app.state.subscribe_limits.check(
        request.client.host if request.client else "?", email.casefold()
    )
    if over:
        raise HTTPException(429, over[1], headers={"Retry-After": str(math.ceil(over[0]))})
    store = pool.get()
    councils, committees = alert_names(store, list(spec.councils), list(spec.committees))
    try:
        subscribe(store, replace(spec, email=email, councils=councils, committees=committees), settings)
    except AlertError as e:
        raise ApiError(400, str(e), str(e).split(":")[0] if ":" in str(e) else "query") from None
    return email


def check_inbox(email: str) -> str:
    return (
        f"A link to confirm is on its way to {email}; nothing more is sent until it is followed. "
        "Every e-mail has a link to stop it."
    )


@router.post(
    "/subscriptions",
    response_model=SubscriptionOut,
    status_code=202,
    responses=error_responses(400, 429, 503),
)
def create_subscription(
    request: Request, settings: SettingsDep, pool: PoolDep, body: SubscriptionIn
) -> SubscriptionOut:
    """Follow words, a council or committee, a theme or an entity by e-mail, with no API key: a confirmation
    link is e-mailed, and digests of new papers go once it is followed (COUNCILPAPERS_SMTP_URL must be set)."""
    email = take_subscription(
        request,
        settings,
        pool,
        AlertSpec(
            query=body.query,
            councils=tuple(body.councils),
            committees=tuple(body.committees),
            theme=body.theme,
            entity=body.entity,
            name=body.name,
            email=body.email,
            every=body.every,
        ),
    )
    return SubscriptionOut(email=email, message=check_inbox(email))


@router.get("/subscriptions/{token}/confirm", include_in_schema=False)
def confirm_link(request: Request, pool: PoolDep, token: str) -> Response:
    """The confirmation link: from now on digests go."""
    store = pool.get()
    r = confirm(store, token) if TOKEN.fullmatch(token) else None
    alert = store.alerts().get(r.alert_id) if r else None
    if r is None or alert is None:
        return render(request, "alert_subscription.html", {"state": "unknown"}, 404)
    return render(
        request,
        "alert_subscription.html",
        {
            "state": "confirmed",
            "alert": alert,
            "email": r.email,
            "describe": describe(alert),
            "every": r.every,
        },
    )


@router.api_route("/subscriptions/{token}/unsubscribe", methods=["GET", "POST"], include_in_schema=False)
def unsubscribe_link(
    request: Request, pool: PoolDep, token: str, every_alert: Annotated[bool, Query(alias="all")] = False
) -> Response:
    """The unsubscribe link of every digest: stops that alert (`?all=1`: every alert to the address)."""
    stopped = unsubscribe(pool.get(), token, every_alert) if TOKEN.fullmatch(token) else None
    if stopped is None:  # unknown, or followed twice: either way nothing more is sent
        return render(request, "alert_subscription.html", {"state": "gone"})
    return render(request, "alert_subscription.html", {"state": "unsubscribed", "count": len(stopped)})

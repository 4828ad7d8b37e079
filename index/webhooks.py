"""POSTing a saved search's JSON digest to its webhook: only to public addresses (ingest.netguard.check_url, checked
again at each send, after DNS, and the request pinned to the address checked), with retries and a timeout."""

from __future__ import annotations

from typing import Any

from ingest.netguard import AddressRefused, Resolver, check_url, system_resolver
from ingest.settings import Settings


def check_webhook(url: str, settings: Settings, resolve: Resolver = system_resolver) -> None:
    """Raise AddressRefused (one line, starting "webhook: ") when the URL may not be POSTed to."""
    try:
        check_url(url, allow_private=settings.webhook_allow_private, resolve=resolve)
    except AddressRefused as e:
        raise AddressRefused(f"webhook: {e}") from None


def post_digest(
    url: str, payload: dict[str, Any], settings: Settings, resolve: Resolver = system_resolver
) -> str:
    """POST the digest as JSON; retried with back-off on errors and 5xx. "sent (HTTP n)" or "failed: why"."""
    import httpx
    from tenacity import Retrying, retry_if_exception_type, stop_after_attempt, wait_exponential

    class _Retry(Exception):
        pass

    tries = max(0, settings.webhook_retries) + 1
    try:
        for attempt in Retrying(
            stop=stop_after_attempt(tries),
            reraise=True,
            wait=wait_exponential(multiplier=settings.webhook_backoff, max=30),
            retry=retry_if_exception_type((httpx.TransportError, _Retry)),
        ):
            with attempt:
                # checked at every try: a name may resolve elsewhere by now; the request goes to the address
                # checked (Host and TLS name are the URL's), through no proxy, following no redirect
                target = check_url(url, allow_private=settings.webhook_allow_private, resolve=resolve)
                with httpx.Client(
                    timeout=settings.webhook_timeout, trust_env=False, follow_redirects=False
                ) as client:
                    request = client.build_request(
                        "POST",
                        target.pinned_url(),
                        json=payload,
                        extensions={"sni_hostname": target.host},
                        headers={
                            "User-Agent": "councilpapers alerts",
                            "Host": httpx.URL(url).netloc.decode(),
                        },
                    )
                    resp = client.send(request, stream=True)  # the status is all we read: no body held
                    resp.close()
                if resp.status_code >= 500 or resp.status_code == 429:
                    raise _Retry(f"HTTP {resp.status_code}")
        if resp.status_code >= 400:
            return f"failed: HTTP {resp.status_code} from {_shown(url)}"
        return f"sent (HTTP {resp.status_code})"
    except AddressRefused as e:
        return f"failed: {e}"
    except _Retry as e:
        return f"failed: {e} from {_shown(url)} after {tries} tries"
    except httpx.TransportError as e:
        return f"failed: {type(e).__name__} posting to {_shown(url)} after {tries} tries"


def _shown(url: str) -> str:
    """The URL without credentials, for reports."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return parts._replace(netloc=parts.netloc.rsplit("@", 1)[-1]).geturl() if "@" in parts.netloc else url

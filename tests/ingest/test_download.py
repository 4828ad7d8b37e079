"""The capped download: refused on a declared size, stopped while streaming, gzip bombs stopped decoded."""

from __future__ import annotations

import gzip

import httpx
import pytest

from ingest.download import TooLarge, read_capped


def _client(handler) -> httpx.Client:  # noqa: ANN001
    return httpx.Client(transport=httpx.MockTransport(handler))


def test_small_body_read_whole() -> None:
    with (
        _client(lambda r: httpx.Response(200, content=b"%PDF-1.7 small")) as c,
        c.stream("GET", "https://council.example/a.pdf") as resp,
    ):
        assert read_capped(resp, 1000) == b"%PDF-1.7 small"


def test_declared_length_over_the_cap_refused_before_reading() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        def body():  # noqa: ANN202
            raise AssertionError("the body was read")
            yield b""

        return httpx.Response(200, headers={"Content-Length": "5000000"}, content=body())

    with (
        _client(handler) as c,
        c.stream("GET", "https://council.example/big.pdf") as resp,
        pytest.raises(
            TooLarge, match=r"https://council.example/big.pdf: file is 5.0 MB, over the limit of 1.0"
        ),
    ):
        read_capped(resp, 1_000_000)


def test_undeclared_stream_stops_past_the_cap() -> None:
    sent = []

    def chunks():  # noqa: ANN202
        for _ in range(1000):
            sent.append(1)
            yield b"x" * 65536

    with (
        _client(lambda r: httpx.Response(200, content=chunks())) as c,
        c.stream("GET", "https://council.example/endless") as resp,
        pytest.raises(TooLarge, match="over 1.0 MB"),
    ):
        read_capped(resp, 1_000_000)
    assert len(sent) < 40  # stopped early, not after 65 MB


def test_gzip_bomb_counted_decoded() -> None:
    bomb = gzip.compress(b"\0" * 20_000_000)
    with (
        _client(lambda r: httpx.Response(200, headers={"Content-Encoding": "gzip"}, content=bomb)) as c,
        c.stream("GET", "https://council.example/bomb") as resp,
        pytest.raises(TooLarge),
    ):
        read_capped(resp, 1_000_000)


def test_the_harvester_stops_an_oversized_download_while_it_streams() -> None:
    from ingest.moderngov import Fetcher, Refused
    from ingest.netguard import FetchPolicy
    from ingest.settings import Settings

    sent = []

    def chunks():  # noqa: ANN202
        for _ in range(1000):
            sent.append(1)
            yield b"x" * 10_000

    client = _client(lambda r: httpx.Response(200, content=chunks()))
    # the mock transport connects nowhere; the resolver stub gives a documentation address (192.0.2.1)
    policy = FetchPolicy.for_site(
        "https://council.example/", allow_private=True, resolve=lambda host, port: ["192.0.2.1"]
    )
    fetcher = Fetcher(
        Settings(harvest_delay=0.0, harvest_max_answer_bytes=5_000_000),
        policy,
        sleep=lambda s: None,
        client=client,
    )
    with pytest.raises(Refused, match=r"https://council.example/pack.pdf: file is over 0.1 MB"):
        fetcher.get("https://council.example/pack.pdf", limit=100_000)
    assert len(sent) < 20  # stopped soon after the cap, not after all 10 MB
    sent.clear()
    with pytest.raises(Refused, match=r"limit of 5.0 MB \(COUNCILPAPERS_HARVEST_MAX_ANSWER_BYTES\)"):
        fetcher.get(
            "https://council.example/mgWebService.asmx/GetMeeting"
        )  # a web-service answer: capped too
    assert len(sent) < 520
    assert (
        fetcher.get("https://council.example/pack.pdf", limit=20_000_000).status == 200
    )  # under the cap: whole

"""The entity filter selects the passages naming the entity, whatever spelling the user types."""

from __future__ import annotations


def test_op_and_operation_give_the_same_focused_passages(client) -> None:  # noqa: ANN001
    short = client.get("/search", params={"q": "patrols", "entity": "Op Mazi", "limit": 50}).json()
    long = client.get("/search", params={"q": "patrols", "entity": "Operation Mazi", "limit": 50}).json()
    whole = client.get("/search", params={"q": "patrols", "limit": 50}).json()
    assert short["results"] and [r["text"] for r in short["results"]] == [r["text"] for r in long["results"]]
    assert all(
        "mazi" in r["text"].lower() for r in short["results"]
    )  # passages naming it, not the whole paper
    assert short["total"] < whole["total"]


def test_section_filter_over_http(client) -> None:  # noqa: ANN001
    body = client.get("/search", params={"q": "equality duty", "section": "equalities"}).json()
    bad = client.get("/search", params={"q": "equality duty", "section": "nonsense"})
    assert body["results"] and all(r["text"] for r in body["results"])
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "section"

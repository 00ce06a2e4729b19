"""A request crosses to the thread pool only where it does blocking I/O: once, to run its
route, which checks the caller's token on first use; a short read on a store of this
machine (SQLite, memory) not even once, unless it waits for the views. Every other crossing
costs the event loop (which serves all requests of a process) a wake-up and a hand-over of
the GIL: a plain `def` dependency (even one that reads the store, such as checking a
token), or a sync route whose answer FastAPI then validates in the pool again."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import anyio.to_thread
import pytest
from fastapi.testclient import TestClient

from cogov.application import Governance
from cogov.interfaces.http.app import create_app
from cogov.interfaces.http.dependencies import short_read

ADMIN = "admin-token-for-thread-hops-0123456789"


@pytest.fixture
def client(governance: Governance) -> Iterator[TestClient]:
    with TestClient(create_app(governance, admin_token=ADMIN, follow=False)) as c:
        yield c


@pytest.fixture
def hops(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The functions handed to the thread pool from now on."""
    handed: list[str] = []
    run_sync = anyio.to_thread.run_sync

    async def counted(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        handed.append(getattr(func, "__name__", repr(func)))
        return await run_sync(func, *args, **kwargs)

    monkeypatch.setattr(anyio.to_thread, "run_sync", counted)
    return handed


def founded(client: TestClient) -> tuple[str, dict[str, str], str]:
    r = client.post(
        "/projects",
        json={"title": "Hops", "founder": {"display_name": "Ana", "perspectives": ["public"]}},
        headers={"Authorization": f"Bearer {ADMIN}"},
    )
    assert r.status_code == 201, r.text
    auth = {"Authorization": f"Bearer {r.json()['founder_token']}"}
    tabled = client.post(
        f"/projects/{r.json()['id']}/proposals",
        json={"title": "T", "text": "x", "area": "methods"},
        headers=auth,
    )
    assert tabled.status_code == 201, tabled.text
    return r.json()["id"], auth, tabled.json()["id"]


def test_a_response_crosses_once(client: TestClient, hops: list[str]) -> None:
    _, auth, proposal = founded(client)
    hops.clear()
    r = client.post(f"/proposals/{proposal}/responses", json={"stance": "consent"}, headers=auth)
    assert r.status_code == 201, r.text
    assert len(hops) == 1, hops


SHORT_READS = [
    "/projects/{pid}/power",
    "/projects/{pid}/power/timeline",
    "/projects/{pid}/decisions",
]


@pytest.fixture
def following(governance: Governance) -> Iterator[TestClient]:
    """A served app: the views followed in the background, as `cogov serve` keeps them."""
    with TestClient(create_app(governance, admin_token=ADMIN, follow=True)) as c:
        yield c


def read(
    governance: Governance, client: TestClient, hops: list[str], path: str, **params: Any
) -> int:
    """Crossings made by one read, once the views hold everything recorded so far."""
    pid, auth, _ = founded(client)
    assert governance.read_models.runner.wait(governance.max_position())
    hops.clear()
    r = client.get(path.format(pid=pid), params=params, headers=auth)
    assert r.status_code == 200, r.text
    return len(hops)


@pytest.mark.parametrize("path", SHORT_READS)
def test_a_short_read_crosses_only_to_a_server(
    governance: Governance, following: TestClient, hops: list[str], path: str
) -> None:
    """Served on the event loop where the store's reads wait on no server; in the pool,
    once, where each read is a round trip to PostgreSQL."""
    crossed = read(governance, following, hops, path)
    assert crossed == (0 if governance.store.local else 1), hops


@pytest.mark.parametrize("path", SHORT_READS)
def test_a_short_read_that_waits_for_the_views_crosses_once(
    governance: Governance, following: TestClient, hops: list[str], path: str
) -> None:
    """Waiting for the views (`after`) must not hold up the event loop, whatever the
    store."""
    assert read(governance, following, hops, path, after=governance.max_position()) == 1


@pytest.mark.parametrize("path", SHORT_READS)
def test_a_short_read_that_catches_the_views_up_crosses_once(
    governance: Governance, client: TestClient, hops: list[str], path: str
) -> None:
    """Where nothing follows the views in the background, a read catches them up first:
    in the pool too."""
    assert not governance.read_models.runner.running
    assert read(governance, client, hops, path) == 1


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/projects/{pid}/decisions", {"area": "methods"}),
        ("/projects/{pid}/decisions", {"required_perspectives": "public"}),
        ("/projects/{pid}/decisions", {"limit": 101}),
        ("/projects/{pid}/power/timeline", {"limit": 101}),
    ],
)
def test_a_long_read_crosses_once(
    governance: Governance,
    following: TestClient,
    hops: list[str],
    path: str,
    params: dict[str, Any],
) -> None:
    """A page above the default, or a filter that reads the project aggregate or judges
    rows, is read in the pool."""
    assert read(governance, following, hops, path, **params) == 1


def test_a_short_read_must_take_the_application_and_its_parameters() -> None:
    """Without `gov` it could not tell where its store's reads go; a parameter it should
    look for that the route does not take is a typo. Both refused when defined."""

    def no_store(pid: str) -> str:
        return pid

    def with_store(pid: str, gov: Governance) -> str:
        return pid

    with pytest.raises(TypeError, match="takes no `gov`"):
        short_read()(no_store)
    with pytest.raises(TypeError, match="takes no"):
        short_read(unless=("area",))(with_store)

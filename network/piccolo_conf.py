"""Piccolo's configuration module (named by PICCOLO_CONF, set in network.database)."""

from piccolo.conf.apps import AppRegistry

from network.database import ENGINE

DB = ENGINE
APP_REGISTRY = AppRegistry(apps=["network.piccolo_app"])

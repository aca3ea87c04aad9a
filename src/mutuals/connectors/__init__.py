"""Connectors: one folder per source. Each only *yields* domain records; ingest writes them.

Every connector folder has the same shape: ``connector.py`` (the :class:`~mutuals.connectors.base.Connector`
object, named ``CONNECTOR``), ``formats.py`` (payload models of the raw files) and ``README.md`` (how a user
gets the export). Register a built-in connector in :mod:`mutuals.connectors.registry`; a third-party one
through the ``mutuals.connectors`` entry-point group.
"""

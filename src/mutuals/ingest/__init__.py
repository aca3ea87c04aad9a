"""Ingest: runs a connector and writes what it yields, idempotently, with a run report."""

from mutuals.ingest.runner import ImportOptions, ImportReport, run_import

__all__ = ["ImportOptions", "ImportReport", "run_import"]

"""The quarterly report workbook as the jobs, the CLI and other domains see it: build a
snapshot (read, freeze, write), find its file."""

from __future__ import annotations

from congvu.inspect.reports.services.access import REPORT_ROLES, report_unit
from congvu.inspect.reports.services.building import (
    BuiltReport,
    build_report,
    quarter,
    snapshot_file,
    write_workbook,
)
from congvu.inspect.reports.services.reading import ReportData, Window, read_report_data

__all__ = [
    "REPORT_ROLES",
    "BuiltReport",
    "ReportData",
    "Window",
    "build_report",
    "quarter",
    "read_report_data",
    "report_unit",
    "snapshot_file",
    "write_workbook",
]

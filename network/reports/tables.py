"""The Piccolo mirror of the reports table (created by migrations/m2026_11_26_0707_reports.py;
constraints and the one-issued-report-per-month index live there, in SQL)."""

from __future__ import annotations

from piccolo.columns import (
    JSONB,
    BigInt,
    BigSerial,
    Boolean,
    Bytea,
    Date,
    Integer,
    Text,
    Timestamptz,
)
from piccolo.table import Table

from network.database import ENGINE


class Report(Table, tablename="reports", db=ENGINE):
    id = BigSerial(primary_key=True)
    month = Date()  # the month's first day
    version = Integer()
    issued = Boolean(default=False)  # the version emailed to the committee
    generated_at = Timestamptz()
    generated_by = Text()  # "scheduler", "command" or "user"
    generated_by_user_id = BigInt(null=True, default=None)
    min_cell = Integer()
    figures = JSONB()
    pdf = Bytea()
    csv_zip = Bytea()
    page_html = Text(null=True, default=None)  # the page body, drawn at build time

"""The console shows the service's own events at INFO; the libraries' chatter (a line per
scheduler run, per SMTP command, per font subset of a report) shows only at DEBUG."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from email.message import EmailMessage

import aiosmtplib
import matplotlib
import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from fpdf import FPDF

from network.log_setup import configure_logging
from tests.support.smtp_server import SmtpServer

CHATTY = ("apscheduler", "mail.log", "fontTools")


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    levels = {name: logging.getLogger(name).level for name in CHATTY}
    yield
    root.handlers, root.level = handlers, level
    for name, old in levels.items():
        logging.getLogger(name).setLevel(old)


def run_the_scheduler_once() -> None:
    ran = threading.Event()
    scheduler = BackgroundScheduler()
    # An interval job, due now: it runs once and stays (a one-off job is removed as it ends,
    # racing the shutdown).
    scheduler.add_job(ran.set, "interval", hours=1, next_run_time=datetime.now(UTC))
    scheduler.start()
    assert ran.wait(timeout=30), "the scheduler job did not run"
    scheduler.shutdown(wait=True)


async def send_one_email(smtp: SmtpServer) -> None:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "a@example.org", "b@example.org", "x"
    message.set_content("hello")
    await aiosmtplib.send(message, hostname="127.0.0.1", port=smtp.port)


def subset_a_font() -> None:
    folder = f"{matplotlib.get_data_path()}/fonts/ttf"
    pdf = FPDF()
    pdf.add_font("DejaVu", "", f"{folder}/DejaVuSans.ttf")
    pdf.add_page()
    pdf.set_font("DejaVu", size=10)
    pdf.cell(text="Übersicht")
    pdf.output()


async def console_output(level: str, smtp: SmtpServer,
                         capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    configure_logging(level, "console")
    logging.getLogger("network.reports.service").info("report built")
    run_the_scheduler_once()
    await send_one_email(smtp)
    subset_a_font()
    return capsys.readouterr().err


async def test_it_shows_only_the_services_own_events_at_info(
        smtp: SmtpServer, capsys: pytest.CaptureFixture[str], restore_logging: None) -> None:
    output = await console_output("INFO", smtp, capsys)
    assert "report built" in output
    lines = output.splitlines()
    assert [line for line in lines if any(f"[{name}" in line for name in CHATTY)] == []
    assert len(lines) == 1, output


async def test_debug_shows_the_libraries_too(
        smtp: SmtpServer, capsys: pytest.CaptureFixture[str], restore_logging: None) -> None:
    output = await console_output("DEBUG", smtp, capsys)
    for name in CHATTY:
        assert f"[{name}" in output, name

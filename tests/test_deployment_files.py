"""docker-compose.yml and the Dockerfile cannot run here (no Docker engine), so their wiring is
checked by reading them: services, health checks, ports, and that every environment value
the service gets is one its settings accept."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from network.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
DOCKERFILE = (ROOT / "Dockerfile").read_text()


def interpolate(value: str) -> str:
    """Compose's ${VAR:-default} with nothing set in the environment."""
    return re.sub(r"\$\{[A-Z_]+:?-([^}]*)\}", r"\1", str(value))


def service_environment() -> dict[str, str]:
    return {name: interpolate(value) for name, value in SERVICES["network"]["environment"].items()}


def test_it_runs_postgres_16_the_service_and_mailpit() -> None:
    assert set(SERVICES) == {"postgres", "mailpit", "network"}
    assert SERVICES["postgres"]["image"].startswith("postgres:16")
    assert SERVICES["mailpit"]["image"].startswith("axllent/mailpit")
    assert SERVICES["network"]["build"] == "."


@pytest.mark.parametrize("name", ["postgres", "mailpit", "network"])
def test_every_service_has_a_health_check(name: str) -> None:
    assert SERVICES[name]["healthcheck"]["test"]


def test_the_service_waits_for_healthy_postgres_and_mailpit() -> None:
    depends = SERVICES["network"]["depends_on"]
    assert depends == {"postgres": {"condition": "service_healthy"},
                       "mailpit": {"condition": "service_healthy"}}


def test_the_database_url_points_at_the_postgres_service_and_its_database() -> None:
    url = urlsplit(service_environment()["DATABASE_URL"])
    postgres = {k: interpolate(v) for k, v in SERVICES["postgres"]["environment"].items()}
    assert url.hostname == "postgres" and url.port == 5432
    assert url.username == postgres["POSTGRES_USER"]
    assert url.password == postgres["POSTGRES_PASSWORD"]
    assert url.path == "/" + postgres["POSTGRES_DB"]


def test_mail_goes_to_mailpit_smtp_port(tmp_path: Path) -> None:
    settings = Settings.from_env({**service_environment(), "DATA_DIR": str(tmp_path)})
    assert (settings.smtp.host, settings.smtp.port) == ("mailpit", 1025)


def test_the_service_environment_is_accepted_by_the_settings(tmp_path: Path) -> None:
    settings = Settings.from_env({**service_environment(), "DATA_DIR": str(tmp_path)})
    assert settings.host == "0.0.0.0" and settings.port == 8000
    assert settings.log_format == "json"


def test_the_published_port_is_the_one_the_service_listens_on() -> None:
    environment = service_environment()
    assert f"{environment['PORT']}:{environment['PORT']}" in SERVICES["network"]["ports"]
    assert f"EXPOSE {environment['PORT']}" in DOCKERFILE
    assert "PORT=8000" in DOCKERFILE


def test_the_image_carries_what_the_service_reads_at_run_time() -> None:
    for folder in ("network", "migrations", "email_templates"):
        assert f"COPY {folder} ./{folder}" in DOCKERFILE
    assert "uv sync --locked --no-dev" in DOCKERFILE
    assert 'CMD ["network", "serve"]' in DOCKERFILE
    assert "USER network" in DOCKERFILE
    assert "/health" in DOCKERFILE


def test_the_readme_documents_every_setting() -> None:
    source = (ROOT / "network" / "settings.py").read_text()
    names = set(re.findall(r'env\.\w+\(\s*"([A-Z_]+)"', source))
    readme = (ROOT / "README.md").read_text()
    assert names and not [name for name in sorted(names) if f"`{name}`" not in readme]

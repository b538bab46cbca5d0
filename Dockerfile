# The service image: `network serve` on port 8000, data (secret key) in /data.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PROJECT_ENVIRONMENT=/app/.venv

RUN pip install --no-cache-dir uv
WORKDIR /app

# Dependencies first, so code changes do not reinstall them.
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --locked --no-dev --no-install-project

COPY network ./network
COPY migrations ./migrations
COPY email_templates ./email_templates
RUN uv sync --locked --no-dev
# UV_COMPILE_BYTECODE compiles the dependencies; our own code is installed editable, so
# compile it here too: with PYTHONDONTWRITEBYTECODE every start would compile it afresh.
RUN /app/.venv/bin/python -m compileall -q network migrations

RUN useradd --system --uid 10001 --home-dir /data network \
    && mkdir -p /data && chown network /data
USER network

ENV PATH="/app/.venv/bin:$PATH" \
    DATA_DIR=/data \
    HOST=0.0.0.0 \
    PORT=8000 \
    LOG_FORMAT=json
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=4).status != 200)"]
CMD ["network", "serve"]

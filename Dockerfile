# Switchboard: python -m bot (long polling by default; webhook mode with WEBHOOK_URL).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DATABASE_URL=sqlite+aiosqlite:////data/switchboard.db

RUN useradd --create-home --uid 10001 switchboard \
    && mkdir /data && chown switchboard /data
WORKDIR /app
COPY pyproject.toml README.md requirements.lock ./
COPY bot ./bot
COPY api ./api
COPY services ./services
COPY db ./db
# The production dependencies only, at the versions the suite ran with.
RUN pip install -c requirements.lock .

USER switchboard
# The SQLite database lives here; mount a volume to keep it.
VOLUME ["/data"]
# /healthz, /metrics and (webhook mode) the webhooks.
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s CMD python -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:8080/healthz')" || exit 1
CMD ["python", "-m", "bot"]

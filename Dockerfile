# studybot: a slim image running as a non-root user, with the database on a volume.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    STUDYBOT_DATABASE=/data/studybot.db

RUN useradd --create-home --uid 10001 studybot \
    && mkdir -p /data && chown studybot:studybot /data

WORKDIR /app
# Dependencies first, pinned with hashes from the lock, so code changes reuse this layer.
COPY requirements.lock ./
RUN pip install --require-hashes -r requirements.lock

COPY pyproject.toml README.md ./
COPY bot ./bot
COPY questions ./questions
COPY config ./config
RUN pip install --no-deps . && rm -rf build

USER studybot
VOLUME ["/data"]
# Slack HTTP mode listens here; unused by Discord and Slack Socket Mode.
EXPOSE 3000

HEALTHCHECK --interval=60s --timeout=10s --start-period=30s --retries=3 CMD ["studybot", "health"]

# SIGTERM from `docker stop` finishes the writes in hand and closes the database cleanly.
STOPSIGNAL SIGTERM
ENTRYPOINT ["studybot"]
CMD ["run"]

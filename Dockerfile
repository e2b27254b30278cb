# VGG-bot in a container: HTTP mode on port 3000 (POST /slack/events, GET /health, GET /metrics).
# Not built in CI: the CI machines have no container daemon. tests/deploy/test_deploy_files.py checks
# that the command, settings and port named here exist in the CLI and the settings.
#   docker build -t vggbot .
#   docker run --env-file .env -p 127.0.0.1:3000:3000 vggbot
# Several replicas on PostgreSQL: compose.yaml.
FROM python:3.11-slim

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# A system user without a login shell; its home holds the SQLite file when no DATABASE_URL is given.
RUN useradd --system --user-group --home-dir /var/lib/vggbot --create-home --shell /usr/sbin/nologin vggbot

# The installed package is all the container needs: the source is removed after pip install.
COPY . /src
RUN pip install /src && rm -rf /src

USER vggbot
WORKDIR /var/lib/vggbot
ENV DATABASE_URL=sqlite:////var/lib/vggbot/vggbot.sqlite3

EXPOSE 3000
# No curl in the slim image: Python asks /health (200 when the database answers, else 503 -> error).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/health' % os.environ.get('PORT', '3000'), timeout=4)"]
CMD ["vggbot", "run", "--http"]

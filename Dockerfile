# Pinned: the Python patch release and the Debian release both stay put until changed here.
ARG PYTHON_IMAGE=python:3.11.7-slim-bookworm

# --- build the wheel (the project's own code, never an editable install) -------------------------
FROM ${PYTHON_IMAGE} AS wheel
WORKDIR /src
COPY requirements/main.lock requirements/main.lock
RUN python -m pip install --no-cache-dir --require-hashes -r requirements/main.lock
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY sandbox ./sandbox
RUN python -m pip wheel --no-cache-dir --no-deps --no-build-isolation -w /wheels .

# --- the image: locked dependencies, the wheel, and the data folders in /app ----------------------
FROM ${PYTHON_IMAGE}
WORKDIR /app
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    STRETCHBOT_HOME=/app METRICS_PORT=9090 METRICS_HOST=0.0.0.0
COPY requirements/main.lock requirements/main.lock
RUN python -m pip install --no-cache-dir --require-hashes -r requirements/main.lock
COPY --from=wheel /wheels /wheels
RUN python -m pip install --no-cache-dir --no-deps /wheels/*.whl \
    && rm -rf /wheels \
    && useradd --create-home stretchbot
# Found through STRETCHBOT_HOME (bot/paths.py): the wheel carries code only.
COPY alembic.ini ./
COPY alembic ./alembic
COPY content ./content
USER stretchbot
EXPOSE 9090

# Ready = the database answers, the schema is at head, Telegram answered within a minute.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:9090/readyz', timeout=4)"]

CMD ["stretchbot", "run"]

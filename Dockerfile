FROM python:3.11-slim

WORKDIR /app
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1

# Installed the same way the Makefile does it: an editable install of the project,
# so alembic/ and content/ are found beside the package.
COPY pyproject.toml README.md alembic.ini ./
COPY bot ./bot
COPY sandbox ./sandbox
COPY alembic ./alembic
COPY content ./content
RUN python -m pip install --no-cache-dir -e . \
    && useradd --create-home stretchbot
USER stretchbot

CMD ["stretchbot", "run"]

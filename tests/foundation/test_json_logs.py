"""`LOG_FORMAT=json`: one JSON object per line, with the update and person ids, never the token."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from bot.logcontext import PERSON_ID, UPDATE_ID, ContextFilter
from bot.logging_setup import TokenRedactingFilter, make_formatter

TOKEN = "987654321:AAH-secret_Token_value_0123456789"


@pytest.fixture
def json_log() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(make_formatter("json"))
    handler.addFilter(TokenRedactingFilter([TOKEN]))
    handler.addFilter(ContextFilter())
    logger = logging.getLogger("tests.json_logs")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        yield logger, stream
    finally:
        logger.removeHandler(handler)


def lines(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_each_record_is_one_object_with_the_update_and_person(
    json_log: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, stream = json_log
    logger.info("outside any update")
    update_token, person_token = UPDATE_ID.set(41), PERSON_ID.set(7)
    try:
        logger.info("handled %s in %.1f ms", "command", 3.25, extra={"duration_ms": 3.2})
    finally:
        PERSON_ID.reset(person_token)
        UPDATE_ID.reset(update_token)
    first, second = lines(stream)
    assert first["update_id"] is None and first["person_id"] is None
    assert second["message"] == "handled command in 3.2 ms"
    assert (second["update_id"], second["person_id"], second["duration_ms"]) == (41, 7, 3.2)
    assert second["level"] == "INFO" and second["logger"] == "tests.json_logs"
    assert "time" in second


def test_a_traceback_stays_inside_its_line_and_loses_the_token(
    json_log: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, stream = json_log
    try:
        raise RuntimeError(f"request to /bot{TOKEN}/getMe failed")
    except RuntimeError:
        logger.exception("calling %s", f"/bot{TOKEN}/getMe")
    assert len(stream.getvalue().splitlines()) == 1
    (record,) = lines(stream)
    assert TOKEN not in stream.getvalue()
    assert "RuntimeError" in str(record["exc_info"])

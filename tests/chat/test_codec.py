from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.chat.codec import MAX_BYTES, Callback, CallbackCodec

codec = CallbackCodec("123456:secret-token")
ids = st.integers(min_value=1, max_value=2**52)


@given(user=ids, step=st.integers(min_value=0, max_value=10**6))
def test_round_trip(user: int, step: int) -> None:
    data = codec.encode(user, "done", 42, step)
    assert len(data.encode()) <= MAX_BYTES
    assert codec.decode(user, data) == Callback("done", ("42", str(step)))


@given(owner=ids, other=ids)
def test_another_persons_button_does_not_decode(owner: int, other: int) -> None:
    data = codec.encode(owner, "tz", "Europe/Berlin")
    if other != owner:
        assert codec.decode(other, data) is None


@pytest.mark.parametrize(
    "data",
    ["", "garbage", "1|done|1", "1|done|1|AAAAAAAA", "2|done|1|", "|" * 70, "x" * 65],
)
def test_malformed_and_forged_data_decode_to_nothing(data: str) -> None:
    assert codec.decode(7, data) is None


def test_tampered_argument_is_rejected() -> None:
    data = codec.encode(7, "pain", 3)
    assert codec.decode(7, data.replace("|3|", "|4|")) is None


def test_another_key_rejects() -> None:
    assert CallbackCodec("other").decode(7, codec.encode(7, "help")) is None


def test_too_long_is_refused_at_encoding() -> None:
    with pytest.raises(ValueError, match="over 64 bytes"):
        codec.encode(7, "x" * 60)


def test_int_arg() -> None:
    decoded = codec.decode(7, codec.encode(7, "step", 12, "x"))
    assert decoded is not None
    assert decoded.int_arg(0) == 12
    assert decoded.int_arg(1) is None
    assert decoded.int_arg(5) is None

"""Concurrent updates: other people never wait for one slow reply; one person's stay in order."""

from __future__ import annotations

import asyncio

from telegram import Update

from bot.chat.updates import PerPersonUpdateProcessor, person_key


def _message(update_id: int, user_id: int) -> Update:
    return Update.de_json(
        {
            "update_id": update_id,
            "message": {
                "message_id": update_id,
                "date": 0,
                "chat": {"id": user_id, "type": "private"},
                "from": {"id": user_id, "is_bot": False, "first_name": "P"},
                "text": "hi",
            },
        },
        None,
    )


async def test_a_slow_update_holds_up_only_its_own_person() -> None:
    processor = PerPersonUpdateProcessor(16)
    release = asyncio.Event()
    done: list[str] = []

    async def slow() -> None:
        await release.wait()
        done.append("alex-1")

    async def quick(name: str) -> None:
        done.append(name)

    first = asyncio.create_task(processor.process_update(_message(1, 1), slow()))
    second = asyncio.create_task(processor.process_update(_message(2, 1), quick("alex-2")))
    other = asyncio.create_task(processor.process_update(_message(3, 2), quick("sam-1")))
    await asyncio.wait_for(other, 1.0)
    assert done == ["sam-1"]  # Sam was not held up by Alex's slow reply
    assert not second.done()  # Alex's next update waits for the first
    release.set()
    await asyncio.gather(first, second)
    assert done == ["sam-1", "alex-1", "alex-2"]
    assert processor.people_waiting == 0


async def test_one_persons_updates_run_in_arrival_order() -> None:
    processor = PerPersonUpdateProcessor(64)
    seen: list[int] = []

    async def handle(number: int) -> None:
        await asyncio.sleep(0.001 * (number % 3))
        seen.append(number)

    await asyncio.gather(*(processor.process_update(_message(n, 7), handle(n)) for n in range(30)))
    assert seen == list(range(30))


def test_updates_are_keyed_by_person() -> None:
    assert person_key(_message(1, 42)) == 42
    assert person_key(object()) is None

"""One at a time per chat, many chats at once: the helper both channels use."""

from __future__ import annotations

import asyncio

import pytest

from bot.per_key import PerKey


async def test_one_key_runs_in_arrival_order_while_other_keys_run_alongside() -> None:
    chats: PerKey[str] = PerKey()
    log: list[str] = []
    gate = asyncio.Event()
    inside: set[str] = set()
    overlapped = asyncio.Event()

    async def update(chat: str, n: int) -> None:
        async with chats.turn(chat):
            assert chat not in inside, "two updates of one chat at once"
            inside.add(chat)
            if len(inside) > 1:
                overlapped.set()
            if n == 0:
                await gate.wait()  # the chat's first update is slow
            log.append(f"{chat}{n}")
            inside.discard(chat)

    tasks = [asyncio.create_task(update(chat, n)) for n in range(3) for chat in "ab"]
    await asyncio.wait_for(overlapped.wait(), 5)  # a and b were inside at the same time
    assert len(chats) == 2
    gate.set()
    await asyncio.gather(*tasks)
    assert [e for e in log if e[0] == "a"] == ["a0", "a1", "a2"]
    assert [e for e in log if e[0] == "b"] == ["b0", "b1", "b2"]
    assert len(chats) == 0  # idle chats are forgotten


async def test_a_failing_or_cancelled_turn_lets_the_next_one_go() -> None:
    chats: PerKey[int] = PerKey()

    async def fails() -> None:
        async with chats.turn(1):
            raise RuntimeError("boom")

    async def waits_forever() -> None:
        async with chats.turn(1):
            await asyncio.Event().wait()

    with pytest.raises(RuntimeError):
        await fails()
    stuck = asyncio.create_task(waits_forever())
    queued = asyncio.create_task(fails())  # waits behind `stuck`
    await asyncio.sleep(0)
    assert len(chats) == 1
    stuck.cancel()
    results = await asyncio.gather(stuck, queued, return_exceptions=True)
    assert isinstance(results[0], asyncio.CancelledError)
    assert isinstance(results[1], RuntimeError)
    assert len(chats) == 0

"""The assistant's actions run their (blocking) shop calls off the action server's event loop,
so one conversation waiting on a slow database does not hold up the others."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

from action_helpers import make_tracker
from actions.base import AssistantAction
from rasa_sdk.executor import CollectingDispatcher

WAIT_S = 5.0


class WaitingAction(AssistantAction):
    """Blocks its thread until `released` is set, as a shop call on a hung database would."""

    def __init__(self, released: threading.Event) -> None:
        self.released = released

    def name(self) -> str:
        return "action_waiting"

    def act(self, dispatcher: CollectingDispatcher, tracker, domain: dict[str, Any]) -> list:
        answered = self.released.wait(WAIT_S)
        dispatcher.utter_message(text="released" if answered else "timed out")
        return []


class ReleasingAction(WaitingAction):
    def name(self) -> str:
        return "action_releasing"

    def act(self, dispatcher: CollectingDispatcher, tracker, domain: dict[str, Any]) -> list:
        self.released.set()
        dispatcher.utter_message(text="done")
        return []


async def run_both(first: AssistantAction, second: AssistantAction) -> list[list[dict]]:
    dispatchers = [CollectingDispatcher(), CollectingDispatcher()]
    await asyncio.gather(
        first.run(dispatchers[0], make_tracker(), {}),
        second.run(dispatchers[1], make_tracker(), {}),
    )
    return [dispatcher.messages for dispatcher in dispatchers]


def test_an_action_blocked_on_the_shop_does_not_block_another_conversations_action():
    released = threading.Event()

    waiting, releasing = asyncio.run(run_both(WaitingAction(released), ReleasingAction(released)))

    assert [m["text"] for m in waiting] == ["released"]
    assert [m["text"] for m in releasing] == ["done"]


def test_an_action_acts_outside_the_event_loop_thread():
    loop_threads: list[threading.Thread] = []

    class ThreadRecorder(ReleasingAction):
        def act(self, dispatcher, tracker, domain):
            loop_threads.append(threading.current_thread())
            return []

    async def run_and_note_loop_thread() -> threading.Thread:
        await ThreadRecorder(threading.Event()).run(CollectingDispatcher(), make_tracker(), {})
        return threading.current_thread()

    assert asyncio.run(run_and_note_loop_thread()) is not loop_threads[0]

"""The team's opening hours, told when a customer asks when someone can answer.

Asked in many words that classify as other intents (« quelqu'un est en ligne en ce moment ? »
reads like the promotions on now), so the actions of those intents answer it too.
"""

from __future__ import annotations

import re

from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import slots
from actions.cues import words_of
from actions.yes_no import HANDOFF_ACTION, ask_confirmation
from backend.clock import SystemClock
from backend.handoff import (
    describe_opening_hours_fr,
    format_opening_fr,
    opening_hours_from_environment,
)

OPENING_HOURS_TOPIC = "opening_hours"
_DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
_HOLIDAYS = re.compile(r"ferie|noel|25 decembre|jour de l'an|1er janvier|paques|fete nationale")
_WEEKEND = re.compile(r"fin de semaine|week-?end")


HOLIDAY = "holiday"


def day_asked(text: str) -> str | None:
    """The day a message asks about: HOLIDAY, a weekday's name (the weekend is asked as its
    first day), or None."""
    words = words_of(text)
    if _HOLIDAYS.search(words):
        return HOLIDAY
    if (day := next((d for d in _DAYS if re.search(rf"\b{d}s?\b", words)), None)) is not None:
        return day
    return "samedi" if _WEEKEND.search(words) else None


def tell_the_opening_hours(dispatcher: CollectingDispatcher, text: str) -> list[EventType]:
    """The team's hours (ALLYZURE_SUPPORT_HOURS), and when it is next there if not now; for a
    day named (« et le samedi ? »), whether it answers that day."""
    hours = opening_hours_from_environment()
    now = SystemClock().now()  # the real time, like the handoff's availability
    described = describe_opening_hours_fr(hours)
    topic = [SlotSet(slots.TOPIC, OPENING_HOURS_TOPIC)]
    day = day_asked(text)
    if day == HOLIDAY:
        dispatcher.utter_message(response="utter_opening_hours_holidays", hours=described)
        return topic
    if day is not None:
        open_that_day = bool(hours.windows.get(_DAYS.index(day)))
        response = "utter_opening_hours_that_day" if open_that_day else "utter_closed_that_day"
        dispatcher.utter_message(response=response, day=day, hours=described)
        return topic
    if hours.is_open(now):
        dispatcher.utter_message(response="utter_opening_hours_open", hours=described)
    else:
        upcoming = hours.next_opening(now)
        dispatcher.utter_message(
            response="utter_opening_hours_closed",
            hours=described,
            next_opening=format_opening_fr(upcoming) if upcoming else "",
        )
    return topic


def hours_and_a_person_offered(dispatcher: CollectingDispatcher, text: str) -> list[EventType]:
    """« quelqu'un du service client est disponible maintenant ? »: when the team answers,
    then a person offered, never a request opened unasked."""
    told = tell_the_opening_hours(dispatcher, text)
    return [*told, *ask_confirmation(dispatcher, "utter_offer_a_person", HANDOFF_ACTION)]

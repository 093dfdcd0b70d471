"""Cancellation: within 24 hours and while processing; personalised lines stay.

The shop cancels line by line: when the customer names pieces (« annulez juste le
bracelet »), only those lines are cancelled and the rest ships; a phrase fitting several lines
gets the question which one.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions import cues
from actions.base import (
    Identity,
    OrderBoundAction,
    ask_confirmation,
    is_preview,
    report_facts,
    verified_identity,
)
from actions.details import chosen_skus
from actions.outcomes import (
    cancelled_lines as lines_already_cancelled,
)
from actions.outcomes import (
    eligible_names,
    lines_to_decide,
    utter_excluded_lines,
    utter_refund_detail,
)
from actions.values import agreement, day, enumeration, money, time_of_day
from actions.withdrawal import withdraw_an_open_handoff
from actions.yes_no import HANDOFF_ACTION
from backend.domain import RequestKind, RequestStatus
from backend.policies.reasons import ReasonCode
from backend.services import RequestView, ShopService

REFUSALS = {
    ReasonCode.CANCELLATION_WINDOW_EXPIRED: "utter_cancel_window_expired",
    ReasonCode.ALREADY_SHIPPED: "utter_cancel_already_shipped",
    ReasonCode.ALREADY_CANCELLED: "utter_cancel_already_cancelled",
    ReasonCode.ORDER_CANCELLED: "utter_cancel_already_cancelled",
    ReasonCode.ALL_LINES_PERSONALISED: "utter_cancel_all_personalised",
}
# Every outcome of check_cancellation has its text (tests/bot/test_reason_texts.py).
RESPONSES = {
    **REFUSALS,
    ReasonCode.CANCELLABLE: "utter_cancel_possible",
    ReasonCode.PARTIALLY_CANCELLABLE: "utter_cancel_possible",
}
LINE_RESPONSES = {ReasonCode.PERSONALISED_LINE: "utter_cancel_personalised_lines_stay"}
FLOW_INTENT = "cancel_order"
# After these refusals the order will arrive: say what the return policy allows for it.
RETURN_LATER = {ReasonCode.ALREADY_SHIPPED, ReasonCode.CANCELLATION_WINDOW_EXPIRED}


def tell_return_outlook(
    dispatcher: CollectingDispatcher, service: ShopService, identity: Identity
) -> None:
    """« You can return it later », as the return policy decides for this very order."""
    decision = service.check_return(identity.order_number, identity.email)
    returnable = enumeration(eligible_names(decision.lines))
    if decision.reason is ReasonCode.NOT_DELIVERED_YET:
        dispatcher.utter_message(
            response="utter_return_later_holiday"
            if decision.holiday_return_until
            else "utter_return_later",
            items=returnable,
            return_days=str(decision.return_days),
            holiday_until=day(decision.holiday_return_until),
        )
        utter_excluded_lines(dispatcher, decision.lines, RETURN_LINE_RESPONSES)
    elif decision.reason is ReasonCode.NO_RETURNABLE_LINE:
        dispatcher.utter_message(
            response="utter_return_later_none",
            items=enumeration(line.name for line in decision.lines),
        )
    elif decision.eligible:
        dispatcher.utter_message(
            response="utter_return_now", items=returnable, deadline=day(decision.deadline)
        )
        utter_excluded_lines(dispatcher, decision.lines, RETURN_LINE_RESPONSES)


def _deadline_values(decision) -> dict[str, str]:
    return {
        "deadline_date": day(decision.deadline),
        "deadline_time": time_of_day(decision.deadline),
        "cancel_hours": str(decision.window_hours),
    }


def withdraw_a_request(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    service: ShopService,
    identity: Identity,
    kind: str,
) -> list[EventType]:
    """« vous pouvez annuler l'échange ? », « annulez ma demande »: the assistant cannot
    withdraw a request sent to the team; it names the request (every open one when the
    message names no kind) and offers a person who can, never the order's cancellation,
    which nobody asked for."""
    if kind == RequestKind.CANCELLATION.value:
        return cancellation_cannot_be_undone(dispatcher, tracker, identity)
    references = [request.reference or "" for request in open_requests(service, identity, kind)]
    # « annulez la demande » with only a request for a person open: that one
    if (
        not references
        and kind == cues.ANY_REQUEST
        and (withdrawn := withdraw_an_open_handoff(dispatcher, tracker)) is not None
    ):
        return withdrawn
    if not references:
        return nothing_to_withdraw(dispatcher, identity)
    return ask_confirmation(
        dispatcher,
        "utter_withdraw_request_by_a_person",
        HANDOFF_ACTION,
        reference=enumeration(references, quote=False),
    )


def nothing_to_withdraw(dispatcher: CollectingDispatcher, identity: Identity) -> list[EventType]:
    dispatcher.utter_message(
        response="utter_no_request_to_withdraw", order_number=identity.order_number
    )
    return []


def cancellation_cannot_be_undone(
    dispatcher: CollectingDispatcher, tracker: Tracker, identity: Identity
) -> list[EventType]:
    """« annulez ma demande AN-104201-01, je veux garder le bracelet »: a cancellation is done
    at once (the pieces are refunded), so it is no request waiting: what was cancelled, and a
    person who can see what is possible."""
    cancelled = lines_already_cancelled(tracker, identity.order_number)
    if not cancelled:
        return nothing_to_withdraw(dispatcher, identity)
    return ask_confirmation(
        dispatcher,
        "utter_item_already_cancelled",
        HANDOFF_ACTION,
        items=enumeration(cancelled),
        order_number=identity.order_number,
    )


# Requests the customer may want withdrawn: not the handoff itself, not a cancellation done.
WITHDRAWABLE = [
    kind for kind in RequestKind if kind not in (RequestKind.HANDOFF, RequestKind.CANCELLATION)
]


def open_requests(service: ShopService, identity: Identity, kind: str) -> list[RequestView]:
    """The order's open request of `kind`, or all its open requests for ANY_REQUEST."""
    if kind != cues.ANY_REQUEST:
        found = service.open_request(identity.order_number, identity.email, RequestKind(kind))
        return [found] if found is not None else []
    requests = service.order_summary(identity.order_number, identity.email).requests
    return [r for r in requests if r.status is RequestStatus.OPEN and r.kind in WITHDRAWABLE]


class ActionCancelOrder(OrderBoundAction):
    def name(self) -> str:
        return "action_cancel_order"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        text = tracker.latest_message.get("text") or ""
        if cues.request_to_cancel(text) is not None and verified_identity(tracker) is None:
            # a request to withdraw, not the order's cancellation: no general answer about
            # cancelling orders, and a person can do it without the assistant's lookup
            return ask_confirmation(dispatcher, "utter_withdraw_a_request", HANDOFF_ACTION)
        return super().act(dispatcher, tracker, domain)

    def respond(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        service: ShopService,
        identity: Identity,
    ) -> list[EventType]:
        if (kind := cues.request_to_cancel(tracker.latest_message.get("text") or "")) is not None:
            return withdraw_a_request(dispatcher, tracker, service, identity, kind)
        whole_order = service.check_cancellation(identity.order_number, identity.email)
        skus, asked = lines_to_decide(
            dispatcher, tracker, FLOW_INTENT, identity.order_number, whole_order.lines
        )
        if asked is not None:
            return asked
        decision = whole_order
        if skus is not None:  # lines named: decided for those
            decision = service.check_cancellation(identity.order_number, identity.email, skus)
        report_facts(
            dispatcher,
            tracker,
            flow=self.name(),
            order_number=identity.order_number,
            reason=decision.reason.value,
            deadline=decision.deadline,
        )
        values = {"order_number": identity.order_number, **_deadline_values(decision)}
        if not decision.eligible:
            response = RESPONSES[decision.reason]
            if skus is not None and decision.reason is ReasonCode.ALL_LINES_PERSONALISED:
                response = "utter_cancel_named_personalised"
            cancelled = lines_already_cancelled(tracker, identity.order_number)
            if decision.reason is ReasonCode.ALL_LINES_PERSONALISED and cancelled:
                # « ne contient que des articles personnalisés » hid the bracelet cancelled
                # earlier: what was cancelled, then why the rest stays
                dispatcher.utter_message(
                    response="utter_cancel_rest_is_personalised",
                    cancelled=enumeration(cancelled),
                    items=enumeration(line.name for line in decision.lines if not line.eligible),
                    **values,
                )
                return []
            dispatcher.utter_message(
                response=response,
                items=enumeration(line.name for line in decision.lines),
                **values,
            )
            if decision.reason in RETURN_LATER:
                tell_return_outlook(dispatcher, service, identity)
            return []
        cancellable = eligible_names(decision.lines)
        dispatcher.utter_message(
            response=RESPONSES[decision.reason],
            items=enumeration(cancellable),
            refund=money(decision.refund_amount, decision.currency),
            **values,
        )
        utter_refund_detail(
            dispatcher, decision.refund, decision.currency, kind=refund_kind(decision)
        )
        utter_excluded_lines(dispatcher, decision.lines, LINE_RESPONSES)
        if skus is not None and not decision.whole_order:
            dispatcher.utter_message(response="utter_cancel_rest_ships")
        if decision.whole_order:
            return ask_confirmation(dispatcher, "utter_confirm_cancel", self.name(), **values)
        # a part of the order: the question names it, not « la commande » the rest of which ships
        items = enumeration(cancellable)
        return ask_confirmation(dispatcher, "utter_confirm_cancel_lines", self.name(), items=items)

    def confirm(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        service: ShopService,
        identity: Identity,
    ) -> list[EventType]:
        skus, _ = cancelled_lines(tracker, service, identity)
        outcome = service.cancel_order(
            identity.order_number, identity.email, skus=skus, dry_run=is_preview(tracker)
        )
        decision = outcome.decision
        if not decision.eligible and outcome.request is not None:
            # Already cancelled: by this customer earlier, or by a conversation that
            # confirmed at the same instant and was served first.
            return _already_cancelled(dispatcher, identity.order_number, outcome.request)
        if not decision.eligible:
            # The window closed between the question and the answer.
            dispatcher.utter_message(
                response=REFUSALS.get(decision.reason, "utter_cancel_already_shipped"),
                order_number=identity.order_number,
                **_deadline_values(decision),
            )
            return []
        cancelled = [line for line in decision.lines if line.eligible]
        dispatcher.utter_message(
            response=done_response(decision, named=skus is not None),
            order_number=identity.order_number,
            items=enumeration(line.name for line in cancelled),
            refund=money(decision.refund_amount, decision.currency),
            **agreement(line.category for line in cancelled),
        )
        utter_refund_detail(
            dispatcher, decision.refund, decision.currency, kind=refund_kind(decision)
        )
        return []


def cancelled_lines(
    tracker: Tracker, service: ShopService, identity: Identity
) -> tuple[list[str] | None, list[str]]:
    """(SKUs of the lines the customer named, None for the whole order; the candidate line
    names when what they named fits several lines)."""
    every_line = service.check_cancellation(identity.order_number, identity.email).lines
    return chosen_skus(tracker, FLOW_INTENT, every_line)


def done_response(decision, named: bool) -> str:
    """Whole order, the lines named (the rest ships), or all but the personalised ones."""
    if decision.whole_order:
        return "utter_cancel_done"
    return "utter_cancel_done_named" if named else "utter_cancel_done_partial"


def refund_kind(decision) -> str:
    return "cancel_whole" if decision.whole_order else "cancel_partial"


RETURN_LINE_RESPONSES = {
    ReasonCode.PERSONALISED_LINE: "utter_return_line_personalised",
    ReasonCode.GIFT_CARD: "utter_return_line_gift_card",
}


def _already_cancelled(
    dispatcher: CollectingDispatcher, order_number: str, cancellation: RequestView
) -> list[EventType]:
    """The earlier cancellation, with its reference and refund: nothing was done twice."""
    payload = cancellation.payload
    dispatcher.utter_message(
        response="utter_cancel_already_done"
        if payload.get("whole_order")
        else "utter_cancel_already_done_partial",
        order_number=order_number,
        reference=cancellation.reference,
        refund=money(Decimal(payload["refund_amount"]), payload["currency"]),
    )
    return []

"""The intents of the contract, and which order flow answers each, in one place.

`CONTRACT_INTENTS` are the intent names outside checks rely on (docs/design.md §5): the
domain declares exactly these (tests/bot/test_domain.py) and the NLU tools evaluate them
(tools/nlu_eval.py). `ORDER_FLOWS` says which flow action answers an intent that needs the
customer's order; identification and the out-of-the-blue order number read it, instead of
guessing an action from the intent's name.
"""

from __future__ import annotations

CONTRACT_INTENTS = (
    "greet goodbye thank affirm deny bot_challenge human_handoff track_order order_status_info "
    "tracking_issue missing_parcel wrong_item return_item cancel_order change_address "
    "exchange_item warranty_claim tax_info promotions promo_code loyalty_program "
    "loyalty_balance inform out_of_scope"
).split()

# intent → the OrderBoundAction (bot/actions/base.py) that answers it for a verified order.
ORDER_FLOWS = {
    "track_order": "action_track_order",
    "tracking_issue": "action_tracking_issue",
    "missing_parcel": "action_missing_parcel",
    "return_item": "action_return_item",
    "cancel_order": "action_cancel_order",
    "change_address": "action_change_address",
    "exchange_item": "action_exchange_item",
    "warranty_claim": "action_warranty_claim",
    "wrong_item": "action_wrong_item",
    "tax_info": "action_tax_info",
    "loyalty_balance": "action_loyalty_balance",
}
# flow action → its topic (the `topic` slot, the follow-ups and the intro before
# identification, utter_before_identification_<topic>): the intent it answers.
FLOW_TOPICS = {flow: intent for intent, flow in ORDER_FLOWS.items()}

# What the rules answer (tools/rules.py writes them to bot/data/intent_rules.yml, `make rules`).
# intent → the action that answers it whatever the conversation, outside a form.
ANSWERS = {
    "greet": "action_greet",
    "thank": "action_thank",
    "bot_challenge": "utter_iamabot",
    "out_of_scope": "action_fallback",
    "nlu_fallback": "action_fallback",
    "order_status_info": "action_general_answer",
    "loyalty_program": "action_general_answer",
    "human_handoff": "action_human_handoff",
    "promotions": "action_promotions",
    "promo_code": "action_promo_code",
}

# An aside while a form asks its questions: answered, then the form asks again. A thank-you
# gets a plain « de rien » there; questions and other flows go through action_switch_flow
# (bot/actions/identification.py), which answers or remembers the flow for after the form.
SWITCH_FLOW = "action_switch_flow"
SMALL_TALK_DURING_A_FORM = {
    "greet": "utter_greet",
    "thank": "action_thank",  # « merci c'est tout » ends the form (ActionThank)
    "bot_challenge": "utter_iamabot",
    "out_of_scope": "action_fallback",
    "nlu_fallback": "action_fallback",
}
QUESTIONS = ("order_status_info", "loyalty_program", "promotions", "promo_code")
_ASIDES = {**SMALL_TALK_DURING_A_FORM, **dict.fromkeys(QUESTIONS, SWITCH_FLOW)}

# form → the asides it answers before asking again. The address form takes any text as the
# address, so nothing interrupts it.
FORM_ASIDES: dict[str, dict[str, str]] = {
    "identification_form": {**_ASIDES, **dict.fromkeys(ORDER_FLOWS, SWITCH_FLOW)},
    "warranty_form": _ASIDES,
    "address_form": {},
}

# intent → what ends any form and answers instead of it.
FORM_STOPS = {
    "deny": "utter_identification_stopped",
    "human_handoff": "action_human_handoff",
    "goodbye": "utter_goodbye",  # « bye » while asked for the order number
}

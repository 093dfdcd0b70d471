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

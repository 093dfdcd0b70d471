"""Every reason code a flow can return has a customer text in that flow (issue 15).

The policies declare what they can return (OUTCOMES, EXCLUDED_LINE_REASONS; a backend test
checks those sets are exactly the reachable ones); each flow maps every one of them to a
response that exists in domain.yml. A code added to a policy without a text fails here.
"""

from __future__ import annotations

import pytest
from actions import cancellation as cancellation_flow
from actions import exchange as exchange_flow
from actions import returns as returns_flow
from actions import shop_info
from actions import warranty as warranty_flow
from support import read_yaml

from backend.policies import cancellation, exchange, returns, taxes, warranty
from tools.model import BOT_DIR

RESPONSES = read_yaml(BOT_DIR / "domain.yml")["responses"]

FLOWS = {
    "returns": (returns, returns_flow.RESPONSES, returns_flow.LINE_RESPONSES),
    "exchange": (exchange, exchange_flow.RESPONSES, exchange_flow.LINE_RESPONSES),
    "cancellation": (cancellation, cancellation_flow.RESPONSES, cancellation_flow.LINE_RESPONSES),
    "warranty": (warranty, warranty_flow.RESPONSES, warranty_flow.LINE_RESPONSES),
    "taxes": (taxes, shop_info.TAX_RESPONSES, {}),
}


@pytest.mark.parametrize("flow", FLOWS)
def test_every_outcome_of_the_policy_has_a_text_in_its_flow(flow):
    policy, responses, _ = FLOWS[flow]

    assert set(policy.OUTCOMES) - set(responses) == set()
    assert {responses[code] for code in policy.OUTCOMES} <= set(RESPONSES)


@pytest.mark.parametrize("flow", [name for name in FLOWS if name != "taxes"])
def test_every_reason_a_line_is_left_out_has_its_own_text(flow):
    policy, _, line_responses = FLOWS[flow]

    assert set(policy.EXCLUDED_LINE_REASONS) - set(line_responses) == set()
    assert set(line_responses.values()) <= set(RESPONSES)


def test_an_undelivered_order_is_never_told_its_warranty_is_over():
    text = RESPONSES[warranty_flow.RESPONSES[warranty.ReasonCode.NOT_DELIVERED_YET]][0]["text"]

    assert "terminée" not in text
    assert "{purchase_date}" in text and "{deadline}" in text

"""Every sentence a customer reads is in domain.yml, in French, with vouvoiement and typography."""

from __future__ import annotations

import re

import pytest
from actions.intents import CONTRACT_INTENTS
from support import read_yaml

from tools.model import BOT_DIR, PROJECT_ROOT

DOMAIN = read_yaml(BOT_DIR / "domain.yml")
RESPONSES = DOMAIN["responses"]
TEXTS = [(name, variant["text"]) for name, variants in RESPONSES.items() for variant in variants]
TUTOIEMENT = re.compile(r"\b(tu|toi|ton|ta|tes|t’|t')\b", re.IGNORECASE)


def referenced_responses() -> set[str]:
    sources = [p.read_text() for p in (BOT_DIR / "actions").glob("*.py")]
    sources += [p.read_text() for p in (BOT_DIR / "data").glob("*.yml") if p.name != "nlu.yml"]
    sources.append((PROJECT_ROOT / "server" / "patches.py").read_text())  # action failures
    sources.append((PROJECT_ROOT / "web" / "workspace.py").read_text())  # said for an agent
    quoted_or_action = r"(?:\"|action: )(utter_[a-z_]+)"
    names = {name for source in sources for name in re.findall(quoted_or_action, source)}
    # Prefixes (tests/bot/test_faq.py) and the key Rasa puts on a response's bot event.
    return {name for name in names if not name.endswith("_") and name != "utter_action"}


def test_every_response_the_actions_use_exists():
    missing = referenced_responses() - set(RESPONSES)

    assert missing == set()


def test_every_form_slot_has_a_question():
    for form in DOMAIN["forms"].values():
        for slot in form["required_slots"]:
            assert f"utter_ask_{slot}" in RESPONSES


@pytest.mark.parametrize(("name", "text"), TEXTS)
def test_responses_use_vouvoiement(name, text):
    assert not TUTOIEMENT.search(text), name


@pytest.mark.parametrize(("name", "text"), TEXTS)
def test_double_punctuation_has_a_no_break_space_before_it(name, text):
    assert not re.search(r" [?!;:]", text), name
    assert not re.search(r"\w[?!;](\s|$)", text), name


@pytest.mark.parametrize(("name", "text"), TEXTS)
def test_french_quotes_and_apostrophes_are_typographic(name, text):
    assert "'" not in text, name
    assert not re.search(r"« |«\S| »|\S»", text), name


def test_the_domain_declares_exactly_the_contract_intents():
    assert set(DOMAIN["intents"]) == set(CONTRACT_INTENTS)


def test_the_action_server_gets_the_domain_only_for_the_form_validators_that_read_it():
    """enable_selective_domain: rasa_sdk's form validation reads the domain's slots and forms;
    no other action of ours reads it, and 27 KB per call is a turn's largest payload."""
    needs_domain = {
        name
        for entry in DOMAIN["actions"]
        if isinstance(entry, dict)
        for name, options in entry.items()
        if options.get("send_domain")
    }
    endpoints = [read_yaml(BOT_DIR / f) for f in ("endpoints.yml", "endpoints.prod.yml")]

    actions = {next(iter(e)) if isinstance(e, dict) else e for e in DOMAIN["actions"]}

    assert needs_domain == {action for action in actions if action.startswith("validate_")}
    assert all(e["action_endpoint"]["enable_selective_domain"] is True for e in endpoints)


POLICY_NUMBER = re.compile(
    r"\b(\d+|un|deux|trois|trente|vingt-quatre)[\s\u00a0\u202f]+(jours?|heures?|ans?)\b"
)


@pytest.mark.parametrize(("name", "text"), TEXTS)
def test_no_response_writes_a_policy_number_itself(name, text):
    """{return_days}, {cancel_hours}, {warranty_years}… come from backend/policy.yml
    (server/nlg.py): a number typed here would stay when the policy changes."""
    assert not POLICY_NUMBER.search(text), name


def order_flows() -> list:
    """One instance of every concrete order flow (importing a module registers its flows)."""
    from actions import (  # noqa: F401
        address,
        cancellation,
        exchange,
        returns,
        shop_info,
        tracking,
        warranty,
        wrong_item,
    )
    from actions.base import OrderBoundAction, all_subclasses

    return [c() for c in all_subclasses(OrderBoundAction) if not c.__abstractmethods__]


def test_every_order_flow_is_registered_under_a_contract_intent():
    """bot/actions/intents.py ORDER_FLOWS is the only way from an intent to its flow."""
    from actions.base import flow_for_intent
    from actions.intents import ORDER_FLOWS

    flows = {flow.name() for flow in order_flows()}

    assert set(ORDER_FLOWS) <= set(CONTRACT_INTENTS)
    assert set(ORDER_FLOWS.values()) == flows
    assert all(flow_for_intent(intent).name() == name for intent, name in ORDER_FLOWS.items())
    assert flow_for_intent("greet") is None


@pytest.mark.parametrize("flow", order_flows(), ids=lambda flow: flow.name())
def test_every_order_flow_declares_its_topic_in_the_registry(flow):
    """The topic is the registry's word (FLOW_TOPICS), not guessed from the action's name."""
    from actions.intents import FLOW_TOPICS, ORDER_FLOWS

    assert flow.name() in FLOW_TOPICS
    assert ORDER_FLOWS[flow.topic()] == flow.name()
    assert f"utter_before_identification_{flow.topic()}" in RESPONSES


def test_the_tax_answers_for_abroad_say_the_shop_charges_no_sales_tax():
    # docs/policy-decisions.md: any other country is international, no sales tax charged
    for name in ("utter_faq_tax_info_international", "utter_faq_tax_info_who_pays"):
        assert "nous ne facturons pas de taxe de vente" in RESPONSES[name][0]["text"]

"""The rules that follow from the flow registry are written by tools/rules.py, never by hand."""

from __future__ import annotations

import yaml
from actions.intents import ANSWERS, FORM_ASIDES, FORM_STOPS, ORDER_FLOWS, SWITCH_FLOW
from support import read_yaml

from tools import rules
from tools.model import BOT_DIR


def test_the_committed_intent_rules_are_what_the_registry_writes():
    assert rules.GENERATED_RULES.read_text() == rules.render(), "run `make rules`"


def test_no_hand_written_rule_repeats_a_generated_one():
    hand_written = read_yaml(BOT_DIR / "data" / "rules.yml")["rules"]
    generated = rules.intent_rules()

    def steps(rule):
        return yaml.safe_dump([rule.get("condition"), rule["steps"]])

    assert {steps(r) for r in hand_written}.isdisjoint(steps(r) for r in generated)


def test_every_form_of_the_domain_has_its_asides_and_stops():
    domain = read_yaml(BOT_DIR / "domain.yml")
    stopping = {
        (rule["condition"][0]["active_loop"], rule["steps"][0]["intent"])
        for rule in rules.intent_rules()
        if rule["rule"].startswith("Stop ")
    }

    assert set(FORM_ASIDES) == set(domain["forms"])
    assert stopping == {(form, intent) for form in domain["forms"] for intent in FORM_STOPS}


def test_an_order_question_during_identification_switches_the_flow_then_asks_again():
    rule = rules.aside("identification_form", "cancel_order", SWITCH_FLOW)

    assert rule in rules.intent_rules()
    assert [next(iter(step.values())) for step in rule["steps"]] == [
        "cancel_order",
        SWITCH_FLOW,
        "identification_form",
        "identification_form",
    ]


def test_every_intent_outside_a_form_has_one_answer():
    answered = [
        rule["steps"][0]["intent"] for rule in rules.intent_rules() if "condition" not in rule
    ]

    assert sorted(answered) == sorted({**ANSWERS, **ORDER_FLOWS})
    assert set(ANSWERS).isdisjoint(ORDER_FLOWS)


def test_the_check_mode_says_when_the_file_is_stale(tmp_path, monkeypatch, capsys):
    stale = tmp_path / "intent_rules.yml"
    stale.write_text(rules.render().replace("utter_greet", "utter_goodbye", 1))
    monkeypatch.setattr(rules, "GENERATED_RULES", stale)

    assert rules.main(["--check"]) == 1
    assert "make rules" in capsys.readouterr().err
    assert rules.main([]) == 0
    assert rules.main(["--check"]) == 0

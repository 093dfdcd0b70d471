"""The in-process profile of a turn (bench/profiling.py) calls the action server as the Rasa
server of `make run` does."""

from __future__ import annotations

import importlib

import yaml

from bench.profiling import PHASES, action_endpoint
from tools.model import BOT_DIR


def test_the_profiled_agent_sends_the_domain_only_where_the_endpoints_file_says():
    configured = yaml.safe_load((BOT_DIR / "endpoints.yml").read_text(encoding="utf-8"))
    endpoint = action_endpoint("http://127.0.0.1:5055", "secret")

    assert (
        endpoint.kwargs["enable_selective_domain"]
        is configured["action_endpoint"]["enable_selective_domain"]
    )
    assert endpoint.url == "http://127.0.0.1:5055/webhook"
    assert endpoint.headers == {"X-Allyzure-Action-Token": "secret"}


def test_every_timed_phase_is_a_method_its_class_defines():
    """A phase timed on a method its class only inherits would time nothing: the store's
    retrieve and save are the project's own (server/tracker_store.py)."""
    for module_name, class_name, method in PHASES.values():
        owner = getattr(importlib.import_module(module_name), class_name)
        assert method in owner.__dict__, f"{class_name}.{method}"


def test_the_store_phases_time_the_store_the_endpoints_file_names():
    configured = yaml.safe_load((BOT_DIR / "endpoints.yml").read_text(encoding="utf-8"))
    timed = {PHASES[phase][:2] for phase in ("tracker_store_retrieve", "tracker_store_save")}

    assert {".".join(owner) for owner in timed} == {configured["tracker_store"]["type"]}

"""The in-process profile of a turn (bench/profiling.py) calls the action server as the Rasa
server of `make run` does."""

from __future__ import annotations

import yaml

from bench.profiling import action_endpoint
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

"""The production profile with a fault proxy between the action servers and the shop database,
and a crowd of customers for the concurrency test."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from stacks import RunningAssistant, running, stack_config
from support import FROZEN_NOW, load_demo_data

from tools.launcher import free_port
from tools.model import PROJECT_ROOT
from tools.prod import ProductionStack, scratch_production_config

from .fault_proxy import FaultProxy

CROWD_SIZE = 50
# Short enough for a test, long enough for an action under the 50-conversation load on two
# busy cores (actions queue behind each other there: 6 s was measured too short).
ACTION_TIMEOUT_S = 20


def crowd_order(index: int) -> tuple[str, str]:
    """Order number and email of the crowd's customer `index` (1-based)."""
    return f"AZ91{index:04d}", f"client{index:02d}@exemple.ca"


def crowd_fixture(size: int) -> str:
    """One delivered, returnable order per customer, in the fixture format of docs/design.md §4."""
    parts = ["customers:"]
    for index in range(1, size + 1):
        _, email = crowd_order(index)
        parts.append(
            f"  - {{email: {email}, first_name: Client{index:02d}, last_name: Test, "
            "loyalty: {member: false, points: 0}}"
        )
    parts += [
        "products:",
        "  - {sku: BR-JONC-OR, name: Bracelet jonc plaqué or, category: bracelet, price: 129.00,",
        "     personalized: false, gift_card: false, warranty_excluded: false}",
        "orders:",
    ]
    for index in range(1, size + 1):
        number, email = crowd_order(index)
        parts.append(
            f"""  - number: {number}
    customer: {email}
    placed_at: today-9d
    status: delivered
    currency: CAD
    shipping_fee: 9.95
    discount: 0.00
    promo_code: null
    shipping_address:
      {{name: Client{index:02d} Test, line1: {index} rue Test, city: Montréal,
        region: QC, postal_code: H2X 1Y4, country: CA}}
    lines:
      - {{sku: BR-JONC-OR, quantity: 1, unit_price: 129.00, engraving: null}}
    shipment:
      carrier: Purolator
      tracking_number: "PUR{index:06d}"
      shipped_at: today-8d
      estimated_delivery: today-5d
      delivered_at: today-5d
      events:
        - {{at: today-5d, location: "Montréal, QC", description: Livré}}"""
        )
    return "\n".join(parts) + "\n"


def load_crowd(database_url: str, workdir: Path) -> None:
    fixture = workdir / "crowd.yml"
    fixture.write_text(crowd_fixture(CROWD_SIZE), encoding="utf-8")
    env = {**os.environ, "ALLYZURE_DATABASE_URL": database_url, "ALLYZURE_NOW": FROZEN_NOW}
    subprocess.run(
        [sys.executable, "-m", "backend", "load-fixtures", str(fixture)],
        cwd=PROJECT_ROOT,
        env=env,
        check=True,
        capture_output=True,
    )


@dataclass(frozen=True)
class ProductionAssistant:
    running: RunningAssistant
    stack: ProductionStack
    shop_database: FaultProxy


@pytest.fixture(scope="session")
def production(trained_model: Path, tmp_path_factory) -> Iterator[ProductionAssistant]:
    """PostgreSQL, Redis, 2 Rasa + 2 action servers behind nginx; the action servers reach the
    shop database through a FaultProxy, Rasa reaches its tracker store directly."""
    workdir = tmp_path_factory.mktemp("production")
    postgres_port = free_port()
    resources = ExitStack()
    proxy = FaultProxy(target_port=postgres_port, listen_port=free_port()).start()
    resources.callback(proxy.stop)

    def prepare(database_url: str) -> None:
        load_demo_data(database_url)
        load_crowd(database_url, workdir)

    config = resources.enter_context(
        scratch_production_config(
            stack_config(trained_model, workdir, {}), prepare, postgres_port=postgres_port
        )
    )
    proxied_url = config.shop_database_url.replace(f":{postgres_port}/", f":{proxy.listen_port}/")
    config = replace(
        config,
        extra_env={
            "ALLYZURE_DATABASE_URL": proxied_url,
            "ALLYZURE_ACTION_TIMEOUT_S": str(ACTION_TIMEOUT_S),
        },
    )
    with resources:
        product = resources.enter_context(ProductionStack(config, log_dir=workdir / "logs"))
        yield ProductionAssistant(
            running=running(product, config.shop_database_url), stack=product, shop_database=proxy
        )


@pytest.fixture
def conversation_id() -> str:
    return f"reliability-{secrets.token_hex(6)}"

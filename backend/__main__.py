"""Command line: `python -m backend migrate | load-fixtures PATH [--replace] | init-demo | …`.

`create-agent USERNAME --name "Display Name" [--role lead]` creates a support agent's account
(the agent workspace, issue 18); the password is asked twice on the terminal, or read from the
first line of standard input with `--password-stdin` (never on the command line, where `ps`
shows it).

The database is ALLYZURE_DATABASE_URL (default: a SQLite file under var/); relative
fixture dates use ALLYZURE_NOW when set. Exit status: 0 on success, 2 on invalid input
(errors on stderr as `file: path.in.document: reason`).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Sequence
from pathlib import Path

from backend.agents import ROLES, AccountError, AgentAccounts
from backend.clock import SystemClock, clock_from_settings
from backend.config import Settings, load_settings
from backend.db import make_engine, make_session_factory, unit_of_work
from backend.fixtures import FixtureValidationError, load_fixture_file
from backend.formatting import status_label
from backend.identity import normalise_order_number
from backend.migrate import make_migration, migrate
from backend.repository import ShopRepository
from backend.services.views import order_summary

DEMO_FIXTURE = Path(__file__).resolve().parent / "fixture_data" / "demo.yml"
EXIT_OK = 0
EXIT_INVALID = 2


def main(argv: Sequence[str] | None = None) -> int:
    arguments = _parser().parse_args(argv)
    try:
        settings = load_settings()
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_INVALID
    return arguments.command(arguments, settings)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m backend", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    command = commands.add_parser("migrate", help="create or upgrade the database schema")
    command.set_defaults(command=_migrate)

    command = commands.add_parser(
        "load-fixtures", help="validate a fixture file, then load it (migrates first)"
    )
    command.add_argument("path", type=Path)
    command.add_argument(
        "--replace",
        action="store_true",
        help="make the shop data mirror the file: delete what it does not describe "
        "(service requests are kept)",
    )
    command.set_defaults(command=_load_fixtures)

    command = commands.add_parser(
        "init-demo", help="migrate, and load the demo fixture if the database has no order"
    )
    command.set_defaults(command=_init_demo)

    command = commands.add_parser("show-order", help="print an order (debugging)")
    command.add_argument("number")
    command.set_defaults(command=_show_order)

    command = commands.add_parser("create-agent", help="create a support agent's account")
    command.add_argument("username")
    command.add_argument("--name", required=True, help="the name customers and the audit see")
    command.add_argument("--role", choices=ROLES, default="agent")
    command.add_argument("--password-stdin", action="store_true")
    command.set_defaults(command=_create_agent)

    command = commands.add_parser(
        "make-migration", help="autogenerate a new Alembic revision (development)"
    )
    command.add_argument("message")
    command.set_defaults(command=_make_migration)
    return parser


def _migrate(_arguments: argparse.Namespace, settings: Settings) -> int:
    migrate(make_engine(settings.database_url))
    print(f"database at the newest schema: {settings.database_url}")
    return EXIT_OK


def _load_fixtures(arguments: argparse.Namespace, settings: Settings) -> int:
    engine = make_engine(settings.database_url)
    migrate(engine)
    try:
        report = load_fixture_file(
            arguments.path,
            make_session_factory(engine),
            clock_from_settings(settings),
            replace=arguments.replace,
        )
    except FixtureValidationError as error:
        for line in error.lines():
            print(line, file=sys.stderr)
        print(f"{error.file}: {len(error.errors)} error(s), nothing loaded", file=sys.stderr)
        return EXIT_INVALID
    print(report.summary())
    return EXIT_OK


def _init_demo(_arguments: argparse.Namespace, settings: Settings) -> int:
    engine = make_engine(settings.database_url)
    migrate(engine)
    session_factory = make_session_factory(engine)
    with unit_of_work(session_factory) as session:
        orders = ShopRepository(session).count_orders()
    if orders:
        print(f"database already holds {orders} order(s): demo data not loaded")
        return EXIT_OK
    report = load_fixture_file(DEMO_FIXTURE, session_factory, clock_from_settings(settings))
    print(report.summary())
    return EXIT_OK


def _show_order(arguments: argparse.Namespace, settings: Settings) -> int:
    number = normalise_order_number(arguments.number)
    session_factory = make_session_factory(make_engine(settings.database_url))
    with unit_of_work(session_factory) as session:
        repository = ShopRepository(session)
        order = repository.order_by_number(number) if number else None
        if order is None:
            print(f"no order {arguments.number!r}", file=sys.stderr)
            return EXIT_INVALID
        summary = order_summary(order, repository.requests_for_order(order.number))
        email = order.customer.email
    print(f"{summary.number}  {status_label(summary.status)}  {summary.placed_at.isoformat()}")
    print(f"customer  {email}")
    for line in summary.lines:
        flags = " ".join(
            flag
            for flag, present in (
                ("personalised", line.personalised),
                ("gift-card", line.gift_card),
                ("cancelled", line.cancelled),
            )
            if present
        )
        print(f"  {line.quantity} x {line.sku} {line.unit_price} {summary.currency} {flags}")
    print(f"total     {summary.total} {summary.currency} (before taxes)")
    if summary.shipment:
        shipment = summary.shipment
        print(f"shipment  {shipment.carrier} {shipment.tracking_number}")
        for event in shipment.events:
            print(f"  {event.at.isoformat()}  {event.location}  {event.description}")
    for request in summary.requests:
        print(f"request   {request.reference} {request.kind.value} {request.status.value}")
    return EXIT_OK


def _create_agent(arguments: argparse.Namespace, settings: Settings) -> int:
    if arguments.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Mot de passe : ")
        if getpass.getpass("Confirmez le mot de passe : ") != password:
            print("error: the two passwords differ", file=sys.stderr)
            return EXIT_INVALID
    engine = make_engine(settings.database_url)
    migrate(engine)
    accounts = AgentAccounts(make_session_factory(engine))
    try:
        agent = accounts.create(
            arguments.username, arguments.name, password, arguments.role, SystemClock().now()
        )
    except AccountError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_INVALID
    print(f"agent {agent.username!r} ({agent.display_name}, {agent.role}) created")
    return EXIT_OK


def _make_migration(arguments: argparse.Namespace, settings: Settings) -> int:
    make_migration(make_engine(settings.database_url), arguments.message)
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())

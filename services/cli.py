"""`binhdang`: run a service, migrate, mint development tokens, inspect and replay dead letters, the broker's
users, the demo.

Imports stay inside the commands: `run` must monkey-patch eventlet before anything
else touches sockets or threads.
"""
from __future__ import annotations

import argparse
import json
import os
import sys

from services.common.config import SERVICE_NAMES
from services.common.roles import Role


def cmd_run(args) -> int:
    import eventlet
    eventlet.monkey_patch()

    import logging

    if args.service == "web":
        from services.common.config import value_of
        from services.common.logs import configure_logging
        from services.web.server import serve

        configure_logging("web", value_of("LOG_LEVEL"), value_of("LOG_FORMAT"))
        serve()
        return 0

    from nameko.cli.run import run

    from services.catalog import service_class
    from services.common.config import nameko_config
    from services.common.logs import configure_logging
    from services.common.production import check_service

    config = nameko_config(args.service)
    configure_logging(args.service, config["LOG_LEVEL"], config["LOG_FORMAT"])
    for warning in check_service(args.service, config):  # raises for an unknown environment, unsafe production
        logging.getLogger("binhdang").warning(warning)
    logging.getLogger("binhdang").info("starting", extra={"http": config["WEB_SERVER_ADDRESS"]})
    run([service_class(args.service)], config)
    return 0


def cmd_migrate(args) -> int:
    from services.catalog import migrations_of
    from services.common.config import nameko_config
    from services.common.db import make_engine
    from services.common.migrations import upgrade_to_head

    if args.service == "web":
        from services.web.app import migrate
        from services.web.config import web_config

        migrate(web_config({**os.environ, "WEB_DATABASE_URL": args.database_url or os.environ.get("WEB_DATABASE_URL")}))
        print("web: migrated to head")
        return 0
    services = SERVICE_NAMES if args.service == "all" else (args.service,)
    urls = {name: args.database_url or nameko_config(name)["DATABASE_URL"] for name in services}
    _refuse_shared_databases(urls)
    for name, url in urls.items():
        upgrade_to_head(make_engine(url), migrations_of(name))
        print(f"{name}: migrated to head")
    return 0


def _refuse_shared_databases(urls: dict[str, str]) -> None:
    """Each service owns its database, and its migration history lives there (one `alembic_version`)."""
    import sqlalchemy as sa

    for url in dict.fromkeys(urls.values()):
        sharing = [name for name, other in urls.items() if other == url]
        if len(sharing) > 1:
            raise ValueError(
                f"{', '.join(sharing)} would all be migrated into one database "
                f"({sa.make_url(url).render_as_string(hide_password=True)}), but each service needs its own "
                "database: run `binhdang migrate <service> --database-url URL` once per service, each with "
                "the URL of that service's database (or leave DATABASE_URL empty for a SQLite file per service)")


def cmd_new_migration(args) -> int:
    """Autogenerate a migration for a service against a scratch SQLite database at head."""
    import tempfile

    from alembic import command

    from services.catalog import migrations_of
    from services.common.db import make_engine
    from services.common.migrations import alembic_config, upgrade_to_head

    with tempfile.TemporaryDirectory() as scratch:
        engine = make_engine(f"sqlite:///{scratch}/scratch.db")
        upgrade_to_head(engine, migrations_of(args.service))
        with engine.begin() as connection:
            command.revision(alembic_config(migrations_of(args.service), connection), message=args.message,
                             autogenerate=True, rev_id=args.rev_id)
    return 0


def cmd_token(args) -> int:
    from services.common.auth import mint_token
    from services.common.config import value_of
    from services.common.token_keys import signing_key

    token = mint_token(signing_key(), subject=args.subject, role=args.role, commune=args.commune,
                       unit=args.unit, province=args.province, issuer=value_of("JWT_ISSUER"), ttl_seconds=args.ttl)
    print(token)
    return 0


def cmd_web_account(args) -> int:
    import datetime as dt
    import secrets

    from sqlalchemy.orm import sessionmaker

    from services.common.db import make_engine
    from services.web.accounts import NewAccount, bootstrap_account
    from services.web.app import migrate
    from services.web.config import web_config

    config = web_config()
    migrate(config)
    password = secrets.token_urlsafe(12)
    with sessionmaker(make_engine(config.database_url)).begin() as session:
        account = bootstrap_account(session, NewAccount(
            username=args.username, display_name=args.name, password=password, role=Role(args.role),
            commune=args.commune, unit=args.unit, province=args.province), dt.datetime.now(dt.UTC))
        account.must_change_password = True  # printed on a terminal: the person sets their own at once
        print(f"username: {account.username}\npassword: {password} (to be changed at the first sign-in)")
        if account.totp_secret:
            print(f"TOTP secret: {account.totp_secret}")
    return 0


def cmd_reporting(args) -> int:
    from services.common.config import default_database_url, env, value_of
    from services.common.db import TransactionRunner, make_engine
    from services.common.migrations import upgrade_to_head
    from services.reporting import rebuild

    url = args.database_url or env("DATABASE_URL") or default_database_url("reporting", value_of("DATA_DIR"))
    engine = make_engine(url)
    upgrade_to_head(engine, "services.reporting:migrations")
    applied = rebuild.rebuild(TransactionRunner(engine))
    print(f"reporting: projections rebuilt from {applied} events")
    return 0


def cmd_dead_letters(args) -> int:
    from services.common import dead_letters
    from services.common.config import settings, value_of
    from services.ops.topology import dead_letter_queues

    config = settings()
    amqp_uri = value_of("AMQP_URI", config)
    queues = dead_letter_queues(config, args.queue)
    if args.action == "list":
        report = {queue: dead_letters.peek(amqp_uri, queue, limit=args.limit) for queue in queues}
        print(json.dumps(report, ensure_ascii=False, indent=2, default=str))
    else:
        total = 0
        for queue in queues:
            moved = dead_letters.replay(amqp_uri, queue, event_id=args.event_id, limit=args.limit)
            if moved:
                print(f"{queue}: replayed {moved}")
            total += moved
        print(f"replayed {total} message(s)")
    return 0


def cmd_import_plan(args) -> int:
    """Parse a plan document and print the draft and its warnings as JSON (nothing is stored)."""
    from pathlib import Path

    from services.plans import importer
    from services.plans.directory_file import read_directory

    path = Path(args.file)
    directory = read_directory(Path(args.directory)) if args.directory else []
    try:
        result = importer.import_file(path.name, path.read_bytes(), directory=directory, year_hint=args.year)
    except (importer.NotAPlan, importer.UnreadableDocument) as exc:
        print(json.dumps({"error": str(exc)}, ensure_ascii=False), file=sys.stderr)
        return 1
    print(json.dumps(result.model_dump(mode="json"), ensure_ascii=False, indent=2))
    return 0


def cmd_declare_topology(args) -> int:
    from services.common.config import settings
    from services.ops.topology import declare_topology

    declared = declare_topology(settings())
    print(f"declared {len(declared)} queues with their exchanges and bindings")
    return 0


def cmd_make_secrets(args) -> int:
    from services.ops.deployment_secrets import env_file, new_secrets

    sys.stdout.write(env_file(new_secrets()))
    return 0


def cmd_broker_definitions(args) -> int:
    import os

    from services.ops import broker_access

    vhost, accounts = broker_access.platform_accounts(user_prefix=args.user_prefix,
                                                      with_administrator=args.administrator)
    text = json.dumps(broker_access.definitions(vhost, accounts), indent=2) + "\n"
    if args.out == "-":
        sys.stdout.write(text)
    else:
        # salted hashes, not passwords: the broker's own user reads the file
        descriptor = os.open(args.out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.fchmod(descriptor, 0o644)  # whatever the umask
        with os.fdopen(descriptor, "w", encoding="utf-8") as out:
            out.write(text)
        print(f"{args.out}: vhost {vhost!r}, users {', '.join(a.user for a in accounts)}", file=sys.stderr)
    return 0


def cmd_check_production(args) -> int:
    from services.common.config import settings
    from services.common.production import check_deployment

    check_deployment(settings())  # raises UnsafeConfiguration (a ValueError: main prints it, exits 2)
    print("production settings: no development password, PUBLIC_URL is https")
    return 0


def cmd_demo(args) -> int:
    from services import demo
    return demo.main(keep_running=not args.once, data_dir=args.data_dir)


def cmd_docs(args) -> int:
    from services import docs
    changed = docs.write_all(args.out)
    print("\n".join(changed) if changed else "docs are up to date")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="binhdang", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="run one service (a nameko process), or the web pages (web)")
    run.add_argument("service", choices=(*SERVICE_NAMES, "web"))
    run.set_defaults(func=cmd_run)

    web_account = commands.add_parser(
        "web-account", help="make a web sign-in account (the first operator); prints its password (and TOTP secret)")
    web_account.add_argument("--username", required=True)
    web_account.add_argument("--name", required=True, help="the person's name, as the pages show it")
    web_account.add_argument("--role", required=True, choices=[role.value for role in Role])
    web_account.add_argument("--commune")
    web_account.add_argument("--unit")
    web_account.add_argument("--province")
    web_account.set_defaults(func=cmd_web_account)

    migrate = commands.add_parser("migrate", help="apply Alembic migrations")
    migrate.add_argument("service", choices=(*SERVICE_NAMES, "web", "all"))
    migrate.add_argument("--database-url", help="instead of DATABASE_URL / the SQLite default")
    migrate.set_defaults(func=cmd_migrate)

    new_migration = commands.add_parser("new-migration", help="(developers) autogenerate a migration")
    new_migration.add_argument("service", choices=SERVICE_NAMES)
    new_migration.add_argument("-m", "--message", required=True)
    new_migration.add_argument("--rev-id")
    new_migration.set_defaults(func=cmd_new_migration)

    token = commands.add_parser("token", help="mint a development bearer token")
    token.add_argument("--role", required=True, choices=[role.value for role in Role])
    token.add_argument("--commune", help="commune code (5 digits), for commune roles")
    token.add_argument("--unit", help="unit code, for unit reporters")
    token.add_argument("--province", help="province code (2 digits), for province officers: the communes they see")
    token.add_argument("--subject", default="dev-user")
    token.add_argument("--ttl", type=int, default=8 * 3600, help="seconds")
    token.set_defaults(func=cmd_token)

    dead = commands.add_parser("dead-letters", help="list or replay dead-lettered events")
    dead.add_argument("action", choices=["list", "replay"])
    dead.add_argument("--queue", help="one consumer queue (e.g. reporting.on_plan_issued); default all")
    dead.add_argument("--event-id", help="replay only this event")
    dead.add_argument("--limit", type=int, default=100)
    dead.set_defaults(func=cmd_dead_letters)

    import_plan = commands.add_parser("import-plan", help="parse a plan document (.docx or text); print JSON")
    import_plan.add_argument("file")
    import_plan.add_argument("--directory", help="the commune's unit directory, a JSON list of units")
    import_plan.add_argument("--year", type=int, help="the plan year, if the document does not say")
    import_plan.set_defaults(func=cmd_import_plan)

    topology = commands.add_parser("declare-topology",
                                   help="declare every exchange and consumer queue (before the first start)")
    topology.set_defaults(func=cmd_declare_topology)

    access = commands.add_parser(
        "broker-definitions",
        help="RabbitMQ definitions of the vhost, a user per service and per outside subscriber, and their permissions")
    access.add_argument("--out", default="-", help="file to write (default: standard output)")
    access.add_argument("--user-prefix", default="binhdang-", help="service users are <prefix><service>")
    access.add_argument("--administrator", action="store_true",
                        help="also AMQP_URI's user, with every permission on the vhost (for a broker that loads "
                             "the definitions at boot, which then creates no default user)")
    access.set_defaults(func=cmd_broker_definitions)

    make_secrets = commands.add_parser(
        "make-secrets", help="print new secrets for a deployment as KEY=value lines (the Kubernetes overlay's "
                             "secrets.env); make them once: CASES_ENCRYPTION_KEY cannot change later")
    make_secrets.set_defaults(func=cmd_make_secrets)

    check = commands.add_parser(
        "check-production",
        help="refuse (exit 2) a production deployment with development passwords (broker, Grafana) or plain http")
    check.set_defaults(func=cmd_check_production)

    demo = commands.add_parser("demo", help="start the four services and drive the sample scenario")
    demo.add_argument("--once", action="store_true", help="stop after the scenario instead of serving on")
    demo.add_argument("--data-dir", default="./var/demo")
    demo.set_defaults(func=cmd_demo)

    reporting = commands.add_parser("reporting", help="reporting's projections")
    reporting.add_argument("action", choices=["rebuild"], help="rebuild: drop every projection and apply the "
                                                               "event log again")
    reporting.add_argument("--database-url", help="instead of DATABASE_URL / the SQLite default")
    reporting.set_defaults(func=cmd_reporting)

    docs = commands.add_parser("docs", help="regenerate docs/asyncapi.yaml, docs/events/*.json and docs/openapi/*.json")
    docs.add_argument("--out", default="docs")
    docs.set_defaults(func=cmd_docs)
    return parser


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args) or 0
    except ValueError as exc:
        print(f"binhdang: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

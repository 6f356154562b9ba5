"""The `binhdang` command line: its choices come from the code they name."""
import subprocess
import sys

import pytest

from services.cli import build_parser
from services.common.auth import principal_from_token
from services.common.roles import Role
from services.common.token_keys import verification_keys


@pytest.mark.parametrize("role", list(Role))
def test_a_token_can_be_minted_for_every_role(role, capsys):
    args = build_parser().parse_args(["token", "--role", role.value, "--commune", "27154", "--unit", "VHXH"])
    assert args.func(args) == 0
    assert principal_from_token(capsys.readouterr().out.strip(), verification_keys({})).role is role


def test_an_unknown_role_is_refused(capsys):
    with pytest.raises(SystemExit):
        build_parser().parse_args(["token", "--role", "mayor"])
    assert "invalid choice: 'mayor'" in capsys.readouterr().err


def test_the_command_line_imports_nothing_that_must_be_monkey_patched_first():
    """`binhdang run` calls eventlet.monkey_patch() before anything opens sockets or creates locks."""
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, services.cli; print(' '.join(sorted(sys.modules)))"],
        capture_output=True, text=True, check=True).stdout.split()
    assert {"socket", "threading", "eventlet", "nameko", "kombu"}.isdisjoint(loaded)


def test_web_account_makes_an_account_whose_printed_password_is_changed_at_the_first_sign_in(tmp_path, monkeypatch,
                                                                                              capsys):
    import datetime as dt

    import sqlalchemy as sa

    from services.common.db import make_engine
    from services.web.accounts import check_password
    from services.web.models import Account

    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.delenv("WEB_DATABASE_URL", raising=False)
    args = build_parser().parse_args(["web-account", "--username", "quan-tri", "--name", "Quản trị",
                                      "--role", "operator"])
    assert args.func(args) == 0
    password = capsys.readouterr().out.split("password: ", 1)[1].split()[0]
    with sa.orm.Session(make_engine(f"sqlite:///{tmp_path / 'web.db'}")) as session:
        account = check_password(session, "quan-tri", password, "127.0.0.1", dt.datetime.now(dt.UTC))
        assert session.scalar(sa.select(Account.must_change_password).where(Account.id == account.id)) is True

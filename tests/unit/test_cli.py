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

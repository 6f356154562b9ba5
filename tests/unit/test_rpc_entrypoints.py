"""No RPC entrypoint without a token (issue 8: `plans.unit_directory` and `cases.case_statistics` answered
anyone with the broker login; the ones nothing called are gone)."""
from nameko.rpc import Rpc

from services.catalog import entrypoints_of
from services.common.config import SERVICE_NAMES
from services.common.rpc import AuthenticatedRpc


def rpc_entrypoints() -> dict[str, Rpc]:
    return {f"{name}.{attribute}": entrypoint for name in SERVICE_NAMES
            for attribute, entrypoint in entrypoints_of(name) if isinstance(entrypoint, Rpc)}


def test_every_rpc_entrypoint_authenticates_its_caller():
    entrypoints = rpc_entrypoints()
    assert {name for name, entrypoint in entrypoints.items() if not isinstance(entrypoint, AuthenticatedRpc)} == set()
    assert set(entrypoints) == {"plans.unit_directory"}  # what notifications will need (contacts); nothing else

"""No RPC entrypoint without a token (issue 8: `plans.unit_directory` and `cases.case_statistics` answered
anyone with the broker login; the ones nothing called are gone)."""
from nameko.extensions import ENTRYPOINT_EXTENSIONS_ATTR
from nameko.rpc import Rpc

from services.catalog import SERVICE_CLASSES, service_class
from services.common.rpc import AuthenticatedRpc


def rpc_entrypoints() -> dict[str, Rpc]:
    found = {}
    for name in SERVICE_CLASSES:
        cls = service_class(name)
        for attribute in dir(cls):
            for entrypoint in getattr(getattr(cls, attribute, None), ENTRYPOINT_EXTENSIONS_ATTR, ()):
                if isinstance(entrypoint, Rpc):
                    found[f"{name}.{attribute}"] = entrypoint
    return found


def test_every_rpc_entrypoint_authenticates_its_caller():
    entrypoints = rpc_entrypoints()
    assert {name for name, entrypoint in entrypoints.items() if not isinstance(entrypoint, AuthenticatedRpc)} == set()
    assert set(entrypoints) == {"plans.unit_directory"}  # what notifications will need (contacts); nothing else

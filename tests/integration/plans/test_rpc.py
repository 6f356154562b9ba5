"""RPC over the broker asks for the same bearer token as HTTP (issue 8: `plans.unit_directory` answered anyone
with the broker login). The caller puts it in the call's context; a refusal carries the HTTP status and code."""
import pytest
from nameko.exceptions import RemoteError
from nameko.standalone.rpc import ClusterRpcProxy

from services.common.auth import mint_token
from services.common.token_keys import DEVELOPMENT_SIGNING_KEY, new_key_pair, signing_key
from tests.support.plan_documents import COMMUNE

pytestmark = pytest.mark.integration


def unit_directory(amqp_uri, commune_code, token: str | None = None, **context):
    if token is not None:
        context["authorization"] = f"Bearer {token}"
    with ClusterRpcProxy({"AMQP_URI": amqp_uri}, timeout=10, context_data=context) as cluster:
        return cluster.plans.unit_directory(commune_code)


def refused(amqp_uri, commune_code, token=None, **context) -> str:
    with pytest.raises(RemoteError) as error:
        unit_directory(amqp_uri, commune_code, token, **context)
    assert error.value.exc_type == "RpcError"
    return error.value.value


def test_the_unit_directory_over_rpc_needs_a_token(directory, amqp_uri):
    assert refused(amqp_uri, COMMUNE).startswith("401 missing_token: ")


def test_the_unit_directory_over_rpc_refuses_what_http_refuses(directory, tokens, amqp_uri):
    assert refused(amqp_uri, COMMUNE, authorization="Basic Z3Vlc3Q6Z3Vlc3Q=").startswith("401 invalid_token")
    forged = mint_token(signing_key({"JWT_PRIVATE_KEY": new_key_pair()[0]}), subject="x", role="province_officer")
    assert refused(amqp_uri, COMMUNE, forged).startswith("401 invalid_token")
    expired = mint_token(DEVELOPMENT_SIGNING_KEY, subject="x", role="province_officer", ttl_seconds=-60)
    assert refused(amqp_uri, COMMUNE, expired).startswith("401 token_expired")
    assert refused(amqp_uri, COMMUNE, tokens.case_worker).startswith("403 wrong_role")
    assert refused(amqp_uri, COMMUNE, tokens.other_officer).startswith("403 wrong_commune")
    assert refused(amqp_uri, {"$ne": None}, tokens.province).startswith("422 validation_error")


def test_the_unit_directory_over_rpc_with_a_token(directory, tokens, amqp_uri):
    for token in (tokens.officer, tokens.province, tokens.reporter("VHXH")):
        assert {u["code"] for u in unit_directory(amqp_uri, COMMUNE, token)} >= {"VHXH", "THON-CU"}

"""The web's OpenID Connect settings: off unless issuer and client id are set; production wants https."""
from services.common.production import web_problems
from services.web.oidc import oidc_config


def test_configured_only_with_issuer_and_client_id():
    assert oidc_config({}) is None
    assert oidc_config({"WEB_OIDC_ISSUER": "https://id.example/"}) is None
    config = oidc_config({"WEB_OIDC_ISSUER": "https://id.example/", "WEB_OIDC_CLIENT_ID": "web"})
    assert config is not None and config.issuer == "https://id.example" and config.client_secret == ""


def test_production_refuses_a_plain_http_issuer_or_no_client_id():
    assert web_problems({}) == []
    assert web_problems({"WEB_OIDC_ISSUER": "https://id.example", "WEB_OIDC_CLIENT_ID": "web"}) == []
    assert web_problems({"WEB_OIDC_ISSUER": "http://id.example"}) == [
        "WEB_OIDC_ISSUER must be an https:// address", "WEB_OIDC_CLIENT_ID is not set while WEB_OIDC_ISSUER is"]

"""Bearer JWT authentication and the role/commune rules every endpoint declares.

Tokens are signed with EdDSA by the holder of the private key and verified with public keys
(services.common.token_keys).

Claims: `sub` (who), `role`, `commune` (administrative unit code of the commune,
absent for province officers and operators), `unit` (unit code, for unit reporters),
`province` (province code, for province officers: the province whose communes they see).
"""
from __future__ import annotations

import time
from dataclasses import dataclass

import jwt

from services.common.config import default, value_of
from services.common.errors import Forbidden, Unauthenticated
from services.common.roles import COMMUNE_ROLES, PROVINCE_WIDE_ROLES, Role
from services.common.token_keys import ALGORITHM, SigningKey, VerificationKeys, verification_keys

DEFAULT_ISSUER = default("JWT_ISSUER") or ""
# A stolen token is useful until it expires: a working day and a half at most, whoever minted it.
MAX_TOKEN_LIFETIME_SECONDS = 12 * 3600
# Claims that name someone or something are short printable strings (they reach logs and the audit);
# anything else is a forged or broken token.
STRING_CLAIMS = ("sub", "role", "commune", "unit", "province")
MAX_CLAIM_LENGTH = 200


PUBLIC: frozenset[Role] = frozenset()  # an endpoint anyone may call (health, readiness, metrics)


@dataclass(frozen=True)
class Principal:
    subject: str
    role: Role
    commune_code: str | None = None
    unit_code: str | None = None
    province_code: str | None = None

    @property
    def province_wide(self) -> bool:
        return self.role in PROVINCE_WIDE_ROLES

    def can_read_commune(self, commune_code: str) -> bool:
        return self.province_wide or self.commune_code == commune_code

    def require_commune(self, commune_code: str) -> None:
        """A commune-bound caller may act only for its own commune."""
        if self.commune_code != commune_code:
            raise Forbidden("Bạn không có quyền với dữ liệu của xã/phường này.", code="wrong_commune")

    def own_unit(self) -> str:
        """The unit a unit reporter reports for (its token always names one)."""
        if self.unit_code is None:
            raise Forbidden("Chỉ người báo cáo của một đơn vị được thực hiện thao tác này.", code="no_unit")
        return self.unit_code

    def require_readable_commune(self, commune_code: str) -> None:
        if not self.can_read_commune(commune_code):
            raise Forbidden("Bạn không có quyền xem dữ liệu của xã/phường này.", code="wrong_commune")


def mint_token(signer: SigningKey, *, subject: str, role: Role | str, commune: str | None = None,
               unit: str | None = None, province: str | None = None, issuer: str = DEFAULT_ISSUER,
               ttl_seconds: int = 8 * 3600) -> str:
    if ttl_seconds > MAX_TOKEN_LIFETIME_SECONDS:
        raise ValueError(f"a token lives at most {MAX_TOKEN_LIFETIME_SECONDS} seconds")
    role = Role(role)
    if role in COMMUNE_ROLES and not commune:
        raise ValueError(f"role {role.value} needs a commune code")
    if role is Role.UNIT_REPORTER and not unit:
        raise ValueError("role unit_reporter needs a unit code")
    now = int(time.time())
    claims = {"sub": subject, "role": role.value, "iss": issuer, "iat": now, "exp": now + ttl_seconds}
    if commune:
        claims["commune"] = commune
    if unit:
        claims["unit"] = unit
    if province:
        claims["province"] = province
    return jwt.encode(claims, signer.key, algorithm=ALGORITHM, headers={"kid": signer.key_id})


def _invalid(message: str = "Mã xác thực không hợp lệ.") -> Unauthenticated:
    return Unauthenticated(message, code="invalid_token")


def _check_claims(claims: dict) -> None:
    """Claim types and the token's lifetime: a list, a number or an object where a string belongs is refused."""
    for name in STRING_CLAIMS:
        value = claims.get(name)
        if value is not None and (not isinstance(value, str) or not value.strip() or not value.isprintable()
                                  or len(value) > MAX_CLAIM_LENGTH):
            raise _invalid()
    issued_at, expires_at = claims["iat"], claims["exp"]  # numbers: PyJWT has checked them
    if (expires_at - issued_at > MAX_TOKEN_LIFETIME_SECONDS
            or expires_at - time.time() > MAX_TOKEN_LIFETIME_SECONDS):
        raise _invalid("Mã xác thực có thời hạn quá dài (tối đa 12 giờ).")


def principal_from_token(token: str, keys: VerificationKeys, issuer: str = DEFAULT_ISSUER) -> Principal:
    """The caller a token names, if one of `keys` signed it (EdDSA only: no algorithm confusion with HMAC)."""
    key = keys.key_for(token)
    try:
        claims = jwt.decode(token, key, algorithms=[ALGORITHM], issuer=issuer,
                            options={"require": ["sub", "role", "exp", "iat", "iss"]})
    except jwt.ExpiredSignatureError:
        raise Unauthenticated("Phiên đăng nhập đã hết hạn.", code="token_expired") from None
    except jwt.PyJWTError:
        raise _invalid() from None
    if not isinstance(claims, dict):
        raise _invalid()
    _check_claims(claims)
    try:
        role = Role(claims["role"])
    except ValueError:
        raise Unauthenticated("Mã xác thực mang vai trò không xác định.", code="invalid_token") from None
    commune = claims.get("commune")
    if role in COMMUNE_ROLES and not commune:
        raise Unauthenticated("Mã xác thực thiếu mã xã/phường.", code="invalid_token")
    if role is Role.UNIT_REPORTER and not claims.get("unit"):
        raise Unauthenticated("Mã xác thực của người báo cáo thiếu mã đơn vị.", code="invalid_token")
    province = claims.get("province")
    return Principal(subject=str(claims["sub"]), role=role, commune_code=commune, unit_code=claims.get("unit"),
                     province_code=str(province) if province is not None else None)


def principal_from_header(authorization: str | None, keys: VerificationKeys,
                          issuer: str = DEFAULT_ISSUER) -> Principal:
    if not authorization:
        raise Unauthenticated("Thiếu mã xác thực (Authorization: Bearer ...).", code="missing_token")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("Mã xác thực phải có dạng 'Bearer <token>'.", code="invalid_token")
    return principal_from_token(token.strip(), keys, issuer)


def authorize(principal: Principal, allowed_roles) -> None:
    if principal.role not in allowed_roles:
        raise Forbidden("Vai trò của bạn không được thực hiện thao tác này.", code="wrong_role")


def authenticate(authorization: str | None, allowed_roles, config) -> Principal:
    """The caller of an HTTP request or an RPC call, from its `Authorization` value, if its role is allowed;
    `config`: the service's (JWT_JWKS or JWT_JWKS_URL, JWT_ISSUER)."""
    principal = principal_from_header(authorization, verification_keys(config), value_of("JWT_ISSUER", config))
    authorize(principal, allowed_roles)
    return principal

"""Accounts and signing in: Argon2id passwords, throttling per account and per address, lock-out, TOTP.

Who manages whom: a commune officer the people of the officer's own commune, an operator the province staff.
"""
from __future__ import annotations

import datetime as dt
import hmac
import re
import secrets
from dataclasses import dataclass

import pyotp
import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.orm import Session

from services.common.roles import COMMUNE_ROLES, Role
from services.web.models import Account, AuditRecord, SignInFailure, SignInSession

# argon2-cffi's defaults are Argon2id with RFC 9106's low-memory parameters.
HASHER = PasswordHasher()
# A hash to verify against when the account does not exist, so that the answer takes as long.
_ABSENT_HASH = HASHER.hash("no such account")
MIN_PASSWORD_LENGTH = 12
USERNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9.-]{0,63}")
# Wrong passwords or codes in a row before an account is locked, and for how long.
ACCOUNT_FAILURES_BEFORE_LOCK = 5
LOCK_DURATION = dt.timedelta(minutes=15)
# Failed sign-ins from one address in the window before it is refused for the rest of it.
ADDRESS_FAILURES_PER_WINDOW = 20
ADDRESS_WINDOW = dt.timedelta(minutes=15)
# A unit's code as plans' directory writes it, as long as the accounts table keeps it (models.Account.unit).
UNIT_CODE = re.compile(r"[A-Za-z0-9._-]{1,32}")
# Those who see or decide on victims' matters must give a second factor.
SECOND_FACTOR_ROLES = frozenset({Role.CASE_WORKER, Role.COMMUNE_LEADER})
# Whom each role may create accounts for.
MANAGED_ROLES: dict[Role, frozenset[Role]] = {
    Role.COMMUNE_OFFICER: frozenset(COMMUNE_ROLES),
    Role.OPERATOR: frozenset({Role.PROVINCE_OFFICER}),
}


class SignInRefused(Exception):
    """Why a sign-in did not succeed, in Vietnamese; never says whether the account exists."""


class AccountLocked(SignInRefused):
    """Refused because the account is locked. At the password it reads as a wrong password (with the lock-out
    rule said): a lock is what only an existing account gets, so naming it would tell who has an account."""


WRONG_CREDENTIALS = ("Tên đăng nhập hoặc mật khẩu không đúng, hoặc tài khoản đang tạm khoá (nhập sai 5 lần liên tiếp "
                     "thì tài khoản tạm khoá 15 phút).")
LOCKED = "Tài khoản tạm khoá do nhập sai nhiều lần. Vui lòng thử lại sau 15 phút."
TOO_MANY_FROM_ADDRESS = "Quá nhiều lần đăng nhập sai từ địa chỉ này. Vui lòng thử lại sau."
WRONG_CODE = "Mã xác thực không đúng."
CODE_USED = "Mã xác thực này đã được dùng. Vui lòng chờ mã mới trong ứng dụng xác thực."


def audit(session: Session, now: dt.datetime, action: str, username: str | None, address: str | None = None,
          actor: str | None = None) -> None:
    session.add(AuditRecord(at=now, action=action, username=username, address=address, actor=actor))


def needs_second_factor(account: Account) -> bool:
    return Role(account.role) in SECOND_FACTOR_ROLES or account.totp_secret is not None


def _address_throttled(session: Session, address: str, now: dt.datetime) -> bool:
    recent = session.scalar(sa.select(sa.func.count()).select_from(SignInFailure).where(
        SignInFailure.address == address, SignInFailure.at > now - ADDRESS_WINDOW))
    return (recent or 0) >= ADDRESS_FAILURES_PER_WINDOW


def _locked(account: Account, now: dt.datetime) -> bool:
    return account.locked_until is not None and account.locked_until > now


def _failed(session: Session, account: Account | None, address: str, now: dt.datetime, username: str,
            action: str = "sign_in_failed") -> None:
    session.add(SignInFailure(address=address, at=now))
    audit(session, now, action, username if account else None, address)
    if account is None:
        return
    account.failed_sign_ins += 1
    if account.failed_sign_ins >= ACCOUNT_FAILURES_BEFORE_LOCK:
        account.locked_until = now + LOCK_DURATION
        account.failed_sign_ins = 0
        audit(session, now, "locked", account.username, address)


def check_password(session: Session, username: str, password: str, address: str, now: dt.datetime) -> Account:
    """The account these credentials open, or SignInRefused (the failure counted and audited)."""
    if _address_throttled(session, address, now):
        raise SignInRefused(TOO_MANY_FROM_ADDRESS)
    account = session.scalar(sa.select(Account).where(Account.username == username))
    if account is not None and account.disabled_at is not None:
        account = None  # a disabled account is refused as an unknown one: the answer does not say which
    locked = account is not None and _locked(account, now)
    try:  # verified even when locked: the answer takes as long as for anyone else
        HASHER.verify(account.password_hash if account else _ABSENT_HASH, password)
        good = account is not None
    except (VerificationError, InvalidHashError):
        good = False
    if locked:
        raise AccountLocked(WRONG_CREDENTIALS)
    if not good:
        _failed(session, account, address, now, username)
        if account is not None and _locked(account, now):
            raise AccountLocked(WRONG_CREDENTIALS)
        raise SignInRefused(WRONG_CREDENTIALS)
    assert account is not None
    if HASHER.check_needs_rehash(account.password_hash):
        account.password_hash = HASHER.hash(password)
    if not needs_second_factor(account):
        succeeded(session, account, address, now)
    return account


def _code_step(secret: str, code: str, now: dt.datetime) -> int | None:
    """The time step whose code `code` is: the current one or one either side (clock drift); None if none."""
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for step in (current - 1, current, current + 1):
        if hmac.compare_digest(totp.generate_otp(step).encode(), code.encode()):  # bytes: any code typed
            return step
    return None


def check_code(session: Session, account: Account, code: str, address: str, now: dt.datetime) -> None:
    """The second factor: the account's current TOTP code (one step of clock drift either way), each code once
    (RFC 6238 §5.2: a code overheard or seen over a shoulder does not sign in a second time)."""
    if _address_throttled(session, address, now):
        raise SignInRefused(TOO_MANY_FROM_ADDRESS)
    if _locked(account, now):  # the password was right: saying so tells an outsider nothing
        raise AccountLocked(LOCKED)
    step = _code_step(account.totp_secret, code.strip(), now) if account.totp_secret else None
    reused = step is not None and account.totp_last_step is not None and step <= account.totp_last_step
    if step is None or reused:
        _failed(session, account, address, now, account.username)
        if _locked(account, now):
            raise AccountLocked(LOCKED)
        raise SignInRefused(CODE_USED if reused else WRONG_CODE)
    account.totp_last_step = step
    succeeded(session, account, address, now)


def succeeded(session: Session, account: Account, address: str, now: dt.datetime) -> None:
    account.failed_sign_ins = 0
    audit(session, now, "signed_in", account.username, address)


@dataclass(frozen=True)
class NewAccount:
    username: str
    display_name: str
    password: str
    role: Role
    commune: str | None = None
    unit: str | None = None
    province: str | None = None


class AccountRefused(Exception):
    """An account that may not be made: (field, problem in Vietnamese)."""

    def __init__(self, field: str, problem: str):
        super().__init__(problem)
        self.field, self.problem = field, problem


def may_manage(manager: Account) -> frozenset[Role]:
    return MANAGED_ROLES.get(Role(manager.role), frozenset())


def managed_accounts(session: Session, manager: Account) -> list[Account]:
    roles = [role.value for role in may_manage(manager)]
    query = sa.select(Account).where(Account.role.in_(roles)).order_by(Account.username)
    if Role(manager.role) is Role.COMMUNE_OFFICER:
        query = query.where(Account.commune == manager.commune)
    elif manager.province:
        query = query.where(Account.province == manager.province)
    return list(session.scalars(query))


def create_account(session: Session, manager: Account, new: NewAccount, now: dt.datetime) -> Account:
    """An account `manager` may make: a commune officer's in the officer's commune, an operator's for a province."""
    if new.role not in may_manage(manager):
        raise AccountRefused("role", "Bạn không được tạo tài khoản với vai trò này.")
    # ASCII only: a Cyrillic 'а' or a decomposed accent would make a second account that looks like the first
    if not USERNAME.fullmatch(new.username):
        raise AccountRefused("username", "Tên đăng nhập chỉ gồm chữ không dấu, số, dấu chấm hoặc gạch nối "
                                         "(tối đa 64 ký tự).")
    if not new.display_name.strip() or len(new.display_name) > 120:
        raise AccountRefused("display_name", "Vui lòng nhập họ tên (tối đa 120 ký tự).")
    if len(new.password) < MIN_PASSWORD_LENGTH:
        raise AccountRefused("password", f"Mật khẩu cần ít nhất {MIN_PASSWORD_LENGTH} ký tự.")
    commune, province = new.commune, new.province
    if Role(manager.role) is Role.COMMUNE_OFFICER:
        commune = manager.commune  # the officer's own commune, whatever the form said
    if new.role is Role.UNIT_REPORTER and not new.unit:
        raise AccountRefused("unit", "Người báo cáo cần mã đơn vị.")
    if new.role is Role.UNIT_REPORTER and not UNIT_CODE.fullmatch(new.unit or ""):
        raise AccountRefused("unit", "Mã đơn vị chỉ gồm chữ không dấu, số, dấu chấm, gạch dưới hoặc gạch nối "
                                     "(tối đa 32 ký tự), như trong danh mục đơn vị.")
    if new.role is Role.PROVINCE_OFFICER and not (province and re.fullmatch(r"[0-9]{2}", province)):
        raise AccountRefused("province", "Mã tỉnh gồm 2 chữ số.")
    if session.scalar(sa.select(Account.id).where(Account.username == new.username)) is not None:
        raise AccountRefused("username", "Tên đăng nhập này đã có.")
    account = _add(session, NewAccount(new.username, new.display_name.strip(), new.password, new.role, commune,
                                       new.unit if new.role is Role.UNIT_REPORTER else None,
                                       province if new.role is Role.PROVINCE_OFFICER else None),
                   now, actor=manager.username)
    account.must_change_password = True  # the manager knows it: the person sets their own at the first sign-in
    return account


def managed_account(session: Session, manager: Account, username: str) -> Account | None:
    """The account `username` if `manager` manages it (same commune or province, a role the manager makes)."""
    return next((account for account in managed_accounts(session, manager) if account.username == username), None)


def _end_sessions(session: Session, account: Account, keep: SignInSession | None = None) -> None:
    query = sa.delete(SignInSession).where(SignInSession.account_id == account.id)
    if keep is not None:
        query = query.where(SignInSession.id_hash != keep.id_hash)
    session.execute(query)


def set_disabled(session: Session, manager: Account, account: Account, disabled: bool, now: dt.datetime) -> None:
    """Disable (ending its sessions at once) or enable again an account the manager manages."""
    if account.id == manager.id:
        raise AccountRefused("account", "Bạn không thể tự khoá tài khoản của mình.")
    account.disabled_at = now if disabled else None
    if disabled:
        _end_sessions(session, account)
    audit(session, now, "account_disabled" if disabled else "account_enabled", account.username,
          actor=manager.username)


def _not_own(manager: Account, account: Account) -> None:
    if account.id == manager.id:
        raise AccountRefused("account", "Bạn không thể tự đặt lại mật khẩu hay khoá xác thực của mình; hãy nhờ "
                                        "một cán bộ quản lý khác. Để đổi mật khẩu, dùng trang “Đổi mật khẩu”.")


def reset_password(session: Session, manager: Account, account: Account, now: dt.datetime) -> str:
    """A new password to hand to the person, changed by them at the next sign-in; the lock-out and the sessions
    end. Not one's own: that is /doi-mat-khau, with the current password (else a borrowed or stolen session would
    get the account's password, or a new second factor, here without knowing the password)."""
    _not_own(manager, account)
    password = secrets.token_urlsafe(12)
    account.password_hash = HASHER.hash(password)
    account.must_change_password = True
    account.failed_sign_ins, account.locked_until = 0, None
    _end_sessions(session, account)
    audit(session, now, "password_reset", account.username, actor=manager.username)
    return password


def reset_second_factor(session: Session, manager: Account, account: Account, now: dt.datetime) -> str:
    """A new TOTP secret (the phone with the old one was lost); the sessions end. Not one's own (see
    reset_password)."""
    _not_own(manager, account)
    if not needs_second_factor(account):
        raise AccountRefused("account", "Tài khoản này không dùng xác thực hai lớp.")
    account.totp_secret = pyotp.random_base32()
    account.totp_last_step = None
    _end_sessions(session, account)
    audit(session, now, "second_factor_reset", account.username, actor=manager.username)
    return account.totp_secret


def change_password(session: Session, account: Account, current: str, new: str, repeated: str,
                    signed_in: SignInSession | None, address: str, now: dt.datetime) -> None:
    """The person's own change: the current password, a new one of MIN_PASSWORD_LENGTH, typed twice. Other
    sessions of the account end (someone who knew the old password is signed out).

    A wrong current password counts as a failed sign-in (per account and per address, and locks the account
    alike): else whoever holds a signed-in browser could guess the password here without limit."""
    if _address_throttled(session, address, now):
        raise AccountRefused("current", TOO_MANY_FROM_ADDRESS)
    if _locked(account, now):
        raise AccountRefused("current", LOCKED)
    try:
        HASHER.verify(account.password_hash, current)
    except (VerificationError, InvalidHashError):
        _failed(session, account, address, now, account.username, action="password_change_failed")
        raise AccountRefused("current", LOCKED if _locked(account, now) else "Mật khẩu hiện tại không đúng.") from None
    account.failed_sign_ins = 0
    if len(new) < MIN_PASSWORD_LENGTH:
        raise AccountRefused("new", f"Mật khẩu mới cần ít nhất {MIN_PASSWORD_LENGTH} ký tự.")
    if new == current:
        raise AccountRefused("new", "Mật khẩu mới phải khác mật khẩu hiện tại.")
    if repeated != new:
        raise AccountRefused("repeated", "Hai lần nhập mật khẩu mới không khớp.")
    account.password_hash = HASHER.hash(new)
    account.must_change_password = False
    _end_sessions(session, account, keep=signed_in)
    audit(session, now, "password_changed", account.username, actor=account.username)


def bootstrap_account(session: Session, new: NewAccount, now: dt.datetime) -> Account:
    """An account made from the command line (the first operator, the demo's people): no manager to ask."""
    return _add(session, new, now, actor="command line")


def _add(session: Session, new: NewAccount, now: dt.datetime, actor: str) -> Account:
    """Roles that need a second factor get a TOTP secret, shown once to whoever made the account."""
    account = Account(username=new.username, display_name=new.display_name, password_hash=HASHER.hash(new.password),
                      role=new.role.value, commune=new.commune, unit=new.unit, province=new.province,
                      totp_secret=pyotp.random_base32() if new.role in SECOND_FACTOR_ROLES else None,
                      failed_sign_ins=0, created_at=now)
    session.add(account)
    session.flush()
    audit(session, now, "account_created", account.username, actor=actor)
    return account

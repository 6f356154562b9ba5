"""The operator's operations page: every service's health and readiness (and the web's own), outbox backlog,
consumer queues and dead letters, and the replay of dead letters (one event, or a whole queue), confirmed and
audited."""
from __future__ import annotations

from werkzeug.utils import redirect
from werkzeug.wrappers import Response

from services.common.config import SERVICE_NAMES
from services.common.roles import Role
from services.web import accounts, operations
from services.web.numbers import whole_number
from services.web.page import NavLink, Page, Route, failed_status, service_message

OPERATORS = frozenset({Role.OPERATOR})


def operations_page(page: Page) -> Response:
    account = page.require(OPERATORS)
    if isinstance(account, Response):
        return account
    status, service_error = 200, None
    asked: operations.Replay | None = None
    errors: dict[str, str] = {}
    if page.request.method == "POST":
        asked, errors = operations.replay_of(page.request.form.to_dict())
        if asked is None:
            return page.not_found()
        if errors:
            status = 422
        else:
            sent, answer = page.call("POST", asked.service, "/v1/operations/dead-letters/replay",
                                     {"queue": asked.queue, **({"event_id": asked.event_id} if asked.event_id else {})})
            if sent == 200:
                accounts.audit(page.db, page.now, "dead_letters_replayed", None, page.address, actor=account.username)
                return redirect(f"/van-hanh?da-phat-lai={int(answer['replayed'])}", 303)
            status = failed_status(sent)
            service_error = service_message(answer, "Không phát lại được. Vui lòng thử lại sau.")
    services = [operations.service_view(name, {key: page.get(name, path) for key, path in operations.PROBES.items()})
                for name in SERVICE_NAMES]
    replayed = whole_number(page.request.args.get("da-phat-lai", ""), 0, 10**6)
    return page.render("operations.html", status=status, title="Vận hành", services=services,
                       web_ready=page.web.readiness().status_code == 200, errors=errors, asked=asked,
                       service_error=service_error, confirm=operations.CONFIRM,
                       notice=f"Đã phát lại {replayed} sự kiện." if replayed is not None else None)


ROUTES = [Route("/van-hanh", operations_page, ("GET", "POST"))]
NAV = [NavLink("/van-hanh", "Vận hành", OPERATORS)]

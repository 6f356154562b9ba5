"""The case worker's pages over real HTTP, in front of a running cases service: the list by urgency, the intake form,
a case opened only with a reason (audited by cases), its measures, referrals, consent and status; and the victim's
name nowhere but on the case page (no URL, no title, no list)."""
import datetime as dt
import re
from urllib.parse import quote

import pyotp
import pytest
import sqlalchemy as sa

from services.cases.service import CasesService
from services.common.roles import Role
from services.web.models import CaseAccessGrant
from tests.integration.web.conftest import COMMUNE, Browser, Clock, start_web
from tests.support.case_reports import report_body
from tests.support.service_http import start_service, token

pytestmark = pytest.mark.integration

VICTIM_NAME = "Đỗ Thị Thanh Nhàn"
WORKER_TOKEN = token("case_worker", COMMUNE, subject="cb-khac")
AUDITOR = token("auditor", subject="thanh-tra")
OTHER_COMMUNE = "07531"


@pytest.fixture
def cases(container_factory, postgres, amqp_uri, tmp_path):
    return start_service(container_factory, CasesService, postgres.create("cases"), amqp_uri, tmp_path)[1]


@pytest.fixture
def site(plans, cases, postgres, tmp_path):
    running = start_web(postgres.create("web"), tmp_path, Clock(),
                        WEB_API_URLS=f"plans={plans.base},cases={cases.base}")
    yield running
    if running.server is not None:
        running.server.kill()


def signed_in(site, username: str, role: Role = Role.CASE_WORKER, commune: str = COMMUNE) -> Browser:
    secret = site.add(username, role, commune=commune)
    browser = site.browser()
    assert browser.sign_in(username).status_code == 303
    if secret:
        code = pyotp.TOTP(secret).at(site.clock())
        done = browser.post("/dang-nhap/ma-xac-thuc", {"csrf_token": browser.csrf("/dang-nhap/ma-xac-thuc"),
                                                       "code": code})
        assert done.status_code == 303
    return browser


@pytest.fixture
def worker(site):
    return signed_in(site, "can-bo-vu-viec")


def intake_form(browser: Browser, **changes) -> dict:
    form = {"csrf_token": browser.csrf("/vu-viec/moi"), "case_type": "domestic_violence_physical",
            "intake_channel": "village_head", "village": "Thôn Đoài",
            "intake-reporter_description": "Trưởng thôn Đoài", "victim-full_name": VICTIM_NAME, "victim-sex": "female",
            "victim-age": "34", "victim-phone": "0912000111", "victim-address": "Xóm Giữa, thôn Đoài",
            "victim-vulnerabilities": ["pregnant"], "consent-services": "1", "consent-sharing": "1",
            "risk_assessment-threats_to_kill": "1", "risk_assessment-victim_pregnant": "1",
            "risk_assessment-previous_incidents": "2", "incident-occurred_on": "2026-11-01",
            "incident-incident_type": "domestic_violence_physical", "incident-perpetrator_relationship": "spouse",
            "incident-place": "Nhà riêng", "incident-narrative": "Chồng đánh vợ sau khi uống rượu."}
    form.update(changes)
    return {k: v for k, v in form.items() if v is not None}


def report(commune_token: str = WORKER_TOKEN, **changes) -> dict:
    return report_body(victim={"full_name": VICTIM_NAME, "sex": "female", "age": 40}, **changes)


def seeded(cases, commune_token: str = WORKER_TOKEN, **changes) -> str:
    made = cases.call("POST", "/v1/cases", commune_token, json=report(**changes))
    assert made.status_code == 201, made.text
    return made.json()["case_code"]


def open_case(browser: Browser, code: str, reason: str = "xac-minh", other: str = ""):
    return browser.post(f"/vu-viec/{code}/ly-do", {"csrf_token": browser.csrf(f"/vu-viec/{code}"), "reason": reason,
                                                   "reason_other": other})


def title_of(html: str) -> str:
    found = re.search(r"<title>(.*?)</title>", html, re.S)
    assert found, "a page without a title"
    return found.group(1)


def test_intake_then_the_case_page_without_the_victims_name_in_any_url_or_title(worker, cases):
    form_page = worker.get("/vu-viec/moi")
    assert form_page.status_code == 200 and 'for="risk_assessment-threats_to_kill"' in form_page.text
    assert "Người có hành vi bạo lực đe dọa giết người bị hại" in form_page.text
    made = worker.post("/vu-viec/moi", intake_form(worker))
    assert made.status_code == 303, made.text
    location = made.headers["Location"]
    assert re.fullmatch(r"/vu-viec/VV\d\d-[A-Z0-9]{8}\?da-luu=tiep-nhan", location)
    code = location.split("/")[2].split("?")[0]
    # followed as a browser would: every URL on the way and every title without the name
    followed = worker.http.post(worker.base + "/vu-viec/moi", data=intake_form(worker), timeout=30)
    for step in [*followed.history, followed]:
        assert VICTIM_NAME not in step.url and quote(VICTIM_NAME) not in step.url
        assert VICTIM_NAME not in step.headers.get("Location", "")
    assert followed.status_code == 200 and VICTIM_NAME in followed.text  # the case page, opened by the intake
    page = worker.get(f"/vu-viec/{code}?da-luu=tiep-nhan")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert title_of(page.text) == f"Vụ việc {code} · Bình Đẳng"
    assert VICTIM_NAME in page.text and "Đã tiếp nhận vụ việc." in page.text
    assert "Chồng đánh vợ sau khi uống rượu." in page.text and "Đánh giá nguy cơ: Rất cao" in page.text
    assert "Xác minh vụ việc: trước" in page.text
    listing = worker.get("/vu-viec")
    assert code in listing.text and VICTIM_NAME not in listing.text and VICTIM_NAME not in worker.get("/").text
    assert VICTIM_NAME not in title_of(listing.text)
    stored = cases.call("GET", f"/v1/cases/{code}", WORKER_TOKEN).json()
    assert stored["victim"]["vulnerabilities"] == ["pregnant"] and stored["victim"]["age"] == 34
    assert stored["risk_level"] == "critical" and stored["incidents"][0]["perpetrator_relationship"] == "spouse"
    assert stored["consent"] == {"services": True, "sharing": True, "statistics": False}
    audit = cases.call("GET", f"/v1/audit?case_code={code}", AUDITOR).json()["items"]
    assert ("case.read", "Tiếp nhận vụ việc mới") in [(e["action"], e["reason"]) for e in audit]


def test_intake_with_missing_fields_shows_errors_next_to_them_and_makes_no_case(worker, cases):
    refused = worker.post("/vu-viec/moi", intake_form(worker, **{
        "victim-full_name": "", "victim-sex": "", "incident-perpetrator_relationship": "", "victim-age": "ba mươi",
        "risk_assessment-previous_incidents": ""}))
    assert refused.status_code == 422
    text = refused.text
    assert '<p class="error" id="loi-victim-full_name">Vui lòng nhập.</p>' in text
    assert '<p class="error" id="loi-victim-sex">Vui lòng chọn.</p>' in text
    assert '<p class="error" id="loi-incident-perpetrator_relationship">Vui lòng chọn.</p>' in text
    assert '<p class="error" id="loi-victim-age">Vui lòng nhập một số nguyên.</p>' in text
    assert '<p class="error" id="loi-risk_assessment-previous_incidents">Vui lòng nhập.</p>' in text
    assert 'aria-describedby="loi-victim-full_name"' in text
    assert 'value="Xóm Giữa, thôn Đoài"' in text  # what was typed stays
    assert cases.call("GET", "/v1/cases", WORKER_TOKEN).json()["items"] == []


def form_key(html: str) -> str:
    found = re.search(r'<input type="hidden" name="idempotency_key" value="([A-Za-z0-9_-]+)">', html)
    assert found, "the intake form carries its key"
    return found.group(1)


def test_the_same_intake_form_sent_twice_is_one_case_and_both_lead_to_it(worker, cases):
    """A double click on "Lưu vụ việc": the form's key goes as `Idempotency-Key`, the second answer is the first."""
    key = form_key(worker.get("/vu-viec/moi").text)
    assert key != form_key(worker.get("/vu-viec/moi").text), "every form its own key"
    form = intake_form(worker, idempotency_key=key)
    first, second = worker.post("/vu-viec/moi", form), worker.post("/vu-viec/moi", form)
    assert (first.status_code, second.status_code) == (303, 303), second.text
    assert first.headers["Location"] == second.headers["Location"]
    code = first.headers["Location"].split("/")[2].split("?")[0]
    assert [c["case_code"] for c in cases.call("GET", "/v1/cases", WORKER_TOKEN).json()["items"]] == [code]
    assert worker.get(second.headers["Location"]).status_code == 200  # opened by the intake, like the first
    # a form corrected after a refusal keeps its key: the refused try recorded nothing under it
    refused = worker.post("/vu-viec/moi", intake_form(worker, idempotency_key="lan-hai", **{"victim-full_name": ""}))
    assert refused.status_code == 422 and form_key(refused.text) == "lan-hai"
    # a key the page did not make (a line break, too long) is replaced by a new one: a new case
    odd = worker.post("/vu-viec/moi", intake_form(worker, idempotency_key="a\nb" + "x" * 70))
    assert odd.status_code == 303 and odd.headers["Location"] != first.headers["Location"]
    assert len(cases.call("GET", "/v1/cases", WORKER_TOKEN).json()["items"]) == 2


def test_a_case_asks_for_a_reason_first_and_the_audit_keeps_it(worker, cases, site):
    code = seeded(cases)
    prompt = worker.get(f"/vu-viec/{code}")
    assert prompt.status_code == 200 and "Lý do truy cập hồ sơ" in prompt.text
    assert VICTIM_NAME not in prompt.text and "Chồng say rượu" not in prompt.text
    assert prompt.headers["Cache-Control"] == "no-store"
    missing = open_case(worker, code, reason="khac", other="")
    assert missing.status_code == 422 and '<p class="error" id="loi-reason_other">Vui lòng ghi rõ lý do.</p>' in (
        missing.text)
    opened = open_case(worker, code, reason="khac", other="Chuẩn bị họp liên ngành")
    assert opened.status_code == 303 and opened.headers["Location"] == f"/vu-viec/{code}"
    page = worker.get(f"/vu-viec/{code}")
    assert page.status_code == 200 and VICTIM_NAME in page.text and "Chuẩn bị họp liên ngành" in page.text
    assert page.headers["Cache-Control"] == "no-store" and VICTIM_NAME not in title_of(page.text)
    audit = cases.call("GET", f"/v1/audit?case_code={code}", AUDITOR).json()["items"]
    reads = [(e["actor"], e["reason"]) for e in audit if e["action"] == "case.read"]
    assert ("can-bo-vu-viec", "Chuẩn bị họp liên ngành") in reads
    with site.sessionmaker() as db:  # the web keeps the reason sealed with the browser's cookie, unreadable here
        kept = db.scalars(sa.select(CaseAccessGrant.reason_sealed)).all()
    assert kept and all("họp liên ngành".encode() not in sealed for sealed in kept)
    # the reason lasts a short while, then the case asks again; closing the file ends it at once
    site.clock.now += dt.timedelta(minutes=16)
    assert "Lý do truy cập hồ sơ" in worker.get(f"/vu-viec/{code}").text
    site.clock.now -= dt.timedelta(minutes=16)
    assert worker.post(f"/vu-viec/{code}/dong-ho-so", {"csrf_token": worker.csrf("/vu-viec")}).status_code == 303
    assert VICTIM_NAME not in worker.get(f"/vu-viec/{code}").text


def test_measures_referrals_consent_and_status_from_the_case_page(worker, cases):
    code = seeded(cases, consent={"services": True, "sharing": False, "statistics": True})
    open_case(worker, code)
    csrf = worker.csrf(f"/vu-viec/{code}")
    measure = worker.post(f"/vu-viec/{code}/bien-phap", {"csrf_token": csrf, "measure-kind": "no_contact_order"})
    assert measure.status_code == 303 and measure.headers["Location"] == f"/vu-viec/{code}?da-luu=bien-phap#bien-phap"
    no_kind = worker.post(f"/vu-viec/{code}/bien-phap", {"csrf_token": csrf, "measure-kind": ""})
    assert no_kind.status_code == 422 and '<p class="error" id="loi-measure-kind">Vui lòng chọn.</p>' in no_kind.text
    without_consent = worker.post(f"/vu-viec/{code}/chuyen-gui", {
        "csrf_token": csrf, "referral-kind": "referral", "referral-authority": "social_work_centre",
        "referral-reason": "Cần hỗ trợ tâm lý"})
    assert without_consent.status_code == 409
    assert 'id="loi-referral-consent_override_reason">Bắt buộc khi chưa có đồng ý.</p>' in without_consent.text
    consent = worker.post(f"/vu-viec/{code}/dong-y", {"csrf_token": csrf, "consent-services": "1",
                                                      "consent-sharing": "1", "consent-statistics": "1"})
    assert consent.status_code == 303
    escalated = worker.post(f"/vu-viec/{code}/chuyen-gui", {
        "csrf_token": csrf, "referral-kind": "escalation", "referral-authority": "commune_police",
        "referral-reason": "Nguy cơ cao"})
    assert escalated.status_code == 303
    stored = cases.call("GET", f"/v1/cases/{code}", WORKER_TOKEN).json()
    [referral] = stored["referrals"]
    assert referral["kind"] == "escalation" and stored["status"] == "escalated"
    accepted = worker.post(f"/vu-viec/{code}/chuyen-gui/{referral['id']}/accept", {"csrf_token": csrf})
    assert accepted.status_code == 303
    moved = worker.post(f"/vu-viec/{code}/trang-thai", {"csrf_token": csrf, "transition-to_status": "supporting",
                                                        "transition-reason": "Đã bố trí hỗ trợ"})
    assert moved.status_code == 303
    page = worker.get(f"/vu-viec/{code}?da-luu=trang-thai").text
    assert "Đã chuyển trạng thái vụ việc." in page and "Cấm tiếp xúc" in page and "Đã tiếp nhận" in page
    assert "Chờ Chủ tịch UBND xã quyết định trước" in page and "Đang hỗ trợ" in page
    stored = cases.call("GET", f"/v1/cases/{code}", WORKER_TOKEN).json()
    assert stored["status"] == "supporting" and stored["consent"]["sharing"] is True
    assert [m["kind"] for m in stored["measures"]] == ["no_contact_order"]


def test_the_list_sorts_by_urgency_and_filters_by_status(worker, cases):
    calm = seeded(cases, risk_assessment=None)  # medium: 48 hours
    urgent = seeded(cases)  # critical: 2 hours
    cases.call("POST", f"/v1/cases/{calm}/transitions", WORKER_TOKEN, json={"to_status": "verifying", "reason": "x"})
    listing = worker.get("/vu-viec")
    assert listing.status_code == 200 and listing.headers["Cache-Control"] == "no-store"
    assert listing.text.index(urgent) < listing.text.index(calm)
    assert "Xác minh vụ việc trước" in listing.text and "Rất cao" in listing.text
    filtered = worker.get("/vu-viec?trang-thai=verifying").text
    assert calm in filtered and urgent not in filtered
    assert VICTIM_NAME not in listing.text


def test_another_communes_case_and_other_roles_get_404(site, worker, cases):
    theirs = seeded(cases, token("case_worker", OTHER_COMMUNE))
    assert worker.get(f"/vu-viec/{theirs}").status_code == 200  # the prompt says nothing about the case
    opened = open_case(worker, theirs)
    assert opened.status_code == 303
    assert worker.get(f"/vu-viec/{theirs}").status_code == 404
    assert worker.get("/vu-viec/VV26-ZZZZZZZZ").status_code == 200
    open_case(worker, "VV26-ZZZZZZZZ")
    assert worker.get("/vu-viec/VV26-ZZZZZZZZ").status_code == 404
    csrf = worker.csrf("/vu-viec")
    open_case(worker, theirs)
    assert worker.post(f"/vu-viec/{theirs}/bien-phap", {"csrf_token": csrf, "measure-kind": "counselling"}
                       ).status_code == 404
    assert cases.call("GET", f"/v1/cases/{theirs}", token("case_worker", OTHER_COMMUNE)).json()["measures"] == []
    for odd in ("VV26-ABCDEFGH%0A", "VV26%20ABC", "vv26-abcdefgh", "%2e%2e%2fcases", "VV26-ÉÉÉÉ"):
        assert worker.get(f"/vu-viec/{odd}").status_code == 404, odd
        assert worker.post(f"/vu-viec/{odd}/ly-do", {"csrf_token": csrf, "reason": "xac-minh"}).status_code == 404
    mine = seeded(cases)
    open_case(worker, mine)
    for odd_id in ("a" * 36, "../" * 12, "0" * 35 + "%0A"):
        answer = worker.post(f"/vu-viec/{mine}/chuyen-gui/{odd_id}/accept", {"csrf_token": csrf})
        assert answer.status_code == 404, odd_id
    officer = signed_in(site, "can-bo-xa", Role.COMMUNE_OFFICER)
    for path in ("/vu-viec", "/vu-viec/moi", f"/vu-viec/{theirs}"):
        assert officer.get(path).status_code == 404
    assert "Tiếp nhận vụ việc" not in officer.get("/").text


def test_every_form_needs_the_csrf_token(worker, cases):
    code = seeded(cases)
    assert worker.post("/vu-viec/moi", {**intake_form(worker), "csrf_token": "x"}).status_code == 403
    assert worker.post(f"/vu-viec/{code}/ly-do", {"reason": "xac-minh"}).status_code == 403
    assert VICTIM_NAME not in worker.get(f"/vu-viec/{code}").text  # no reason was taken
    open_case(worker, code)
    assert worker.post(f"/vu-viec/{code}/bien-phap", {"measure-kind": "counselling"}).status_code == 403
    assert cases.call("GET", f"/v1/cases/{code}", WORKER_TOKEN).json()["measures"] == []
    assert len(cases.call("GET", "/v1/cases", WORKER_TOKEN).json()["items"]) == 1


def test_another_incident_and_a_new_risk_assessment_from_the_case_page(worker, cases):
    code = seeded(cases, risk_assessment=None)  # medium until assessed
    open_case(worker, code)
    csrf = worker.csrf(f"/vu-viec/{code}")
    incomplete = worker.post(f"/vu-viec/{code}/su-viec", {"csrf_token": csrf, "incident-incident_type": "trafficking",
                                                          "incident-narrative": "Bị ép đi làm xa"})
    assert incomplete.status_code == 422
    assert '<p class="error" id="loi-incident-perpetrator_relationship">Vui lòng chọn.</p>' in incomplete.text
    assert "<details id=\"su-viec\" open>" in incomplete.text and ">Bị ép đi làm xa</textarea>" in incomplete.text
    recorded = worker.post(f"/vu-viec/{code}/su-viec", {
        "csrf_token": csrf, "incident-incident_type": "trafficking", "incident-perpetrator_relationship": "stranger",
        "incident-occurred_on": "2026-10-20", "incident-narrative": "Bị ép đi làm xa"})
    assert recorded.status_code == 303
    no_count = worker.post(f"/vu-viec/{code}/nguy-co", {"csrf_token": csrf, "risk_assessment-threats_to_kill": "1"})
    assert no_count.status_code == 422 and 'id="loi-risk_assessment-previous_incidents"' in no_count.text
    assessed = worker.post(f"/vu-viec/{code}/nguy-co", {
        "csrf_token": csrf, "risk_assessment-threats_to_kill": "1", "risk_assessment-weapon_used_or_threatened": "1",
        "risk_assessment-previous_incidents": "0"})
    assert assessed.status_code == 303
    page = worker.get(f"/vu-viec/{code}?da-luu=nguy-co").text
    assert "Đã đánh giá lại nguy cơ." in page and "Đánh giá nguy cơ: Rất cao" in page
    assert "20/10/2026" in page and "Sự việc: Mua bán người" in page
    stored = cases.call("GET", f"/v1/cases/{code}", WORKER_TOKEN).json()
    assert stored["risk_level"] == "critical" and len(stored["incidents"]) == 2


def test_no_browser_remembers_what_the_case_forms_were_given(worker, cases):
    """A shared computer's browser must not offer a victim's name, a reporter's contact or a place typed earlier:
    every form of the intake, the prompt and the case page says autocomplete="off" (each field would be missed)."""
    code = seeded(cases)
    pages = [worker.get("/vu-viec/moi").text, worker.get(f"/vu-viec/{code}").text]
    open_case(worker, code)
    pages.append(worker.get(f"/vu-viec/{code}").text)
    for html in pages:
        forms = re.findall(r"<form [^>]*>", html)
        posted = [form for form in forms if 'method="post"' in form and "/dang-xuat" not in form]
        assert posted and all('autocomplete="off"' in form for form in posted), posted


def test_closing_the_file_asks_the_browser_to_forget_the_pages_it_kept(worker, cases):
    """"Đóng hồ sơ" on a shared computer: the Back button must not bring the case back from the browser's
    back/forward cache (which may keep even no-store pages while the cookies are unchanged)."""
    code = seeded(cases)
    open_case(worker, code)
    closed = worker.post(f"/vu-viec/{code}/dong-ho-so", {"csrf_token": worker.csrf("/vu-viec")})
    assert closed.status_code == 303 and closed.headers.get("Clear-Site-Data") == '"cache"'


@pytest.mark.parametrize("other, kept", [
    ("Họp\r\nX-Injected: 1", "Họp X-Injected: 1"),  # a line break is a space, never a header of its own
    ("🙂" * 500, "🙂" * 500),  # the longest reason, four bytes a character: its header still fits
    ("100% lý do & ?a=b #x", "100% lý do & ?a=b #x"),
])
def test_an_odd_reason_reaches_the_audit_as_written_and_opens_the_case(worker, cases, other, kept):
    code = seeded(cases)
    assert open_case(worker, code, reason="khac", other=other).status_code == 303
    page = worker.get(f"/vu-viec/{code}")
    assert page.status_code == 200 and VICTIM_NAME in page.text
    audit = cases.call("GET", f"/v1/audit?case_code={code}", AUDITOR).json()["items"]
    assert kept in [e["reason"] for e in audit if e["action"] == "case.read"]
    assert open_case(worker, code, reason="khac", other="x" * 501).status_code == 422

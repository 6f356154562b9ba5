"""The alert rules (deploy/prometheus/rules/): valid for Prometheus (`promtool check rules`), each alert
fired by its unit test (`promtool test rules` over deploy/prometheus/tests/), and each with its runbook
section in docs/runbook.md, linked by its `runbook_url`. promtool comes with Debian's `prometheus`
package, which .ci/run installs when it is missing."""
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
PROMETHEUS = ROOT / "deploy" / "prometheus"
RULE_FILES = sorted((PROMETHEUS / "rules").glob("*.yml"))
TEST_FILES = sorted((PROMETHEUS / "tests").glob("*.test.yml"))
RUNBOOK = ROOT / "docs" / "runbook.md"

# What operators must be told about (issue 13): outbox backlog and age, dead letters, consumer lag, a failing
# notification channel, a service not ready, the error rate.
REQUIRED_ALERTS = {"BinhdangOutboxBacklog", "BinhdangOutboxStuck", "BinhdangDeadLetters", "BinhdangConsumerLag",
                   "BinhdangNotificationChannelFailing", "BinhdangServiceNotReady", "BinhdangServerErrors"}


def promtool(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    executable = shutil.which("promtool")
    assert executable, "promtool is missing: apt-get install prometheus (.ci/run does)"
    return subprocess.run([executable, *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def alerts() -> dict[str, dict]:
    found = {}
    for path in RULE_FILES:
        for group in yaml.safe_load(path.read_text(encoding="utf-8"))["groups"]:
            for rule in group["rules"]:
                assert rule["alert"] not in found, f"{rule['alert']} twice"
                found[rule["alert"]] = rule
    return found


def runbook_sections() -> dict[str, str]:
    """`## Heading` -> the text up to the next such heading."""
    parts = re.split(r"^## (.+)$", RUNBOOK.read_text(encoding="utf-8"), flags=re.M)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def github_anchor(heading: str) -> str:
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_promtool_accepts_every_rule_file():
    result = promtool("check", "rules", *map(str, RULE_FILES))
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_alert_fires_in_its_promtool_test():
    result = promtool("test", "rules", *map(str, TEST_FILES))
    assert result.returncode == 0, result.stdout + result.stderr
    tested: set[str] = set()
    for path in TEST_FILES:
        for case in yaml.safe_load(path.read_text(encoding="utf-8"))["tests"]:
            tested.update(t["alertname"] for t in case.get("alert_rule_test", []) if t.get("exp_alerts"))
    assert set(alerts()) - tested == set(), "alerts no test sees firing"


def test_every_rule_file_is_tested():
    named = {(path.parent / rule_file).resolve() for path in TEST_FILES
             for rule_file in yaml.safe_load(path.read_text(encoding="utf-8"))["rule_files"]}
    assert set(RULE_FILES) - named == set()


def test_the_promtool_tests_fail_when_a_rule_changes(tmp_path):
    """A threshold raised past what the test's series reach: the test that expected the alert fails."""
    shutil.copytree(PROMETHEUS / "rules", tmp_path / "rules")
    shutil.copytree(PROMETHEUS / "tests", tmp_path / "tests")
    rules = tmp_path / "rules" / "messaging.yml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("> 1000", "> 100000"), encoding="utf-8")
    result = promtool("test", "rules", "tests/messaging.test.yml", cwd=tmp_path)
    assert result.returncode != 0 and "BinhdangConsumerLag" in result.stdout + result.stderr


def test_the_alerts_cover_what_operators_need():
    assert REQUIRED_ALERTS - set(alerts()) == set()


@pytest.mark.parametrize("name", sorted(alerts()))
def test_every_alert_says_how_bad_it_is_and_where_its_runbook_is(name):
    rule = alerts()[name]
    assert rule["labels"]["severity"] in {"critical", "warning"}
    assert rule["annotations"]["summary"] and rule["annotations"]["description"]
    assert rule["annotations"]["runbook_url"] == f"docs/runbook.md#{github_anchor(name)}"


@pytest.mark.parametrize("name", sorted(alerts()))
def test_every_alert_has_a_runbook_section_that_says_what_to_do(name):
    section = runbook_sections().get(name)
    assert section, f"docs/runbook.md has no section '## {name}'"
    for part in ("**What it means.**", "**What to look at.**", "**What to do.**"):
        assert part in section, f"{name}: no {part}"


def test_the_runbook_has_no_section_for_an_alert_that_is_gone():
    alert_like = {heading for heading in runbook_sections() if re.fullmatch(r"Binhdang\w+", heading)}
    assert alert_like - set(alerts()) == set()
    assert "Node loss" in runbook_sections()


def test_the_runbook_anchor_is_githubs():
    assert github_anchor("BinhdangDeadLetters") == "binhdangdeadletters"
    assert github_anchor("Node loss") == "node-loss"

"""The README's promises that code can check: every setting documented, the two commands real."""
import re
from pathlib import Path

from services.common.config import SETTINGS

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_in_the_configuration_reference():
    documented = set(re.findall(r"^\| `([A-Z_]+)` \|", README, re.M))
    assert documented == {s.name for s in SETTINGS}


def test_ci_runs_the_readme_test_command():
    assert "./dev test" in README and "./dev demo" in README
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    # the README's test command, then the fault suite it leaves out
    assert "./dev test" in ci and ci[-1] == "exec ./dev faults"
    dev = (ROOT / "dev").read_text(encoding="utf-8")
    assert "demo)" in dev and "test)" in dev

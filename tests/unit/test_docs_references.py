"""What the README and docs/architecture.md name exists: modules and their members, files, functions,
classes, event types, metrics, environment variables and commands; and what the docstrings and comments
of services/ name. Fenced code blocks (examples) in the documents are not read."""
import argparse
import ast
import importlib
import re
from functools import cache
from pathlib import Path

import pytest
from prometheus_client import REGISTRY

import services.common.metrics  # noqa: F401  (registers the metrics)
from services.catalog import metadata_of
from services.cli import build_parser
from services.common.config import SERVICE_NAMES, SETTING_NAMES
from services.common.events import registry
from services.common.tables import messaging_metadata

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = [ROOT / "README.md", ROOT / "docs" / "architecture.md"]
TOP_LEVEL = ("services/", "tests/", "docs/", "deploy/", "samples/", "bench/", ".ci/")

DOTTED = re.compile(r"\bservices(?:\.[A-Za-z_]\w*)+")
BACKTICKED = re.compile(r"`([^`\n]+)`")
LINK = re.compile(r"\]\(([^)\s]+)\)")
EVENT_TYPE = re.compile(r"[a-z_]+(?:\.[a-z_]+)+\.v\d+")
FUNCTION = re.compile(r"([A-Za-z_]\w*)\(\)")  # the whole backticked text
CLASS_MEMBER = re.compile(r"([A-Z][a-z]\w*)(?:\.([a-z_]\w*))?")  # CamelCase, the whole text
ENVIRONMENT_VARIABLE = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+")
METRIC = re.compile(r"binhdang_[a-z_]+")
COMMAND = re.compile(r"binhdang ([a-z][a-z-]*)")

# What the documents, docstrings and comments may name that the code does not define: nameko's own,
# Alembic's table, RabbitMQ's setting.
NAMED_FROM_LIBRARIES = {"event_handler", "requeue_on_error", "RemoteError", "alembic_version", "load_definitions"}


def prose(document: Path) -> str:
    return re.sub(r"^```.*?^```", "", document.read_text(encoding="utf-8"), flags=re.M | re.S)


def backticked(document: Path) -> list[str]:
    return BACKTICKED.findall(prose(document))


@cache
def python_trees(*folders: str) -> list[ast.Module]:
    return [ast.parse(path.read_text(encoding="utf-8")) for folder in folders for path in (ROOT / folder).rglob("*.py")]


@cache
def classes() -> dict[str, set[str]]:
    """Every class defined under services/, with the names defined in its body."""
    found: dict[str, set[str]] = {}
    for tree in python_trees("services"):
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                members = found.setdefault(node.name, set())
                for item in node.body:
                    if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                        members.add(item.name)
                    elif isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                        members.add(item.target.id)
                    elif isinstance(item, ast.Assign):
                        members.update(t.id for t in item.targets if isinstance(t, ast.Name))
    return found


@cache
def functions() -> set[str]:
    return {node.name for tree in python_trees("services") for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)}


@cache
def identifiers() -> set[str]:
    """Every name the code under services/ and tests/ defines or uses."""
    found = set()
    for tree in python_trees("services", "tests"):
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                found.add(node.name)
            elif isinstance(node, ast.Name):
                found.add(node.id)
            elif isinstance(node, ast.Attribute):
                found.add(node.attr)
            elif isinstance(node, ast.arg):
                found.add(node.arg)
            elif isinstance(node, ast.keyword) and node.arg:
                found.add(node.arg)
    return found


@cache
def source_text() -> str:
    paths = [*(ROOT / "services").rglob("*.py"), *(ROOT / "tests").rglob("*.py")]
    return "\n".join(path.read_text(encoding="utf-8") for path in paths)


@cache
def deployment_text() -> str:
    """The compose file and deploy/ (variables, alert names)."""
    paths = [ROOT / "docker-compose.yml", *(p for p in (ROOT / "deploy").rglob("*") if p.suffix in (".yml", ".yaml"))]
    return "\n".join(path.read_text(encoding="utf-8") for path in paths)


def resolves(dotted: str) -> bool:
    """`services.a.b.c`: the longest importable module prefix, then attributes."""
    parts = dotted.split(".")
    for split in range(len(parts), 0, -1):
        try:
            target = importlib.import_module(".".join(parts[:split]))
        except ModuleNotFoundError:
            continue
        for attribute in parts[split:]:
            if not hasattr(target, attribute):
                return False
            target = getattr(target, attribute)
        return True
    return False


def looks_like_a_path(text: str) -> bool:
    if re.search(r"[<>{}\s=$]", text) or text.startswith(("http", "/", "var/")):  # var/: made at run time
        return False
    return text.startswith(TOP_LEVEL) or bool(
        re.fullmatch(r"[\w./*-]+\.(py|md|json|yaml|yml|txt|mako)|[\w-]+/(\w+/)*", text))


def inside_the_repository(path: Path) -> bool:
    return path.resolve().is_relative_to(ROOT)


def path_exists(text: str, document: Path) -> bool:
    """A path from the repository's root or the document's folder, or a file or folder under services/;
    never one outside the repository, which a reader of the repository does not have."""
    if not inside_the_repository(document.parent / text):
        return False
    if "*" in text:
        return any(ROOT.glob(text))
    return ((ROOT / text).exists() or (document.parent / text).exists()
            or any((ROOT / "services").rglob(text.rstrip("/"))))


@cache
def table_names() -> set[str]:
    """Every table of every service's database (docstrings name tables too)."""
    return {*messaging_metadata.tables, *(table for name in SERVICE_NAMES for table in metadata_of(name).tables)}


def metric_families() -> set[str]:
    return {family.name for family in REGISTRY.collect()}


def commands() -> set[str]:
    [subcommands] = [a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)]
    return set(subcommands.choices)


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda d: d.name)
def test_named_modules_and_their_members_exist(document):
    named = set(DOTTED.findall(prose(document)))
    assert {name for name in named if not resolves(name)} == set()


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda d: d.name)
def test_named_files_and_links_exist(document):
    paths = {text for text in backticked(document) if looks_like_a_path(text)}
    links = {target.split("#")[0] for target in LINK.findall(prose(document))
             if not target.startswith(("http", "#", "mailto:"))}
    assert {p for p in paths if not path_exists(p, document)} == set()
    assert {link for link in links if not inside_the_repository(document.parent / link)
            or not (document.parent / link).exists()} == set()


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda d: d.name)
def test_named_functions_classes_and_members_exist(document):
    missing = set()
    for text in backticked(document):
        function, member = FUNCTION.fullmatch(text), CLASS_MEMBER.fullmatch(text)
        if function and function.group(1) not in functions():
            missing.add(text)
        if member and member.group(1) in NAMED_FROM_LIBRARIES | set(re.findall(r"alert: (\w+)", deployment_text())):
            continue
        if member and (member.group(1) not in classes()
                       or member.group(2) and member.group(2) not in classes()[member.group(1)]):
            missing.add(text)
    assert missing == set()


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda d: d.name)
def test_named_event_types_metrics_variables_and_commands_exist(document):
    texts = backticked(document)
    event_types = {t for text in texts for t in EVENT_TYPE.findall(text)}
    metrics = set(METRIC.findall(prose(document)))
    variables = {text for text in texts if ENVIRONMENT_VARIABLE.fullmatch(text)}
    named_commands = {command for text in texts for command in COMMAND.findall(text)}
    assert event_types - {e.name for e in registry.EVENT_TYPES} == set()
    families = metric_families()
    assert {m for m in metrics if m not in families and m.removesuffix("_total") not in families} == set()
    assert {v for v in variables if v not in SETTING_NAMES and f'"{v}"' not in source_text()
            and "${" + v not in deployment_text()} == set()
    assert named_commands - commands() == set()


def test_docstrings_and_comments_name_code_that_exists():
    """A backticked snake_case name (`map_exception`, `outbox.claim_batch`) in services/ is defined somewhere
    or is a table; a backticked metric (`binhdang_...`) is registered."""
    dangling = set()
    families = metric_families()
    for path in (ROOT / "services").rglob("*.py"):
        for text in BACKTICKED.findall(path.read_text(encoding="utf-8")):
            reference = re.fullmatch(r"(?:[a-z_]\w*\.)*([a-z]\w*_\w*)(?:\(\))?", text)
            if METRIC.fullmatch(text):
                known = text in families or text.removesuffix("_total") in families
            else:
                known = not reference or reference.group(1) in identifiers() | table_names() | NAMED_FROM_LIBRARIES
            if not known:
                dangling.add(f"{path.relative_to(ROOT)}: {text}")
    assert dangling == set()


def test_the_checks_read_something_of_every_kind():
    document = ROOT / "docs" / "architecture.md"
    texts = backticked(document)
    assert DOTTED.findall(prose(document)) and LINK.findall(prose(document))
    assert [t for t in texts if looks_like_a_path(t)] and [t for t in texts if CLASS_MEMBER.fullmatch(t)]
    assert [t for t in texts if EVENT_TYPE.fullmatch(t)] and [t for t in texts if ENVIRONMENT_VARIABLE.fullmatch(t)]
    assert [t for t in texts if COMMAND.search(t)] and METRIC.findall(prose(ROOT / "README.md"))


def test_the_checks_find_what_is_missing():
    assert not resolves("services.common.errors.error_response")
    assert resolves("services.common.errors.map_exception")
    assert not path_exists("services/common/nothing.py", ROOT / "README.md")
    assert not path_exists("../shared/ARCHITECTURE.md", ROOT / "README.md")  # outside the repository
    assert not looks_like_a_path("DATA_DIR/<service>.db")
    assert "error_response" not in functions() | identifiers() and "map_exception" in functions()
    assert "apply_once" in classes()["DatabaseAccess"]
    assert "dead-letters" in commands() and "undo" not in commands()

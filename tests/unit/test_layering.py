"""The layers hold: the shared kernel knows no service; the domain does not know nameko."""
import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from services.catalog import service_class, service_classes
from services.common.config import SERVICE_NAMES

SERVICES = Path(__file__).resolve().parents[2] / "services"
KERNEL = SERVICES / "common"


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports: import statements (also inside functions) and importlib calls with a
    literal name."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.update([node.module] + [f"{node.module}.{alias.name}" for alias in node.names])
        elif isinstance(node, ast.ImportFrom):
            raise AssertionError(f"{path}: relative import; the kernel imports by absolute name")
        elif (isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", None))
              in ("import_module", "__import__") and node.args and isinstance(node.args[0], ast.Constant)):
            found.add(str(node.args[0].value))
    return found


def test_nothing_in_the_kernel_imports_the_catalog_or_a_service():
    above_the_kernel = [f"services.{path.stem}" for path in SERVICES.iterdir()
                        if path.name != "common" and (path.suffix == ".py" or (path / "__init__.py").exists())
                        and path.name != "__init__.py"]
    assert {"services.catalog", "services.plans", "services.ops"} <= set(above_the_kernel)
    offending = {
        f"{path.relative_to(SERVICES.parent)}: {module}"
        for path in KERNEL.rglob("*.py")
        for module in imported_modules(path)
        if any(module == top or module.startswith(top + ".") for top in above_the_kernel)
    }
    assert offending == set()


def test_the_scan_sees_imports_inside_functions_and_importlib_calls(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from services.catalog import service_class\n"
                      "    importlib.import_module('services.plans.service')\n")
    assert {"services.catalog", "services.plans.service"} <= imported_modules(sample)


@pytest.mark.parametrize("name", SERVICE_NAMES)
def test_the_catalog_finds_each_named_service(name):
    assert service_class(name).name == name


def test_the_catalog_refuses_an_unknown_service():
    with pytest.raises(ValueError, match="unknown service 'payroll'"):
        service_class("payroll")
    assert list(service_classes()) == list(SERVICE_NAMES)


def domain_modules() -> list[str]:
    """Every module of every service but its entrypoints (service.py) and its migrations."""
    return sorted(
        ".".join(path.relative_to(SERVICES.parent).with_suffix("").parts).removesuffix(".__init__")
        for name in SERVICE_NAMES for path in (SERVICES / name).rglob("*.py")
        if path.name != "service.py" and "migrations" not in path.parts)


MESSAGING_LIBRARIES = ("nameko", "kombu", "eventlet", "amqp")
FIRST_TO_LOAD = """
import importlib, json, sys
loaded = {}
for module in sys.argv[1:]:
    importlib.import_module(module)
    found = sorted({name.split(".")[0] for name in sys.modules} & set(%r))
    if found:
        loaded[module] = found
        break
print(json.dumps(loaded))
"""


def test_use_cases_projections_and_rules_import_no_nameko_kombu_or_eventlet():
    """Only the entrypoints (service.py) and the kernel's providers and subscriber touch the messaging
    libraries; the domain runs without them (and is typed without them)."""
    modules = domain_modules()
    assert {"services.reporting.projections", "services.plans.unit_reports", "services.cases.casework",
            "services.notifications.operations"} <= set(modules)
    run = subprocess.run([sys.executable, "-c", FIRST_TO_LOAD % (MESSAGING_LIBRARIES,), *modules],
                         capture_output=True, text=True, check=True)
    assert json.loads(run.stdout) == {}


def test_the_import_check_sees_a_module_that_loads_nameko():
    run = subprocess.run([sys.executable, "-c", FIRST_TO_LOAD % (MESSAGING_LIBRARIES,),
                          "services.plans.rules", "services.common.providers"], capture_output=True, text=True,
                         check=True)
    assert "nameko" in json.loads(run.stdout)["services.common.providers"]

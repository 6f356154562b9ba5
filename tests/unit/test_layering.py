"""The layers hold: the shared kernel knows no service."""
import ast
from pathlib import Path

import pytest

from services.catalog import service_class, service_classes
from services.common.config import SERVICE_NAMES

SERVICES = Path(__file__).resolve().parents[2] / "services"
KERNEL = SERVICES / "common"


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports: import statements (also inside functions) and importlib calls with a
    literal name."""
    found = set()
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

"""Fixtures of the unit tier."""
import pytest

from tests.support.use_cases import MigratedTemplates


@pytest.fixture(scope="session")
def migrated_templates(tmp_path_factory):
    """Each service's database migrated once per session; `fresh()` copies it for one test."""
    return MigratedTemplates(tmp_path_factory.mktemp("migrated"))

"""Each service's migrations build exactly the schema its models describe, on PostgreSQL and SQLite."""
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from services.catalog import metadata_of, migrations_of
from services.common.config import SERVICE_NAMES
from services.common.db import make_engine
from services.common.migrations import upgrade_to_head
from services.common.tables import messaging_metadata

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("service", SERVICE_NAMES)
@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
def test_migrations_match_the_models(service, backend, postgres, tmp_path):
    url = postgres.create(f"mig_{service}") if backend == "postgresql" else f"sqlite:///{tmp_path}/{service}.db"
    engine = make_engine(url)
    upgrade_to_head(engine, migrations_of(service))
    upgrade_to_head(engine, migrations_of(service))  # a second run is a no-op
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        # alembic compares a sequence of MetaData too (as target_metadata); its annotation names one
        differences = compare_metadata(context, [metadata_of(service), messaging_metadata])  # type: ignore[arg-type]
    engine.dispose()
    assert differences == []

"""`binhdang migrate`: one database per service, each with its own migration history."""
import sqlalchemy as sa

from services.cli import main
from services.common.config import SERVICE_NAMES


def tables(path) -> set[str]:
    engine = sa.create_engine(f"sqlite:///{path}")
    try:
        return set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_migrate_all_into_one_database_is_refused_with_a_clear_message(tmp_path, capsys):
    """Found in review: `migrate all --database-url URL` crashed half-way (the services share one alembic_version)."""
    shared = tmp_path / "shared.db"
    assert main(["migrate", "all", "--database-url", f"sqlite:///{shared}"]) == 2
    message = capsys.readouterr().err
    assert "its own database" in message and "binhdang migrate <service> --database-url" in message
    assert not shared.exists() or tables(shared) == set()  # refused before touching anything


def test_migrate_all_refuses_one_database_url_for_every_service_from_the_environment(tmp_path, monkeypatch,
                                                                                    capsys):
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg2://binhdang:secret@db.example/binhdang")
    assert main(["migrate", "all"]) == 2
    message = capsys.readouterr().err
    assert "plans, cases, notifications, reporting" in message
    assert "secret" not in message  # the URL is named without its password


def test_migrate_all_migrates_each_service_into_its_own_sqlite_file(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert main(["migrate", "all"]) == 0
    for service in SERVICE_NAMES:
        assert "alembic_version" in tables(tmp_path / f"{service}.db")
    assert "notifications" in tables(tmp_path / "notifications.db")


def test_migrate_one_service_with_a_database_url(tmp_path):
    assert main(["migrate", "reporting", "--database-url", f"sqlite:///{tmp_path}/reporting.db"]) == 0
    assert "outbox" in tables(tmp_path / "reporting.db")

"""The discipline Piccolo app: its own tables and migrations, after review's (a case is
opened from confirmed findings)."""

from pathlib import Path

from piccolo.conf.apps import AppConfig, table_finder

APP_CONFIG = AppConfig(
    app_name="discipline",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=table_finder(modules=["congvu.inspect.discipline.tables"], exclude_imported=True),
    migration_dependencies=["congvu.inspect.review.piccolo_app"],
    commands=[],
)

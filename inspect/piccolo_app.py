"""The congvu Piccolo app: every table and the committed migrations."""

from pathlib import Path

from piccolo.conf.apps import AppConfig, table_finder

APP_CONFIG = AppConfig(
    app_name="congvu",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=table_finder(modules=["congvu.inspect.tables"], exclude_imported=True),
    migration_dependencies=[],
    commands=[],
)

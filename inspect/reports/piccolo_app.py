"""The reports Piccolo app: the workbook snapshots, after the core app's (units and
accounts)."""

from pathlib import Path

from piccolo.conf.apps import AppConfig, table_finder

APP_CONFIG = AppConfig(
    app_name="reports",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=table_finder(modules=["congvu.inspect.reports.tables"], exclude_imported=True),
    migration_dependencies=["congvu.inspect.piccolo_app"],
    commands=[],
)

"""The evidence Piccolo app: criteria and the register, after the core app's (units and
accounts)."""

from pathlib import Path

from piccolo.conf.apps import AppConfig, table_finder

APP_CONFIG = AppConfig(
    app_name="evidence",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=table_finder(modules=["congvu.inspect.evidence.tables"], exclude_imported=True),
    migration_dependencies=["congvu.inspect.piccolo_app"],
    commands=[],
)

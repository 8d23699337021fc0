"""The emulation Piccolo app: rating periods, sheets, initiatives; after the organisation's
tables (officials and units) it refers to."""

from pathlib import Path

from piccolo.conf.apps import AppConfig, table_finder

APP_CONFIG = AppConfig(
    app_name="emulation",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=table_finder(modules=["congvu.inspect.emulation.tables"], exclude_imported=True),
    migration_dependencies=["congvu.inspect.piccolo_app"],
    commands=[],
)

"""The inspections Piccolo app: its own tables and migrations, after the core app's and
the dossiers' (a finding may come from a late dossier)."""

from pathlib import Path

from piccolo.conf.apps import AppConfig, table_finder

APP_CONFIG = AppConfig(
    app_name="inspections",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=table_finder(
        modules=["congvu.inspect.inspections.tables"], exclude_imported=True
    ),
    migration_dependencies=["congvu.inspect.piccolo_app", "congvu.inspect.dossiers.piccolo_app"],
    commands=[],
)

"""The review Piccolo app: its own tables and migrations, after inspections' and
dossiers' (a late dossier's flags are decided here)."""

from pathlib import Path

from piccolo.conf.apps import AppConfig, table_finder

APP_CONFIG = AppConfig(
    app_name="review",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=table_finder(modules=["congvu.inspect.review.tables"], exclude_imported=True),
    migration_dependencies=[
        "congvu.inspect.inspections.piccolo_app",
        "congvu.inspect.dossiers.piccolo_app",
    ],
    commands=[],
)

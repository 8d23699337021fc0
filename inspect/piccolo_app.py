"""The core Piccolo app, named ``congvu`` since the first release: the organisation's,
the audit trail's and the job records' tables, whose code lives in their domains."""

from pathlib import Path

from piccolo.conf.apps import AppConfig, table_finder

APP_CONFIG = AppConfig(
    app_name="congvu",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=table_finder(
        modules=[
            "congvu.inspect.organisation.tables",
            "congvu.inspect.organisation.calendar_tables",
            "congvu.inspect.audit.tables",
            "congvu.inspect.background.tables",
        ],
        exclude_imported=True,
    ),
    migration_dependencies=[],
    commands=[],
)

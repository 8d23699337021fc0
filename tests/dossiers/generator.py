"""The export generator used by these tests and the benchmark.

It lives in the package (``congvu.inspect.demo.dossier_export``) because ``congvu
demo-dossiers`` and the demo seed use it too; this module is its name under tests/.
"""

from congvu.inspect.demo.dossier_export import (
    BAD_KINDS,
    HEADERS,
    PROCEDURES,
    Export,
    ExportSpec,
    cp1258_text,
    generate,
    write_csv,
    write_xlsx,
)

__all__ = [
    "BAD_KINDS",
    "HEADERS",
    "PROCEDURES",
    "Export",
    "ExportSpec",
    "cp1258_text",
    "generate",
    "write_csv",
    "write_xlsx",
]

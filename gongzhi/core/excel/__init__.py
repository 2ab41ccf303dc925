"""The Excel engine every module shares. An app only declares its lists (`ListSpec` of `Col`s, with the rows a
user may export and the service that writes imported rows) and names them in its manifest's ``excel_lists``;
core serves the templates with drop-downs, the exports (masked as on screen, safe from formula injection, Chinese
dated file names) and the all-or-nothing imports with their row errors (one set of URLs under /excel/)."""

from gongzhi.core.excel.books import (
    MAX_ROWS,
    XLSX,
    CellError,
    errors_workbook,
    export_cell,
    export_workbook,
    file_name,
    new_sheet,
    open_sheet,
    template_workbook,
    text,
    to_bytes,
    write_row,
)
from gongzhi.core.excel.importer import ImportResult, ModelImporter, errors_text, import_file
from gongzhi.core.excel.spec import Col, ListSpec, get_spec, specs

__all__ = [
    "MAX_ROWS", "XLSX", "CellError", "Col", "ImportResult", "ListSpec", "ModelImporter", "errors_text",
    "errors_workbook", "export_cell", "export_workbook", "file_name", "get_spec", "import_file", "new_sheet",
    "open_sheet", "specs", "template_workbook", "text", "to_bytes", "write_row",
]

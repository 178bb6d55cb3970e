"""The durable local store: atomic files, TinyDB documents, one writer per data folder.

`atomic` writes a file whole or not at all; `storage` is the TinyDB storage on top of it (and
the rolling backups) and opens each file as a TinyDB database whose tables (`_meta`, `project`,
`interview`, `answers`) are read with queries and changed in memory, then written once
(`open_file`, `edit_file`); `project_store.ProjectStore` is the one API the TUI, the CLI and the
exchange layer use to read and change projects and interviews.
"""

from pi87_field.core.store.project_store import (
    EMPTY_REV,
    META_FILE,
    HistoryEntry,
    InterviewSheet,
    ProjectStore,
    SavedAnswer,
    SearchHit,
    StoreScan,
    TrashedInterview,
    check_sheet,
)

__all__ = ["EMPTY_REV", "META_FILE", "HistoryEntry", "InterviewSheet", "ProjectStore", "SavedAnswer", "SearchHit",
           "StoreScan", "TrashedInterview", "check_sheet"]

"""Consolidation of several write-ups into one volume (the team lead's one-shot path).

`consolidation` gathers bundles and write-ups in memory, `volume` lays them out as Word,
`pipeline.merge_files` runs both and writes the files. The layers go one way:
pipeline -> volume -> consolidation.
"""

from pi87_field.core.merge.consolidation import (
    MERGE_FORMAT,
    Conflict,
    ConflictVersion,
    Consolidation,
    InputResult,
    InputStatus,
    MergeCounts,
    MergedProject,
    MergeReport,
    add_bundle,
    consolidate,
    merged_json_bytes,
    read_merged_bundles,
)
from pi87_field.core.merge.pipeline import merge_files

__all__ = [
    "MERGE_FORMAT", "Conflict", "ConflictVersion", "Consolidation", "InputResult", "InputStatus",
    "MergeCounts", "MergeReport", "MergedProject", "add_bundle", "consolidate", "merge_files",
    "merged_json_bytes", "read_merged_bundles",
]

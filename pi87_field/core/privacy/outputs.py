"""Names of pseudonymised files: their own, so that they never replace a nominative one.

`ec01.docx` (nominative) and `ec01.pseudonymise.docx` (pseudonymised) live side by side; the
residual-risk list goes beside the pseudonymised file as `ec01.pseudonymise.docx.a-verifier.txt`
(a text file for the evaluator, not for sending; one per output, so the .docx and the .json of
one project each have theirs).
"""

from __future__ import annotations

from pathlib import Path

MARK = ".pseudonymise"
SIDECAR = ".a-verifier.txt"


def is_pseudonymised_name(path: Path) -> bool:
    """True for `x.pseudonymise.docx` (any case, any extension)."""
    return Path(path).stem.lower().endswith(MARK)


def pseudonymised_path(path: Path) -> Path:
    """`vol.docx` -> `vol.pseudonymise.docx`; a name that already says so is kept."""
    path = Path(path)
    if is_pseudonymised_name(path):
        return path
    return path.with_name(f"{path.stem}{MARK}{path.suffix}")


def sidecar_path(path: Path) -> Path:
    """`vol.pseudonymise.docx` -> `vol.pseudonymise.docx.a-verifier.txt`."""
    path = pseudonymised_path(path)
    return path.with_name(f"{path.name}{SIDECAR}")

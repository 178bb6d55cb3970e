"""Pseudonymisation of what leaves the team: people replaced by stable pseudonyms, everywhere.

The API (for the CLI, the TUI export dialog, `merge` and the volume):

    from pi87_field.core.privacy import PseudonymRegister, pseudonymise_bundles, PEOPLE, STRICT

    register = PseudonymRegister.of_store(store.root)     # the store's register (persisted)
    register = PseudonymRegister.in_memory()              # `merge FILE…` without a store
    bundles, report = pseudonymise_bundles(bundles, register, level=PEOPLE)   # or STRICT
    report.lines()              # terminal lines: name-like words left in place
    report.text(title)          # the sidecar text file's content (never put in the document)
    report.only([project_id])   # the part of the report about some projects

- `register`: one register per store (`<data dir>/pseudonyms.json`, atomic, 0600, backups,
  its own lock): one label per person ("Personne 07", evaluators "Enquêteur·rice 02") across
  projects, interviews, exports and volumes; two people never share one.
- `detect`: people on no sheet (civilities, spaCy's French NER on candidate sentences only,
  filtered by `lexicon`), phones (`phonenumbers`) and e-mails, also obfuscated "(at)".
- `lexicon`: the field's words (ordinary words, capitalised words of organisations and places).
- `names`: finding every mention of a known person in free text (full names in any order,
  parts alone, civility forms, initials, elided and hyphenated forms, e-mails, phone numbers),
  ordinary words left alone ("un petit nombre" stays when Nathalie Petit was interviewed).
- `categories`: the strict level's categories of roles and organisations.
- `pseudonymise`: bundles in, pseudonymised copies and a `ResidualReport` out; the copies carry
  `extra["pseudonymised"] = True` and `extra["pseudonymisation"] = level`.
- `outputs`: file names of pseudonymised outputs (`<stem>.pseudonymise.docx`, never the
  nominative name) and of their sidecar (`<stem>.pseudonymise.docx.a-verifier.txt`).
"""

from pi87_field.core.privacy.outputs import is_pseudonymised_name, pseudonymised_path, sidecar_path
from pi87_field.core.privacy.pseudonymise import (
    LEVEL_LABELS,
    LEVELS,
    PEOPLE,
    STRICT,
    Pseudonymiser,
    ResidualItem,
    ResidualReport,
    people_of,
    pseudonymise_bundle,
    pseudonymise_bundles,
)
from pi87_field.core.privacy.register import PseudonymRegister

__all__ = [
    "LEVELS", "LEVEL_LABELS", "PEOPLE", "STRICT", "PseudonymRegister", "Pseudonymiser", "ResidualItem",
    "ResidualReport", "is_pseudonymised_name", "people_of", "pseudonymise_bundle", "pseudonymise_bundles",
    "pseudonymised_path", "sidecar_path",
]

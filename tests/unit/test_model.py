"""The domain model: identifiers and the records they name."""

from __future__ import annotations

import uuid

from pi87_field.core.model import new_interview_id


def test_new_interview_id_is_random_not_campaign():
    assert uuid.UUID(new_interview_id()).version == 4

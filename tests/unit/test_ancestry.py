"""One ancestry rule and one timestamp reader for every versioned object of the record."""

from datetime import UTC, datetime

from pi87_field.core import ancestry
from pi87_field.core.ancestry import MAX_ANCESTORS, grown_from, lineage, merge_lineages
from pi87_field.core.model import Answer
from pi87_field.core.synthesis.objects import next_ancestors
from pi87_field.core.timestamps import instant_key, is_newer, parse_instant


def test_lineage_is_newest_first_once_without_self_and_capped():
    assert lineage("b", "a", "b", "", "c", exclude="c") == ["b", "a"]
    assert len(lineage(*(str(n) for n in range(500)), exclude="x")) == MAX_ANCESTORS


def test_every_versioned_object_keeps_the_same_number_of_ancestors():
    # The lead's judgements and summaries used to forget after 50 edits, answers after 100:
    # an old copy of a much-edited judgement then came back as a conflict.
    old = [f"r{n}" for n in range(200)]
    assert len(next_ancestors("head", old, "new")) == MAX_ANCESTORS
    answer = Answer(text="x", ancestors=list(old))
    grown = Answer(text="y")
    grown.grow_from(answer)
    assert len(grown.ancestors) == MAX_ANCESTORS
    assert grown_from("head", old, "new")[:2] == ["head", "r0"]
    assert merge_lineages("r1", ["r0", "r1"], ["r2", "r0"]) == ["r0", "r2"]
    assert ancestry.descends("new", ["head"], "head") and not ancestry.descends("head", ["head"], "head")


def test_one_timestamp_reader_for_stored_and_foreign_times():
    assert parse_instant("2019-10-14T10:05:00Z") == datetime(2019, 10, 14, 10, 5, tzinfo=UTC)
    assert parse_instant("2019-10-14T10:05:00") == datetime(2019, 10, 14, 10, 5, tzinfo=UTC)
    assert parse_instant("2019-10-14T10:05:00", assume_utc=False) is None
    assert parse_instant("hier") is None and parse_instant(None) is None
    assert is_newer("2019-10-14T10:05:00+00:00", "2019-10-14T11:00:00+02:00")
    assert instant_key("illisible") < instant_key("1970-01-01T00:00:00+00:00")

"""merge with Word write-ups, and with hostile files among them: a zip bomb (declared or
hidden), an XML entity attack, a foreign Word file, a damaged one. Each is one line in the
report, the others are merged, memory stays bounded, and nothing partial is left behind."""

from __future__ import annotations

import io
import struct
import time
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import docx
import pytest

from pi87_field.core.errors import FieldError
from pi87_field.core.exchange.importing import read_input
from pi87_field.core.merge import InputStatus, merge_files
from pi87_field.core.word.writeup import write_project_docx
from tests.support.merge_bundles import full_case_bundle, guides, tag, three_evaluators
from tests.support.volume_reading import TAG, read_regions

GIB = 1 << 30


def deflate_zeros(total: int) -> bytes:
    """A raw deflate stream of `total` zero bytes, built in milliseconds: one full-flushed
    1 MiB block repeated (after a full flush the compressor's output does not depend on what
    came before, so identical input gives identical bytes)."""
    block = 1 << 20
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    piece = c.compress(b"\0" * block) + c.flush(zlib.Z_FULL_FLUSH)
    return piece * (total // block) + c.flush(zlib.Z_FINISH)


def write_zip(path: Path, members: list[tuple[str, bytes, int, int, int]]) -> Path:
    """A zip written by hand: (name, stored bytes, method 0/8, declared size, crc) per member,
    so that headers can say whatever an attacker wants."""
    out = io.BytesIO()
    central = []
    for name, data, method, declared, crc in members:
        offset = out.tell()
        encoded = name.encode()
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0x21, crc, len(data),
                              declared, len(encoded), 0) + encoded + data)
        central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, method, 0, 0x21, crc,
                                   len(data), declared, len(encoded), 0, 0, 0, 0, 0, offset) + encoded)
    cd_offset = out.tell()
    cd = b"".join(central)
    out.write(cd + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(cd), cd_offset, 0))
    path.write_bytes(out.getvalue())
    return path


def tampered(writeup: Path, path: Path, member: str, data: bytes, *, method: int = 0,
             declared: int | None = None) -> Path:
    """A copy of a real write-up (embedded project included) with one member replaced."""
    members = []
    with zipfile.ZipFile(writeup) as z:
        for info in z.infolist():
            raw = z.read(info.filename)
            members.append((info.filename, raw, 0, len(raw), zlib.crc32(raw)))
    members = [m for m in members if m[0] != member]
    members.append((member, data, method, len(data) if declared is None else declared,
                    zlib.crc32(data) if method == 0 else 0))
    return write_zip(path, members)


def zip_bomb(writeup: Path, path: Path, inflated: int, *, declare: bool) -> Path:
    """A write-up whose word/document.xml inflates to `inflated` bytes. With `declare=False`
    the headers lie (a tiny declared size), so only a streaming cap can stop it."""
    return tampered(writeup, path, "word/document.xml", deflate_zeros(inflated), method=8,
                    declared=inflated if declare else 1024)


def entity_attack(writeup: Path, path: Path) -> Path:
    """A write-up whose document.xml is a "billion laughs" entity expansion."""
    lol = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{i} "{"&lol%d;" % (i - 1) * 10}">' for i in range(1, 10)]
    xml = ('<?xml version="1.0"?><!DOCTYPE w:document [' + "".join(lol) + ']>'
           '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
           "<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>")
    return tampered(writeup, path, "word/document.xml", xml.encode())


def test_deflate_zeros_is_what_it_says():
    data = deflate_zeros(8 << 20)
    assert zlib.decompress(data, -15) == b"\0" * (8 << 20)
    assert len(data) < 20_000


@pytest.fixture
def writeups(tmp_path):
    """The three-evaluator scenario exported as Word write-ups by the real exporter."""
    (tmp_path / "json-src").mkdir()
    scenario = three_evaluators(tmp_path / "json-src")
    folder = tmp_path / "recus"
    folder.mkdir()
    paths = []
    for path in scenario["paths"]:
        if path == scenario["duplicate"]:
            continue
        bundle, _ = read_input(path)
        paths.append(write_project_docx(bundle, guides(), folder / path.with_suffix(".docx").name))
    duplicate = folder / "alice-ec01 (copie).docx"
    duplicate.write_bytes(paths[0].read_bytes())
    scenario["docx"] = paths[:4] + [duplicate] + paths[4:]
    return scenario


def test_docx_writeups_merge_like_bundles(writeups, tmp_path):
    out = tmp_path / "volume.docx"
    report = merge_files(writeups["docx"], out, guides=guides())
    assert [r.status for r in report.rows].count(InputStatus.DUPLICATE) == 1
    assert report.counts.conflicts == 1 and report.counts.errors == 0
    assert report.counts.interviews == writeups["interviews"]
    regions, _ = read_regions(out)
    chapters = "\n".join(r.text for r in regions if r.title[:1].isdigit())
    matrix = next(r for r in regions if r.title == "Partie II — Matrice transversale").text
    for _, text in writeups["expected"]:
        marker = TAG.match(text).group(0)
        assert chapters.count(marker) == 1 and matrix.count(marker) == 1, marker


def test_answer_edited_in_word_is_what_the_volume_shows(tmp_path):
    """An evaluator corrects an answer in Word after export: the volume carries the correction."""
    bundle = full_case_bundle("ec04-edite", 4, "Alice", interviews=1, answer_chars=120)
    path = write_project_docx(bundle, guides(), tmp_path / "ec04.docx")
    document = docx.Document(str(path))
    marker = tag("Alice", "ec04-edite", 1, "budget.cout")
    [paragraph] = [p for p in document.paragraphs if p.text.startswith(marker)]
    for run in paragraph.runs[1:]:
        run.text = ""
    paragraph.runs[0].text = f"{marker} Coût total corrigé dans Word : 1 500 000 €."
    document.save(str(path))
    out = tmp_path / "volume.docx"
    report = merge_files([path], out, guides=guides())
    assert report.rows[0].edited == 1
    regions, _ = read_regions(out)
    text = "\n".join(r.text for r in regions)
    assert text.count("Coût total corrigé dans Word : 1 500 000 €.") == 2       # chapter + matrix
    # the chapter marks the answer as edited in Word after export (issue 13)
    assert "modifiée dans Word (ec04.docx)" in text and text.count("modifiée dans Word (") == 1


@pytest.mark.parametrize("declare", [True, False], ids=["declared-size", "lying-headers"])
def test_zip_bomb_refused_quickly_and_merge_goes_on(writeups, tmp_path, declare):
    bomb = zip_bomb(writeups["docx"][3], tmp_path / "bombe.docx", 2 * GIB, declare=declare)
    assert bomb.stat().st_size < 3_000_000
    paths = [writeups["docx"][0], bomb, writeups["docx"][1]]
    stamps = [time.perf_counter()]
    tracemalloc.start()
    try:
        report = merge_files(paths, tmp_path / "volume.docx", progress=lambda _p: stamps.append(time.perf_counter()),
                             guides=guides())
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    bomb_seconds = stamps[2] - stamps[1]
    row = report.rows[1]
    assert row.status == InputStatus.ERROR
    assert bomb_seconds < 2, bomb_seconds
    assert "\n" not in row.reason and "bombe.docx" not in row.reason
    if declare:
        assert "Mo" in row.reason                 # names the cap it hit
    else:
        # zipfile never inflates past the declared size: the lie shows as a damaged archive.
        assert "endommagée" in row.reason or "Mo" in row.reason
    assert peak < 200 * 2**20, peak / 2**20       # never more than a bounded slice inflated
    assert [r.status for r in report.rows] == [InputStatus.OK, InputStatus.ERROR, InputStatus.OK]
    assert report.counts.projects == 1 and (tmp_path / "volume.docx").is_file()


def test_entity_foreign_and_damaged_docx_are_one_line_each(writeups, tmp_path):
    attack = entity_attack(writeups["docx"][3], tmp_path / "entites.docx")
    foreign = tmp_path / "courrier.docx"
    plain = docx.Document()
    plain.add_paragraph("Bonjour, voici mes notes.")
    plain.save(str(foreign))
    damaged = tmp_path / "abime.docx"
    damaged.write_bytes(writeups["docx"][0].read_bytes()[:3000])
    not_zip = tmp_path / "faux.docx"
    not_zip.write_bytes(b"%PDF-1.4 pas un docx")
    paths = [attack, writeups["docx"][2], foreign, damaged, not_zip]
    t0 = time.perf_counter()
    report = merge_files(paths, tmp_path / "volume.docx", guides=guides())
    assert time.perf_counter() - t0 < 10
    rows = {r.file: r for r in report.rows}
    assert rows["bruno-ec02.docx"].status == InputStatus.OK
    for name in ("entites.docx", "courrier.docx", "abime.docx", "faux.docx"):
        assert rows[name].status == InputStatus.ERROR, name
        assert rows[name].reason and "\n" not in rows[name].reason and "Traceback" not in rows[name].reason
    assert "DOCTYPE" in rows["entites.docx"].reason or "ENTITY" in rows["entites.docx"].reason
    assert "pi87-field" in rows["courrier.docx"].reason


def test_only_hostile_files_nothing_written(writeups, tmp_path):
    bomb = zip_bomb(writeups["docx"][0], tmp_path / "bombe.docx", 2 * GIB, declare=False)
    attack = entity_attack(writeups["docx"][0], tmp_path / "entites.docx")
    out = tmp_path / "sortie" / "volume.docx"
    with pytest.raises(FieldError) as info:
        merge_files([bomb, attack], out, tmp_path / "sortie" / "fusion.json", guides=guides())
    message = str(info.value)
    assert message.startswith("Rien à fusionner") and "bombe.docx" in message and "entites.docx" in message
    assert not out.parent.exists() or list(out.parent.iterdir()) == []

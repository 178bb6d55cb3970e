"""Reading a transcript file at the door: WebVTT, SubRip, Whisper's JSON.

- WebVTT (Teams, Zoom, Whisper) and SubRip are read with webvtt-py (cue identifiers such as
  Teams' GUIDs, cue settings, NOTE and STYLE blocks, `<v Name>` voices, tags stripped); entities
  such as `&amp;` are decoded here. Zoom writes no voice but "Name: text": when most cues start
  that way with a short name, the name becomes the speaker.
- Whisper's JSON: `{"segments": [{"start": 0.0, "end": 2.5, "text": " …"}]}` (a `speaker` per
  segment, as WhisperX writes it, is kept).
- Encodings as files come: UTF-8 with or without BOM, UTF-16 with BOM, else Windows-1252.

Every refusal is one French sentence (`ImportFormatError`) naming the file: size over
`MAX_TRANSCRIPT_BYTES`, more than `MAX_SEGMENTS` cues (counted before parsing, so a file of
100,000 cues is refused at once), a cue over `MAX_SEGMENT_CHARS`, a timestamp that does not
parse, ends before it starts or goes past `MAX_SECONDS`, a binary file. Overlapping cues (two
people talking at once) are normal and kept, in order of start.
"""

from __future__ import annotations

import hashlib
import html
import io
import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import webvtt
from webvtt.errors import MalformedCaptionError, MalformedFileError
from webvtt.models import Timestamp

from pi87_field.core.errors import ImportFormatError, os_reason
from pi87_field.core.fr import plural
from pi87_field.core.money import format_int
from pi87_field.core.text import clean_text, one_line
from pi87_field.core.transcript.model import (
    MAX_SECONDS,
    MAX_SEGMENT_CHARS,
    MAX_SEGMENTS,
    MAX_TRANSCRIPT_BYTES,
    Segment,
)

FORMAT_LABELS = {"vtt": "WebVTT", "srt": "SubRip", "whisper": "JSON de Whisper"}
# "Marie Dupont: Bonjour" (Zoom): a name of at most five words before a colon.
_ZOOM_SPEAKER = re.compile(r"^([^\s:][^:]{0,59}?):\s+(.*)$", re.DOTALL)


@dataclass(slots=True)
class ParsedTranscript:
    source: str
    format: str            # "vtt", "srt" or "whisper"
    segments: list[Segment]

    @property
    def digest(self) -> str:
        return digest_of(self.segments)


def digest_of(segments: list[Segment]) -> str:
    """What makes two transcripts the same one: times, speakers and words (not the encoding,
    not the file's name, not the cut)."""
    h = hashlib.sha256()
    for s in segments:
        h.update(f"{s.start:.3f}\x1f{s.end:.3f}\x1f{s.speaker}\x1f{s.text}\x1e".encode())
    return h.hexdigest()[:24]


def decode(raw: bytes) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="strict")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="strict")   # Windows-1252: what Word-era tools write
    if "\x00" in text:
        raise ValueError("NUL")
    return text


def _refuse(source: str, message: str) -> ImportFormatError:
    return ImportFormatError(f"{source} : {message}" if source else message)


def read_transcript_file(path: Path) -> ParsedTranscript:
    try:
        size = path.stat().st_size
        if size > MAX_TRANSCRIPT_BYTES:
            raise _refuse(str(path), f"fichier trop volumineux pour une transcription ({size // 1_000_000} Mo, "
                                     f"au plus {MAX_TRANSCRIPT_BYTES // 1_000_000} Mo)")
        raw = path.read_bytes()
    except OSError as exc:
        raise _refuse(str(path), f"illisible ({os_reason(exc)})") from None
    return parse_transcript(raw, path.name, where=str(path))


def parse_transcript(raw: bytes, source: str, *, where: str = "") -> ParsedTranscript:
    """The segments of a transcript file's bytes (`source`: its name, kept with the transcript)."""
    where = where or source
    if len(raw) > MAX_TRANSCRIPT_BYTES:
        raise _refuse(where, "fichier trop volumineux pour une transcription")
    try:
        text = decode(raw)
    except (UnicodeDecodeError, ValueError):
        raise _refuse(where, "encodage non reconnu (UTF-8, UTF-16 ou Windows-1252 attendu) : "
                             "ce n'est pas une transcription") from None
    head = text.lstrip("\ufeff \t\r\n")
    if head.startswith("WEBVTT"):
        kind = "vtt"
    elif head.startswith("{"):
        kind = "whisper"
    elif "-->" in head[:4096]:
        kind = "srt"
    else:
        raise _refuse(where, "format non reconnu (WebVTT, SubRip ou JSON de Whisper attendu)")
    if kind == "whisper":
        segments = _whisper(head, where)
    else:
        cues = text.count("-->")
        if cues > MAX_SEGMENTS:
            raise _refuse(where, f"{format_int(cues)} répliques : au plus {format_int(MAX_SEGMENTS)} "
                                 "dans une transcription")
        segments = _captions(text, kind, where)
    if not segments:
        raise _refuse(where, f"aucune réplique lisible dans ce fichier {FORMAT_LABELS[kind]}")
    segments.sort(key=lambda s: (s.start, s.end))
    return ParsedTranscript(source=one_line(source), format=kind, segments=segments)


def _check(n: int, start: float, end: float, text: str, where: str) -> None:
    if not (math.isfinite(start) and math.isfinite(end)) or start < 0 or end > MAX_SECONDS:
        raise _refuse(where, f"réplique n° {format_int(n)} : horodatage hors limites (au plus 24 h)")
    if end < start:
        raise _refuse(where, f"réplique n° {format_int(n)} : horodatage incohérent (la fin précède le début)")
    if len(text) > MAX_SEGMENT_CHARS:
        raise _refuse(where, f"réplique n° {format_int(n)} de plus de {format_int(MAX_SEGMENT_CHARS)} "
                             "caractères : refusée")


def _plain(value: str) -> str:
    return one_line(clean_text(html.unescape(value)))


def _captions(text: str, kind: str, where: str) -> list[Segment]:
    try:
        captions = webvtt.from_buffer(io.StringIO(text), format=kind).captions
    except (MalformedFileError, MalformedCaptionError):
        raise _refuse(where, f"fichier {FORMAT_LABELS[kind]} mal formé (en-tête, réplique vide ou horodatage "
                             "illisible)") from None
    except (ValueError, IndexError):
        raise _refuse(where, f"fichier {FORMAT_LABELS[kind]} mal formé (horodatage illisible)") from None
    timings = [line.strip() for line in text.splitlines() if "-->" in line]
    if len(captions) < len(timings):
        # webvtt-py skips a cue whose timing does not parse: a lost passage must be said
        bad = next((line for line in timings if not _readable_timing(line)), timings[-1])
        raise _refuse(where, f"{plural(len(timings) - len(captions), 'réplique')} à l'horodatage illisible "
                             f"(par exemple « {bad[:60]} »)")
    segments: list[Segment] = []
    for n, caption in enumerate(captions, start=1):
        try:  # milliseconds kept (`start_in_seconds` drops them)
            start = caption.start_time.in_milliseconds() / 1000
            end = caption.end_time.in_milliseconds() / 1000
        except (ValueError, AttributeError):
            raise _refuse(where, f"réplique n° {format_int(n)} : horodatage illisible") from None
        words = _plain(caption.text)
        _check(n, start, end, words, where)
        if words:
            segments.append(Segment(start, end, _plain(caption.voice or ""), words))
    if not any(s.speaker for s in segments):
        _zoom_speakers(segments)
    return segments


def _readable_timing(line: str) -> bool:
    start, _, rest = line.partition("-->")
    try:
        Timestamp.from_string(start.strip().replace(",", "."))
        Timestamp.from_string((rest.split() or [""])[0].replace(",", "."))
    except MalformedCaptionError:
        return False
    return True


def _zoom_speakers(segments: list[Segment]) -> None:
    """Zoom's "Name: text": taken as speakers when most cues have one and the names are few."""
    found = [_ZOOM_SPEAKER.match(s.text) for s in segments]
    names = Counter(m.group(1) for m in found if m and len(m.group(1).split()) <= 5)
    if not names or sum(names.values()) < 0.6 * len(segments) or len(names) > max(12, len(segments) // 10):
        return
    for segment, match in zip(segments, found):
        if match and match.group(1) in names:
            segment.speaker, segment.text = match.group(1).strip(), match.group(2).strip()


def _whisper(text: str, where: str) -> list[Segment]:
    count = 0

    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        nonlocal count
        count += 1
        if count > MAX_SEGMENTS * 4:
            raise _refuse(where, f"plus de {format_int(MAX_SEGMENTS)} segments dans une transcription")
        return dict(pairs)

    def constant(name: str) -> Any:
        raise _refuse(where, f"JSON refusé : valeur « {name} » (ce n'est pas du JSON)")

    try:
        data = json.loads(text, object_pairs_hook=hook, parse_constant=constant)
    except json.JSONDecodeError as exc:
        raise _refuse(where, f"JSON invalide ou tronqué (ligne {exc.lineno}, colonne {exc.colno})") from None
    except (RecursionError, ValueError):
        raise _refuse(where, "JSON refusé (trop imbriqué ou nombre démesuré)") from None
    raw = data.get("segments") if isinstance(data, dict) else None
    if not isinstance(raw, list):
        raise _refuse(where, "JSON sans « segments » : ce n'est pas une transcription de Whisper")
    if len(raw) > MAX_SEGMENTS:
        raise _refuse(where, f"{format_int(len(raw))} segments : au plus {format_int(MAX_SEGMENTS)} "
                             "dans une transcription")
    segments: list[Segment] = []
    for n, item in enumerate(raw, start=1):
        if not isinstance(item, dict):
            raise _refuse(where, f"segment n° {format_int(n)} illisible")
        start, end, words = item.get("start"), item.get("end"), item.get("text")
        if isinstance(start, bool) or isinstance(end, bool) or not isinstance(start, (int, float)) \
                or not isinstance(end, (int, float)):
            raise _refuse(where, f"segment n° {format_int(n)} : horodatage illisible")
        if not isinstance(words, str):
            raise _refuse(where, f"segment n° {format_int(n)} : texte manquant")
        _check(n, float(start), float(end), words, where)
        speaker = item.get("speaker")
        plain = _plain(words)
        if plain:
            segments.append(Segment(round(float(start), 3), round(float(end), 3),
                                    _plain(speaker) if isinstance(speaker, str) else "", plain))
    return segments

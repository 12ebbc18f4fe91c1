"""suggest(): text (+ publication date) -> candidate claims, sorted by start, one per span."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from claims.suggest import attributions, dates, durations, offsets, quantities
from claims.suggest.attributions import RawAttribution, find_attributions
from claims.suggest.dates import find_dates, infer_anchor
from claims.suggest.durations import find_durations
from claims.suggest.offsets import find_offsets, offset_value
from claims.suggest.quantities import find_quantities
from claims.suggest.spans import Index, Occupied, Sentence, mask_junk, sentence_at, sentences
from claims.values import ClaimValue

_VOCABULARY = attributions.TRIGGERS | dates.TRIGGERS | durations.TRIGGERS | quantities.TRIGGERS | offsets.TRIGGERS


@dataclass(frozen=True)
class Candidate:
    start: int
    end: int
    kind: str  # "quantity" | "date" | "duration" | "attribution"
    value: ClaimValue
    unit: str | None
    qualifier: str  # "exact" | "approx" | "at_least" | "at_most"
    # What the claim is about, as proposed: "" when the text does not name it (the editor does), never a
    # placeholder or a bare unit ("metres", "people"). Durations and attributions propose none.
    subject: str
    attribute: str | None
    speaker: str | None
    channel: str | None = None
    # Dates only: the event this one came after ("three days after the election" -> "election"), else None.
    after: str | None = None
    # The speaker's role as the text gives it ("fire chief", "head of the agency"), "" when it gives none.
    speaker_role: str = ""


def suggest(text: str, published: dt.date | None = None) -> list[Candidate]:
    """Candidate claims in ``text``; offsets index ``text`` itself.

    ``published`` anchors "on Thursday", "July 26", "last year"; without it the earliest standalone
    dateline in the text is used, and without that those expressions are skipped.
    """
    if isinstance(published, dt.datetime):
        published = published.date()
    anchor = published or infer_anchor(text)
    masked = mask_junk(text)
    sents = sentences(masked)
    index = Index(masked, _VOCABULARY)
    said = list(find_attributions(index, sents))
    speaker_at = _SpeakerLookup(said, sents)
    # Offsets from an event first ("three days after the election" is a date, not a duration of three
    # days), then durations, dates and quantities: "a 2-5-year time frame" must not also yield a
    # quantity 2, and "in 2014" must not be counted as 2,014 of something.
    taken = Occupied()
    out: list[Candidate] = []
    offset_list = find_offsets(index, taken)
    for o in offset_list:
        taken.add(o.start, o.end)
    for d in find_durations(index, taken):
        taken.add(d.start, d.end)
        out.append(
            Candidate(
                d.start,
                d.end,
                "duration",
                d.value,
                d.unit,
                d.qualifier,
                "",
                "duration",
                speaker_at(d.start),
            )
        )
    dated: dict[str, str] = {}
    for t in find_dates(index, anchor, taken):
        taken.add(t.start, t.end)
        if t.subject:
            dated.setdefault(t.subject.lower(), t.value)
        out.append(
            Candidate(t.start, t.end, "date", t.value, None, t.qualifier, t.subject, t.attribute, speaker_at(t.start))
        )
    for o in offset_list:
        sent = sentence_at(sents, o.start)
        value, qualifier = offset_value(o, masked, sent.start if sent else 0, anchor, dated)
        plural = "s" if o.n != 1 else ""
        out.append(
            Candidate(
                o.start, o.end, "date", value, None, qualifier, "", f"{o.n} {o.unit}{plural} {o.relation} {o.event}",
                speaker_at(o.start), after=o.event if o.relation == "after" else None,
            )
        )  # fmt: skip
    for q in find_quantities(index, sents, taken):
        out.append(
            Candidate(
                q.start,
                q.end,
                "quantity",
                q.value,
                q.unit,
                q.qualifier,
                q.subject,
                q.attribute,
                speaker_at(q.start),
            )
        )
    out += [
        Candidate(
            a.start, a.end, "attribution", None, None, "exact", "", "said by", a.speaker, a.channel, speaker_role=a.role
        )
        for a in said
    ]
    roles = {a.speaker: a.role for a in said if a.speaker and a.role}
    out = [replace(c, speaker_role=roles.get(c.speaker, "")) if c.speaker and not c.speaker_role else c for c in out]
    out.sort(key=lambda c: (c.start, -c.end, c.kind))
    return _dedupe(out)


class _SpeakerLookup:
    """The speaker of the nearest attribution in the same sentence (claims inherit who said them)."""

    def __init__(self, said: list[RawAttribution], sents: list[Sentence]) -> None:
        self._sents = sents
        self._by_sentence: dict[int, list[RawAttribution]] = {}
        for a in said:
            s = sentence_at(sents, a.start)
            if s is not None and a.speaker:
                self._by_sentence.setdefault(s.start, []).append(a)

    def __call__(self, pos: int) -> str | None:
        if not self._by_sentence:
            return None
        s = sentence_at(self._sents, pos)
        near = self._by_sentence.get(s.start) if s else None
        if not near:
            return None
        return min(near, key=lambda a: abs(a.start - pos)).speaker


def _dedupe(cands: list[Candidate]) -> list[Candidate]:
    seen: set[tuple[int, int]] = set()
    out = []
    for c in cands:
        if (c.start, c.end) not in seen:
            seen.add((c.start, c.end))
            out.append(c)
    return out

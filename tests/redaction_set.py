"""The labelled redaction set (tests/fixtures/redaction/comments.txt) and how redaction scores on it.

Run `python -m tests.redaction_set` from the repository root to print the per-type table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pulse.ingest import redact as r

SET = Path(__file__).resolve().parent / "fixtures" / "redaction" / "comments.txt"
MARK = re.compile(r"\{\{(\w+):(.*?)\}\}")
# The placeholder each labelled type should become; a bare name is still a name.
TAG_OF = {
    "email": r.TAG_EMAIL, "phone": r.TAG_PHONE, "postcode": r.TAG_POSTCODE, "ni": r.TAG_NI,
    "card": r.TAG_CARD, "name": r.TAG_NAME, "bare_name": r.TAG_NAME, "address": r.TAG_ADDRESS,
    "dob": r.TAG_DOB, "sort_code": r.TAG_SORT_CODE, "account": r.TAG_ACCOUNT, "vehicle": r.TAG_VEHICLE,
}
TYPES = tuple(TAG_OF)


@dataclass
class Comment:
    """One labelled comment: its text, section, and the spans of personal data in it."""

    text: str
    section: str
    labels: list[tuple[int, int, str]] = field(default_factory=list)

    @property
    def expected(self) -> str:
        """The comment as redaction should leave it."""
        out, done = [], 0
        for start, end, kind in self.labels:
            out += (self.text[done:start], TAG_OF[kind])
            done = end
        return "".join(out) + self.text[done:]


def load(path: Path = SET) -> list[Comment]:
    """Every comment of the set, markup removed and labels as character spans."""
    comments, section = [], ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            section = line[3:].strip()
            continue
        if not line.strip() or line.startswith("#"):
            continue
        line = line.replace("\\n", "\n")
        text, labels, done = "", [], 0
        for m in MARK.finditer(line):
            text += line[done:m.start()]
            labels.append((len(text), len(text) + len(m.group(2)), m.group(1)))
            text += m.group(2)
            done = m.end()
        text += line[done:]
        assert all(kind in TAG_OF for _, _, kind in labels), line
        comments.append(Comment(text, section, labels))
    return comments


@dataclass
class Score:
    """Counts for one type: labelled, caught, predicted and predicted correctly."""

    labelled: int = 0
    caught: int = 0
    predicted: int = 0
    correct: int = 0

    @property
    def recall(self) -> float:
        """Share of labelled spans redacted whole, with the right placeholder."""
        return self.caught / self.labelled if self.labelled else float("nan")

    @property
    def precision(self) -> float:
        """Share of placeholders of this type that cover personal data of this type."""
        return self.correct / self.predicted if self.predicted else float("nan")


@dataclass
class Evaluation:
    """Scores per type, the PII-free word loss, and the comments redaction got wrong."""

    scores: dict[str, Score]
    free_words: int
    free_lost: int
    wrong: list[tuple[str, str, str]]

    @property
    def free_loss(self) -> float:
        """Share of the words of PII-free comments that redaction replaced."""
        return self.free_lost / self.free_words

    def table(self) -> str:
        """The scores as a plain-text table."""
        lines = [f"{'type':<10} {'labelled':>8} {'recall':>8} {'placeholders':>12} {'precision':>9}"]
        for kind, s in self.scores.items():
            lines.append(f"{kind:<10} {s.labelled:>8} {s.recall:>8.1%} {s.predicted:>12} {s.precision:>9.1%}")
        lines.append(f"PII-free comments: {self.free_lost} of {self.free_words} words redacted "
                     f"({self.free_loss:.2%})")
        return "\n".join(lines)


def _covered(start: int, end: int, text: str, spans: list[r.Span]) -> bool:
    return all(text[i].isspace() or any(s <= i < e for s, e, _ in spans) for i in range(start, end))


def evaluate(comments: list[Comment]) -> Evaluation:
    """Redact every comment and score the result against its labels."""
    scores = {kind: Score() for kind in TYPES}
    free_words = free_lost = 0
    wrong = []
    for c in comments:
        spans = r.find_spans(c.text)
        out = r.redact(c.text)
        # Spans come from one round; a second round changing anything would make them incomplete.
        assert out == r._apply(c.text, spans), c.text
        if out != c.expected:
            wrong.append((c.text, c.expected, out))
        for start, end, kind in c.labels:
            s = scores[kind]
            s.labelled += 1
            right_tag = any(a < end and start < b and tag == TAG_OF[kind] for a, b, tag in spans)
            s.caught += right_tag and _covered(start, end, c.text, spans)
        for a, b, tag in spans:
            for kind in TYPES:
                if TAG_OF[kind] != tag or kind == "bare_name":
                    continue
                scores[kind].predicted += 1
                scores[kind].correct += any(
                    s < b and a < e and TAG_OF[k] == tag for s, e, k in c.labels)
        if c.section.endswith("pii-free"):
            for w in re.finditer(r"\S+", c.text):
                free_words += 1
                free_lost += any(a < w.end() and w.start() < b for a, b, _ in spans)
    return Evaluation(scores, free_words, free_lost, wrong)


if __name__ == "__main__":
    result = evaluate(load())
    print(result.table())
    for text, expected, got in result.wrong:
        print(f"\n  text:     {text!r}\n  expected: {expected!r}\n  got:      {got!r}")

"""Turning catalog programs into the passages the retrieval index embeds."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from knowledge.schema import Program

# Bump when the passage recipe changes: it is part of the index key.
PASSAGE_FORMAT = 1
MAX_PASSAGE_CHARS = 320
SENTENCE_END = re.compile(r"(?<=[.!?다요])\s+")


@dataclass(frozen=True)
class Passage:
    program_id: str
    text: str


def program_passages(program: Program) -> list[Passage]:
    """The passages of one program; each starts with the program's name for context."""
    head = program.name
    if program.aliases:
        head += f" ({', '.join(program.aliases)})"
    texts = [f"{head}. {program.summary}"]
    texts.extend(f"{program.name}: {chunk}" for chunk in chunk_text(program.description))
    texts.append(
        f"{program.name} 대상: {program.eligibility.text} 지원 내용: {program.benefit.text}"
    )
    texts.append(f"{program.name} 신청 방법: {program.apply.where}")
    texts.extend(f"{program.name}: {question}" for question in program.questions)
    return [Passage(program.id, text) for text in texts]


def catalog_passages(programs: Iterable[Program]) -> list[Passage]:
    return [passage for program in programs for passage in program_passages(program)]


def chunk_text(text: str, limit: int = MAX_PASSAGE_CHARS) -> list[str]:
    """Split at sentence ends into chunks of at most ``limit`` characters where possible."""
    chunks: list[str] = []
    current = ""
    for sentence in SENTENCE_END.split(text.strip()):
        if current and len(current) + 1 + len(sentence) > limit:
            chunks.append(current)
            current = sentence
        else:
            current = f"{current} {sentence}".strip()
    if current:
        chunks.append(current)
    return chunks

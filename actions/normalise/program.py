"""Which catalog programs a text names, by name or alias: '기초 연금' → basic_pension."""

from __future__ import annotations

import re
from collections.abc import Iterable

from knowledge.schema import Program

_IGNORED = re.compile(r"[\s·ㆍ\-_/()（）\[\]'\"]+")


def _squash(text: str) -> str:
    """Text without spaces or punctuation, case-folded: how names are compared."""
    return _IGNORED.sub("", text).casefold()


class ProgramMatcher:
    """Finds program names and aliases in text, ignoring spaces and punctuation."""

    def __init__(self, programs: Iterable[Program]) -> None:
        """Accepts a ``Catalog`` or any iterable of programs."""
        ids_by_name: dict[str, list[str]] = {}
        for program in programs:
            for name in (program.name, *program.aliases):
                key = _squash(name)
                if key and program.id not in ids_by_name.setdefault(key, []):
                    ids_by_name[key].append(program.id)
        # Longest names first, so '기초노령연금' is taken before '노령연금' inside it.
        self._names = sorted(ids_by_name.items(), key=lambda item: len(item[0]), reverse=True)

    def find(self, text: str) -> list[str]:
        """Ids of the programs named in ``text``, in the order they are first named.

        Names are matched longest first and a matched stretch of text is not matched
        again, so a shorter name inside a longer one does not add a second program.
        """
        squashed = _squash(text)
        taken = [False] * len(squashed)
        hits: list[tuple[int, str]] = []
        for name, ids in self._names:
            for match in re.finditer(re.escape(name), squashed):
                if any(taken[match.start() : match.end()]):
                    continue
                taken[match.start() : match.end()] = [True] * len(name)
                hits.extend((match.start(), program_id) for program_id in ids)
        ordered = sorted(hits, key=lambda hit: hit[0])
        return list(dict.fromkeys(program_id for _, program_id in ordered))

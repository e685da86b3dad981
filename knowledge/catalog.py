"""Loading and checking the program catalog (one YAML file per program)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import ValidationError

from knowledge.schema import AllOf, AnyOf, Condition, NotOf, Program, ReceivesRule
from knowledge.yaml_data import load_yaml


class CatalogError(ValueError):
    """The catalog has problems; ``problems`` lists one line per problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Catalog:
    programs: tuple[Program, ...]
    digest: str

    def __iter__(self) -> Iterator[Program]:
        return iter(self.programs)

    def __len__(self) -> int:
        return len(self.programs)

    def get(self, program_id: str) -> Program | None:
        for program in self.programs:
            if program.id == program_id:
                return program
        return None


def program_files(directories: Iterable[Path]) -> list[Path]:
    """Every program file below the directories, in a stable order."""
    files: list[Path] = []
    for directory in directories:
        if directory.is_dir():
            files.extend(sorted(directory.rglob("*.yaml")))
    return files


def catalog_digest(files: Iterable[Path]) -> str:
    """A hash of the catalog's content: what a built index is keyed by."""
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def load_catalog(directories: Iterable[Path]) -> Catalog:
    """Read and validate every program; raise CatalogError listing all problems."""
    files = program_files(directories)
    problems: list[str] = []
    programs: list[Program] = []
    for path in files:
        try:
            with path.open(encoding="utf-8") as handle:
                program = Program.model_validate(load_yaml(handle))
        except (ValidationError, yaml.YAMLError) as error:
            problems.append(f"{path}: {error}")
            continue
        if path.stem != program.id:
            problems.append(f"{path}: file name must be '{program.id}.yaml'")
        programs.append(program)
    problems.extend(_cross_reference_problems(programs))
    if problems:
        raise CatalogError(problems)
    return Catalog(tuple(sorted(programs, key=lambda p: p.id)), catalog_digest(files))


def _cross_reference_problems(programs: list[Program]) -> list[str]:
    ids = [p.id for p in programs]
    problems = [f"duplicate program id '{i}'" for i in sorted(set(ids)) if ids.count(i) > 1]
    known = set(ids)
    for program in programs:
        if program.eligibility.rule is None:
            continue
        for rule in condition_leaves(program.eligibility.rule):
            if isinstance(rule, ReceivesRule):
                problems.extend(
                    f"{program.id}: receives refers to unknown program '{other}'"
                    for other in rule.any_of
                    if other not in known
                )
    return problems


def condition_leaves(condition: Condition) -> Iterator[Condition]:
    """The leaf conditions of a rule tree, depth first."""
    if isinstance(condition, AllOf | AnyOf):
        for child in condition.of:
            yield from condition_leaves(child)
    elif isinstance(condition, NotOf):
        yield from condition_leaves(condition.of)
    else:
        yield condition

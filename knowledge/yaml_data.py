"""Reading the knowledge base's YAML files.

PyYAML follows YAML 1.1, where ``on``, ``off``, ``yes`` and ``no`` are booleans: a catalog
test case's ``on: 2026-07-01`` would arrive keyed by ``True``. Our files follow YAML 1.2 on
this point: only ``true`` and ``false`` are booleans.
"""

from __future__ import annotations

import re
from typing import IO, Any

import yaml

_YAML_1_2_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")


class _KnowledgeLoader(yaml.SafeLoader):
    """The safe loader with YAML 1.2 booleans."""


_KnowledgeLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_KnowledgeLoader.add_implicit_resolver("tag:yaml.org,2002:bool", _YAML_1_2_BOOL, list("tTfF"))


def load_yaml(stream: str | IO[str]) -> Any:
    """One YAML document from ``stream``, with only true/false read as booleans."""
    return yaml.load(stream, Loader=_KnowledgeLoader)

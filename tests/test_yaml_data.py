"""The knowledge files read ``on``/``yes``/``no`` as words, not booleans."""

import datetime as dt

from knowledge.yaml_data import load_yaml


def test_only_true_and_false_are_booleans() -> None:
    data = load_yaml("on: 2026-07-01\nyes: no\nflag: true\nother: False\nswitch: off\n")
    assert data == {
        "on": dt.date(2026, 7, 1),
        "yes": "no",
        "flag": True,
        "other": False,
        "switch": "off",
    }

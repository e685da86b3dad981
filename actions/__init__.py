"""ieum's Rasa custom actions (rasa-sdk), split by domain, with Korean normalisers.

``benefits`` (the benefit finder form), ``programs`` (program questions), ``handoff``
(handoff, fallback, emergency), ``checkins`` (check-in answers and requests), ``reports``
(blind-spot reports and their status). Run with
``python -m actions``.
"""

ACTION_MODULES = (
    "actions.benefits",
    "actions.programs",
    "actions.handoff",
    "actions.checkins",
    "actions.reports",
)

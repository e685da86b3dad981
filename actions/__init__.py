"""ieum's Rasa custom actions (rasa-sdk), split by domain, with Korean normalisers.

``benefits`` (the benefit finder form), ``programs`` (program questions), ``handoff``
(handoff, fallback, emergency), ``checkins`` (words that only sound like a check-in
answer), ``checkin_request`` (asking for check-ins in the chat), ``checkin_chat``
(invitation links, check-in answers, pause and stop), ``reports`` (blind-spot reports
and their status). Run with ``python -m actions``.
"""

ACTION_MODULES = (
    "actions.benefits",
    "actions.programs",
    "actions.handoff",
    "actions.checkins",
    "actions.checkin_request",
    "actions.checkin_chat",
    "actions.reports",
)

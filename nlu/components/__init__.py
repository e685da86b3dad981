"""Custom Rasa components for the ieum NLU pipeline (imported by module path from config.yml)."""

"""Building the knowledge component's objects from settings."""

from __future__ import annotations

from core.settings import Settings
from knowledge.catalog import Catalog, load_catalog
from knowledge.engine import EligibilityEngine
from knowledge.income import load_median_income
from knowledge.recognition import load_schemes


def load_settings_catalog(settings: Settings) -> Catalog:
    return load_catalog(settings.catalog_dirs)


def build_engine(settings: Settings, catalog: Catalog | None = None) -> EligibilityEngine:
    """An engine over the configured catalog, with every period's tables and parameters
    (the day of each question chooses among them)."""
    programs = catalog if catalog is not None else load_settings_catalog(settings)
    return EligibilityEngine(programs.programs, load_median_income(), load_schemes())

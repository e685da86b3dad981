"""Building the knowledge component's objects from settings."""

from __future__ import annotations

from core.settings import Settings
from knowledge.catalog import Catalog, load_catalog
from knowledge.engine import EligibilityEngine
from knowledge.income import load_median_income


def load_settings_catalog(settings: Settings) -> Catalog:
    return load_catalog(settings.catalog_dirs)


def build_engine(settings: Settings, catalog: Catalog | None = None) -> EligibilityEngine:
    """An engine over the configured catalog, with the configured year's parameters."""
    programs = catalog if catalog is not None else load_settings_catalog(settings)
    median = load_median_income().for_year(settings.income_year)
    return EligibilityEngine(programs.programs, median)

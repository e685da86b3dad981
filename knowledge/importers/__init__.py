"""Importers that turn public program data into catalog entries (``Program`` YAML files)."""

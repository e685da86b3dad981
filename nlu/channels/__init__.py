"""Custom Rasa input channels for ieum (registered by module path in credentials.yml)."""

"""Custom Rasa input channels, registered in credentials.yml by their module path."""

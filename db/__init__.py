"""Persistence layer: models, engine/session factory and repositories."""

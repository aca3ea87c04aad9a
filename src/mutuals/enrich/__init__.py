"""Signals computed from text alone: sentiment, language, intent, themes. Pure functions; no database."""

"""Listening over the database: recurring concerns (themes), sentiment over time, spike alerts."""

"""Screens built from the database state: what a feature shows, apart from how it is reached."""

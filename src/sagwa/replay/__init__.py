"""Replays of real incidents, run through sagwa's real services on a fresh database."""

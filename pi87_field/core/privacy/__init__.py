"""Pseudonymisation of what leaves the laptop: people's names replaced by stable pseudonyms."""

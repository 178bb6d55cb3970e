"""Helpers shared by the tests: fixture builders and readers, imported by test modules and conftests
(never import from a test module or a conftest)."""

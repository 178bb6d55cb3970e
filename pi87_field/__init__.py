"""pi87-field: fieldwork tool for the evaluation of ESF investment priority 8.7."""

__version__ = "0.1.0"
APP_NAME = "pi87-field"

"""The interviewer's terminal interface (Textual). Depends on the core, never the reverse."""

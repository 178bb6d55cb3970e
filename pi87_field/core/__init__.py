"""The terminal-free core: model, guides, store, exchange formats. Never imports textual."""

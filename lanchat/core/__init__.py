"""Services and Qt models: contacts, messaging, transfers, history, settings (no widgets)."""

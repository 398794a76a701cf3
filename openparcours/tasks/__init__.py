"""Task types: one module per type, collected in `registry`."""

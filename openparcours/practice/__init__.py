"""Good practice made visible: examples the partners of a district share with its schools and
institutions."""

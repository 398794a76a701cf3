"""Planning with partners: a school's Lernweg (year groups × subjects: what its agreements plan
and its classes did) and, per partnership, the annual plan."""

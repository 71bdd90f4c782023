"""The marketplace's domain core: plain Python, no I/O, no database, no web framework."""

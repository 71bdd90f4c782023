"""HTTP edge: the JSON API (and, later, server-rendered pages)."""

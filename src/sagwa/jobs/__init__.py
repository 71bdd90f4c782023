"""Background jobs: the procrastinate app (``app.py``), its tasks and the worker that runs them."""

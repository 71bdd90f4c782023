"""Adapters at the edge: the database, the embedded server, files, message senders."""

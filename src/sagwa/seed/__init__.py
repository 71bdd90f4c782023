"""Demo data: a Korean online bookstore-and-electronics marketplace, loaded through the services."""

"""Helpers for sagwa's own tests and benchmarks (need the ``[test]`` extras: aiosmtpd)."""

"""sagwa (사과): catch pricing errors before customers see them; when one slips through, make it right."""

__version__ = "0.1.0"

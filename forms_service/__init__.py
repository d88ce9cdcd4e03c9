"""forms-service: versioned case-information forms for senior pension (seniorpension)."""

__version__ = "0.1.0"

"""Data protection on the case page: legal hold and the case's access log (Seniorpension)."""

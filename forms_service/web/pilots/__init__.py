"""Pilot pages: list, create (form editors), the comparison and report, caseworkers' feedback."""

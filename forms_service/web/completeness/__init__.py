"""The completeness checklist on the case page and beside the form (templates/completeness/)."""

"""The forum's status dashboard, CSV export of its tables and the quarterly Word report."""

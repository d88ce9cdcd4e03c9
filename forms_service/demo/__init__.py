"""The demo: users, cases in every status and two years of simulated history.

It sits above the features it fills (cases, pilots, reporting), so none of them imports it.
"""

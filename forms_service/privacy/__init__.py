"""Personal data kept only as long as the law allows, and shown to the person it is about.

- ``retention``: the rules per case state (``settings``), the legal holds that stop them
  (``holds``), and the run that removes what is due (``forms-service retention run``), leaving
  the figures the forum needs and a log of what went.
- ``export``: the citizen's right of access (GDPR art. 15): every case of one CPR number,
  with who read or changed it, as JSON and a Word summary (``forms-service gdpr export``).
- ``access_log``: who read or changed a case, for Seniorpension's case page.
"""

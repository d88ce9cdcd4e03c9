"""Notifications: what happens to a case reaches people (e-mail) and systems (webhooks).

A change of a case records an event in the same transaction (the outbox, ``outbox.py``); a
delivery run (``delivery.py``: ``forms-service notifications send`` or the RQ worker) fans each
new event out to its recipients (``routing.py``) and sends e-mails (``email.py``, ``smtp.py``)
and signed webhooks (``webhooks.py``) with retries and backoff. Deadline reminders are events
too, added by ``reminders.py`` (``forms-service notifications run-due``).
"""

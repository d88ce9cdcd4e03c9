"""Uploaded documents and archival receipts: the upload form and pages (services in ``forms_service.http.attachments``)."""

"""Reporting: projections of plans, unit reports and cases, built from events; commune status."""

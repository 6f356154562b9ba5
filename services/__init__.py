"""Bình Đẳng services: plans, cases, notifications and reporting, with their shared kernel."""

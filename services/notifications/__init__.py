"""Notifications: tells the right people (by role) what happened, through a delivery channel."""

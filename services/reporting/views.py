"""The reporting API's answers, built from the projections' status."""
from __future__ import annotations

from services.reporting.schemas import CommuneStatus


def commune_status_view(status: dict) -> CommuneStatus:
    """`status.commune_status` as the API answers it."""
    return CommuneStatus(**status)

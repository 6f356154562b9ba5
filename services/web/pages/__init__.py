"""The pages, one module per piece of someone's work. Each module lists its `ROUTES` and the `NAV` links it adds
for the roles that use it; `services/web/app.py` gathers them in the order below (the navigation's order)."""
from services.web.pages import account_admin, completeness_board, home, leader_decisions, signing, unit_report

MODULES = (signing, home, unit_report, completeness_board, leader_decisions, account_admin)

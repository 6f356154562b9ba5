"""The pages, one module per piece of someone's work. Each module lists its `ROUTES` and the `NAV` links it adds
for the roles that use it; `services/web/app.py` gathers them in the order below (the navigation's order)."""
from services.web.pages import (
    account_admin,
    case_work,
    commune_plan,
    commune_report,
    completeness_board,
    home,
    inbox,
    leader_decisions,
    notifications_sent,
    oidc_signing,
    operations,
    own_password,
    province_board,
    signing,
    unit_directory,
    unit_report,
)

MODULES = (signing, oidc_signing, home, unit_report, completeness_board, unit_directory, commune_plan, commune_report,
           notifications_sent, case_work, leader_decisions, inbox, operations, province_board, account_admin,
           own_password)

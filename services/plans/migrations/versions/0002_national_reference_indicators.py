"""National reference indicators of the Strategy on gender equality 2021-2030

The targets a commune tracks against (Nghị quyết 28/NQ-CP ngày 03/3/2021 ban hành Chiến lược quốc gia
về bình đẳng giới giai đoạn 2021-2030). Data, frozen here as migrations are: a later correction is a
new migration.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""
import uuid

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SOURCE = "Chiến lược quốc gia về bình đẳng giới giai đoạn 2021-2030 (Nghị quyết số 28/NQ-CP ngày 03/3/2021)"

# code, name, unit of measure, value type, disaggregated by sex, [(year, target)]
INDICATORS = [
    ("NQ28-CT-01", "Tỷ lệ cơ quan quản lý nhà nước, chính quyền địa phương các cấp có lãnh đạo chủ chốt là nữ",
     "%", "percent", False, [(2025, 60), (2030, 75)]),
    ("NQ28-KT-01", "Tỷ lệ lao động nữ làm công hưởng lương", "%", "percent", False, [(2025, 50), (2030, 60)]),
    ("NQ28-KT-02", "Tỷ trọng lao động nữ làm việc trong khu vực nông nghiệp trong tổng số lao động nữ có việc "
                   "làm (dưới mức này)", "%", "percent", False, [(2025, 30), (2030, 25)]),
    ("NQ28-KT-03", "Tỷ lệ nữ giám đốc/chủ doanh nghiệp, hợp tác xã", "%", "percent", False,
     [(2025, 27), (2030, 30)]),
    ("NQ28-YT-01", "Tỷ số giới tính khi sinh (số bé trai trên 100 bé gái sinh ra sống, không vượt quá)",
     "bé trai/100 bé gái", "number", False, [(2025, 111), (2030, 109)]),
    # Commune-level tracking of the plan's own activities (no national target).
    ("BDG-CS-01", "Số lượt người được tuyên truyền, phổ biến pháp luật về bình đẳng giới và phòng, chống bạo "
                  "lực trên cơ sở giới", "lượt người", "count", True, []),
    ("BDG-CS-02", "Số cán bộ, công chức được tập huấn, bồi dưỡng về bình đẳng giới", "người", "count", True, []),
    ("BDG-CS-03", "Số hoạt động hưởng ứng Tháng hành động vì bình đẳng giới", "hoạt động", "count", False, []),
]

indicators = sa.table(
    "indicators", sa.column("id", sa.String), sa.column("scope", sa.String), sa.column("code", sa.String),
    sa.column("name", sa.Text), sa.column("unit_of_measure", sa.String), sa.column("value_type", sa.String),
    sa.column("sex_disaggregated", sa.Boolean), sa.column("source", sa.Text),
    sa.column("reference_targets", sa.JSON))


def upgrade() -> None:
    op.bulk_insert(indicators, [
        {"id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"binhdang:indicator:{code}")), "scope": "national", "code": code,
         "name": name, "unit_of_measure": unit, "value_type": value_type, "sex_disaggregated": by_sex,
         "source": SOURCE if code.startswith("NQ28") else "Chỉ tiêu theo dõi thực hiện kế hoạch cấp xã",
         "reference_targets": [{"year": year, "value": value} for year, value in targets]}
        for code, name, unit, value_type, by_sex, targets in INDICATORS])


def downgrade() -> None:
    op.execute(indicators.delete().where(indicators.c.scope == "national"))

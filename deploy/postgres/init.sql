-- One database per service: each service owns its data and no service reads another's tables.
-- The postgres image runs this once, when its data volume is empty. The role `binhdang` is the
-- image's POSTGRES_USER (see docker-compose.yml), which already exists at this point.
CREATE DATABASE binhdang_plans OWNER binhdang;
CREATE DATABASE binhdang_cases OWNER binhdang;
CREATE DATABASE binhdang_notifications OWNER binhdang;
CREATE DATABASE binhdang_reporting OWNER binhdang;

-- One database per service (and the web's accounts): each owns its data and none reads another's tables.
-- The postgres image runs this once, when its data volume is empty. The role `binhdang` is the
-- image's POSTGRES_USER (see docker-compose.yml), which already exists at this point.
CREATE DATABASE binhdang_plans OWNER binhdang;
CREATE DATABASE binhdang_cases OWNER binhdang;
CREATE DATABASE binhdang_notifications OWNER binhdang;
CREATE DATABASE binhdang_reporting OWNER binhdang;
CREATE DATABASE binhdang_web OWNER binhdang;

-- Run once by the Postgres container on first start (docker compose).
-- This only prepares the database; the migrate service then gives each service a login role
-- of its own that owns its schema and nothing else, and takes from PUBLIC what Postgres gives it
-- (packages/provisioning/src/migrate.ts, packages/db/src/roles.ts).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE DATABASE reemploy_test;
\connect reemploy_test
CREATE EXTENSION IF NOT EXISTS pg_trgm;

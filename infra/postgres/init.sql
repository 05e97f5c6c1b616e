-- Run once by the Postgres container on first start (docker compose).
-- Each service creates and migrates its own schema; this only prepares the database.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE DATABASE reemploy_test;
\connect reemploy_test
CREATE EXTENSION IF NOT EXISTS pg_trgm;

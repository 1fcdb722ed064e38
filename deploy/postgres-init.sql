-- One database per service (each service owns its own; none reads another's).
-- The postgres image runs this once, as POSTGRES_USER, when it initialises an empty
-- data volume; the databases belong to that user. Each service's tables come from its
-- migrations (the migrate-<service> containers of compose.yaml).
CREATE DATABASE clientele_customers;
CREATE DATABASE clientele_vouchers;
CREATE DATABASE clientele_billing;
CREATE DATABASE clientele_notifier;
CREATE DATABASE clientele_gateway;

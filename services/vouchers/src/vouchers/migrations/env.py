from service_runtime.migration_ops import run_migrations
from vouchers.adapters.tables import metadata

run_migrations(metadata)

from notifier.adapters.tables import metadata
from service_runtime.migration_ops import run_migrations

run_migrations(metadata)

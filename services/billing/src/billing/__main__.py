from billing.bootstrap import MIGRATIONS, create_app
from billing.config import BillingSettings
from service_runtime.cli import main

main(BillingSettings(), create_app, MIGRATIONS)

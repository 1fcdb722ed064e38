from customers.bootstrap import MIGRATIONS, create_app
from customers.config import CustomersSettings
from service_runtime.cli import main

main(CustomersSettings(), create_app, MIGRATIONS)

from gateway.bootstrap import MIGRATIONS, create_app
from gateway.config import GatewaySettings
from service_runtime.cli import main

main(GatewaySettings(), create_app, MIGRATIONS)

from service_runtime.cli import main
from vouchers.bootstrap import MIGRATIONS, create_app
from vouchers.config import VouchersSettings

main(VouchersSettings(), create_app, MIGRATIONS)

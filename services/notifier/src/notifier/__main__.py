from notifier.bootstrap import MIGRATIONS, create_app
from notifier.config import NotifierSettings
from service_runtime.cli import main

main(NotifierSettings(), create_app, MIGRATIONS)

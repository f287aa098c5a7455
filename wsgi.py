"""WSGI entry point: gunicorn wsgi:app"""

from lms import create_app
from lms.config import require_secret_key

app = create_app()
require_secret_key(app)  # fail at start-up, not at the first request

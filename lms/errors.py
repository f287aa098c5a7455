"""Error pages in the user's language."""

from flask import render_template
from flask_wtf.csrf import CSRFError


def register_error_handlers(app):
    def render_error(error):
        code = getattr(error, "code", 500) or 500
        return render_template("errors/error.html", code=code), code

    for code in (400, 403, 404, 405, 413, 429, 500):
        app.register_error_handler(code, render_error)

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_template("errors/error.html", code=400, csrf=True), 400

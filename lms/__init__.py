"""MSO learning site: the application factory."""

import logging
import os

from flask import Flask

from .config import ROOT, load_config, require_secret_key
from .extensions import babel, configure_sqlite, csrf, db, limiter, login_manager, migrate


def create_app(test_config=None):
    """Build the application: config, extensions, blueprints, CLI. No queries here."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        static_folder=str(ROOT / "static"),
    )
    if test_config and test_config.get("TESTING"):
        app.testing = True
    load_config(app, test_config)
    os.makedirs(app.instance_path, exist_ok=True)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    app.before_request(lambda: require_secret_key(app))
    _init_extensions(app)
    _register_blueprints(app)
    _register_cli(app)
    return app


def _init_extensions(app):
    from .i18n.locale import select_locale, select_timezone

    db.init_app(app)
    with app.app_context():  # binds engine events; opens no connection
        configure_sqlite(db.engine)
    migrate.init_app(
        app,
        db,
        directory=os.path.join(os.path.dirname(__file__), "migrations"),
        render_as_batch=True,
        compare_type=True,
    )
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message_category = "info"

    from .auth.models import load_user  # registers the user_loader

    login_manager.user_loader(load_user)

    from . import pagecache

    pagecache.init_app(app)

    from .certificates.services import connect_signals

    connect_signals()


def _register_blueprints(app):
    from .admin.views import bp as admin_bp
    from .auth.views import bp as auth_bp
    from .catalog.trainer_views import bp as trainer_bp
    from .catalog.views import bp as catalog_bp
    from .certificates.staff_views import bp as certificate_admin_bp
    from .certificates.views import bp as certificates_bp
    from .coordination.evaluation_views import bp as evaluation_bp
    from .coordination.views import bp as coordination_bp
    from .errors import register_error_handlers
    from .i18n.views import bp as i18n_bp
    from .i18n.views import register_template_helpers
    from .learning.views import bp as learning_bp
    from .privacy.views import bp as privacy_bp
    from .quizzes.views import bp as quizzes_bp
    from .security import register_security_headers

    for bp in (
        catalog_bp,
        auth_bp,
        learning_bp,
        quizzes_bp,
        certificates_bp,
        i18n_bp,
        admin_bp,
        trainer_bp,
        certificate_admin_bp,
        coordination_bp,
        evaluation_bp,
        privacy_bp,
    ):
        app.register_blueprint(bp)
    register_template_helpers(app)
    register_error_handlers(app)
    register_security_headers(app)


def _register_cli(app):
    from .auth.cli import users_cli
    from .catalog.cli import courses_cli
    from .certificates.cli import certificates_cli
    from .cli import lms_cli
    from .demo import demo_cli
    from .i18n.cli import translate_cli

    app.cli.add_command(courses_cli)
    app.cli.add_command(certificates_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(translate_cli)
    app.cli.add_command(lms_cli)

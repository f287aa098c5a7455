"""The baseline: a bare Flask + Jinja + SQLite page, measured beside the site in the same run.

Three queries and a template of about the size of a site page, nothing else: no
login, no CSRF, no translations. The site's pages are reported as ratios of it.
"""

import os
import sqlite3

from flask import Flask, g

DATABASE = os.environ.get("BASELINE_DB", "/tmp/baseline.sqlite")

PAGE = """<!doctype html><html lang="de"><head><meta charset="utf-8"><title>{{ title }}</title>
<link rel="stylesheet" href="/static/site.css"></head><body><header><nav><ul>
{% for link in links %}<li><a href="{{ link.url }}">{{ link.name }}</a></li>{% endfor %}</ul></nav></header>
<main><h1>{{ title }}</h1><p>{{ lead }}</p><ol>
{% for item in items %}<li><h2>{{ item.name }}</h2><p>{{ item.text }}</p><p>{{ item.meta }}</p></li>{% endfor %}
</ol></main><footer><p>{{ footer }}</p></footer></body></html>"""

app = Flask(__name__)
TEMPLATE = app.jinja_env.from_string(PAGE)  # compiled once, as Flask does for template files


def get_db():
    if "db" not in g:
        g.db = sqlite3.connect(DATABASE)
        g.db.row_factory = sqlite3.Row
    return g.db


@app.teardown_appcontext
def close_db(_exc):
    db = g.pop("db", None)
    if db is not None:
        db.close()


@app.route("/")
def page():
    db = get_db()
    title = db.execute("SELECT value FROM settings WHERE key = 'title'").fetchone()[0]
    links = db.execute("SELECT name, url FROM links ORDER BY id").fetchall()
    items = db.execute("SELECT name, text, meta FROM items ORDER BY id LIMIT 40").fetchall()
    return TEMPLATE.render(title=title, links=links, items=items, lead="Baseline " * 20, footer="Footer " * 10)


def create_database(path):
    """Fill the baseline database (run once before the benchmark)."""
    db = sqlite3.connect(path)
    db.executescript("""
        DROP TABLE IF EXISTS settings; DROP TABLE IF EXISTS links; DROP TABLE IF EXISTS items;
        CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT);
        CREATE TABLE links (id INTEGER PRIMARY KEY, name TEXT, url TEXT);
        CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, text TEXT, meta TEXT);
        INSERT INTO settings VALUES ('title', 'Baseline');
    """)
    db.executemany("INSERT INTO links (name, url) VALUES (?, ?)", [(f"Link {i}", f"/l/{i}") for i in range(8)])
    db.executemany(
        "INSERT INTO items (name, text, meta) VALUES (?, ?, ?)",
        [(f"Eintrag {i}", "Ein Satz über den Verein. " * 12, f"Stand {i}") for i in range(200)],
    )
    db.commit()
    db.close()

#!/usr/bin/python3
"""Builds a real Alembic history for the import tests: for each model pair of the corpus,
Alembic's own autogenerate writes the revision and Alembic's own upgrade applies it.

usage: alembic_corpus.py OUT_DIR DATABASE_URL [--batch] [--naming]
  OUT_DIR/versions/*.py  the revisions Alembic wrote (OUT_DIR is the folder of env.py)
  OUT_DIR/head           the head revision id
The database ends at head. One process runs every step, so the corpus costs seconds.

usage: alembic_corpus.py catalog DATABASE_URL
  prints the database's catalog, normalised, for comparing two databases (the version table
  and dbmig's own tables left out).
"""
import os
import sys

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ENV_PY = '''
from alembic import context
from sqlalchemy import engine_from_config, pool

config = context.config
target_metadata = config.attributes["metadata"]
connectable = engine_from_config(config.get_section(config.config_ini_section), prefix="sqlalchemy.", poolclass=pool.NullPool)
with connectable.connect() as connection:
    context.configure(connection=connection, target_metadata=target_metadata,
                      render_as_batch=config.attributes["batch"], compare_type=True, compare_server_default=True)
    with context.begin_transaction():
        context.run_migrations()
'''

# The Flask-Migrate template (script.py.mako), as `flask db init` writes it.
SCRIPT_MAKO = '''"""${message}

Revision ID: ${up_revision}
Revises: ${down_revision | comma,n}
Create Date: ${create_date}

"""
from alembic import op
import sqlalchemy as sa
${imports if imports else ""}

# revision identifiers, used by Alembic.
revision = ${repr(up_revision)}
down_revision = ${repr(down_revision)}
branch_labels = ${repr(branch_labels)}
depends_on = ${repr(depends_on)}


def upgrade():
    ${upgrades if upgrades else "pass"}


def downgrade():
    ${downgrades if downgrades else "pass"}
'''


def steps(pg, naming):
    """The model at each step; each differs from the one before in the kinds of change
    Alembic's autogenerate detects."""
    def md():
        return sa.MetaData(naming_convention=NAMING) if naming else sa.MetaData()

    def user(m, username_len=80, bio=None, extra=()):
        cols = [
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("username", sa.String(username_len), nullable=False, index=True),
            sa.Column("email", sa.String(120), unique=True),
            sa.Column("created_at", sa.DateTime, server_default=sa.text("CURRENT_TIMESTAMP")),
            sa.Column("status", sa.Enum("active", "banned", name="user_status"), nullable=False,
                      server_default="active"),
            sa.Column("score", sa.Numeric(10, 2)),
            sa.Column("is_admin", sa.Boolean, nullable=False, server_default=sa.text("false")),
        ]
        if bio is not None:
            cols.append(bio)
        return sa.Table("user", m, *cols, *extra)

    def order(m, note_default=None, with_uq=False, with_fk=True, with_ix=False, pg_where=False, comment=None):
        cols = [
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("user_id", sa.Integer, sa.ForeignKey("user.id", ondelete="CASCADE"), nullable=False)
            if with_fk else sa.Column("user_id", sa.Integer, nullable=False),
            sa.Column("total", sa.Numeric(precision=10, scale=2), nullable=False),
            sa.Column("note", sa.Text, server_default=note_default, comment=comment if pg else None),
            sa.Column("placed", sa.Date),
            sa.Column("kind", sa.String(20)),
            sa.CheckConstraint("total >= 0", name="total_positive"),
        ]
        if pg:
            cols.append(sa.Column("data", postgresql.JSONB(astext_type=sa.Text())))
            cols.append(sa.Column("tags", postgresql.ARRAY(sa.String(length=30))))
            cols.append(sa.Column("ref", postgresql.UUID(as_uuid=True)))
        extra = []
        if with_uq:
            extra.append(sa.UniqueConstraint("user_id", "kind", name="uq_order_user_kind"))
        if with_ix:
            extra.append(sa.Index("ix_order_kind_placed", "kind", "placed", unique=False))
        if pg_where:
            extra.append(sa.Index("ix_order_open", "user_id", postgresql_where=sa.text("kind <> 'done'")))
        return sa.Table("order", m, *cols, *extra)

    def tag(m, ref_order=True):
        return sa.Table("tag", m,
                        sa.Column("order_id", sa.Integer, nullable=False),
                        sa.Column("label", sa.String(40), nullable=False),
                        sa.Column("weight", sa.Float),
                        sa.PrimaryKeyConstraint("order_id", "label"),
                        *([sa.ForeignKeyConstraint(["order_id"], ["order.id"], name="fk_tag_order")] if ref_order else []))

    out = []
    m = md(); user(m); order(m); out.append(("create user and order", m))
    m = md(); user(m, bio=sa.Column("bio", sa.Text)); order(m, with_uq=True, with_ix=True); tag(m)
    out.append(("add bio, tag, unique and index", m))
    m = md(); user(m, username_len=100, bio=sa.Column("bio", sa.Text, nullable=False, server_default="")); order(m, note_default="none", with_uq=True, with_ix=True, comment="free text"); tag(m)
    out.append(("alter columns", m))
    m = md(); user(m, username_len=100); order(m, note_default="none", comment="free text", pg_where=pg); tag(m, ref_order=False)
    out.append(("drop bio, unique, index and foreign key", m))
    m = md(); user(m, username_len=100); order(m, note_default="none", comment="free text", pg_where=pg)
    out.append(("drop tag", m))
    return out


def catalog(url):
    """Columns, constraints, indexes, types and comments, one sorted line each."""
    import re
    skip = ("alembic_version", "dbmig_history")
    engine = sa.create_engine(url)
    lines = []
    with engine.connect() as c:
        q = lambda sql: [tuple(r) for r in c.execute(sa.text(sql))]
        if url.startswith("sqlite"):
            tables = [r[0] for r in q("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'") if r[0] not in skip]
            for t in tables:
                for r in q("SELECT name, upper(type), \"notnull\", dflt_value, pk FROM pragma_table_info('%s')" % t):
                    lines.append("column %s %r" % (t, r))
                for r in q("SELECT name, \"unique\", origin, partial FROM pragma_index_list('%s')" % t):
                    cols = [x[0] for x in q("SELECT name FROM pragma_index_info('%s') ORDER BY seqno" % r[0])]
                    name = "(auto)" if r[0].startswith("sqlite_autoindex") else r[0]
                    sql = q("SELECT sql FROM sqlite_master WHERE name = '%s'" % r[0])
                    where = ""
                    if sql and sql[0][0] and " WHERE " in sql[0][0].upper():
                        where = re.sub(r'[\s"]', "", sql[0][0][sql[0][0].upper().rindex(" WHERE ") + 7:])
                    lines.append("index %s %s unique=%s origin=%s cols=%s where=%s" % (t, name, r[1], r[2], cols, where))
                fks = {}
                for r in q("SELECT id, \"table\", \"from\", \"to\", on_update, on_delete FROM pragma_foreign_key_list('%s')" % t):
                    fks.setdefault(r[0], []).append(r[1:])
                for fk in fks.values():
                    lines.append("foreign key %s %r" % (t, sorted(fk)))
                sql = q("SELECT sql FROM sqlite_master WHERE name = '%s'" % t)[0][0]
                for m in re.finditer(r"CHECK\s*\(", sql):
                    depth, i = 1, m.end()
                    while depth and i < len(sql):
                        depth += {"(": 1, ")": -1}.get(sql[i], 0)
                        i += 1
                    lines.append("check %s %s" % (t, re.sub(r'[\s"()]', "", sql[m.end():i - 1])))
        else:
            for r in q("SELECT table_name, column_name, data_type, udt_name, character_maximum_length, numeric_precision, "
                       "numeric_scale, is_nullable, column_default FROM information_schema.columns "
                       "WHERE table_schema = 'public' AND table_name NOT IN ('alembic_version', 'dbmig_history')"):
                lines.append("column %r" % (r,))
            for r in q("SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
                       "WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text NOT IN ('alembic_version', 'dbmig_history')"):
                lines.append("constraint %r" % (r,))
            for r in q("SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' "
                       "AND tablename NOT IN ('alembic_version', 'dbmig_history')"):
                lines.append("index %r" % (r,))
            for r in q("SELECT t.typname, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) FROM pg_type t "
                       "JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname"):
                lines.append("enum %r" % (r,))
            for r in q("SELECT c.relname, a.attname, col_description(c.oid, a.attnum) FROM pg_class c JOIN pg_attribute a "
                       "ON a.attrelid = c.oid WHERE c.relnamespace = 'public'::regnamespace AND a.attnum > 0 "
                       "AND col_description(c.oid, a.attnum) IS NOT NULL"):
                lines.append("comment %r" % (r,))
            for r in q("SELECT sequencename FROM pg_sequences WHERE schemaname = 'public' AND sequencename <> 'dbmig_history_id_seq'"):
                lines.append("sequence %r" % (r,))
    print("\n".join(sorted(lines)))


def main():
    if sys.argv[1] == "catalog":
        return catalog(sys.argv[2])
    out_dir, url = sys.argv[1], sys.argv[2]
    batch, naming = "--batch" in sys.argv, "--naming" in sys.argv
    pg = url.startswith("postgresql")
    os.makedirs(os.path.join(out_dir, "versions"), exist_ok=True)
    with open(os.path.join(out_dir, "env.py"), "w") as f:
        f.write(ENV_PY)
    with open(os.path.join(out_dir, "script.py.mako"), "w") as f:
        f.write(SCRIPT_MAKO)
    cfg = Config()
    cfg.set_main_option("script_location", out_dir)
    cfg.set_main_option("sqlalchemy.url", url)
    cfg.attributes["batch"] = batch
    for i, (message, metadata) in enumerate(steps(pg, naming)):
        cfg.attributes["metadata"] = metadata
        command.revision(cfg, message=message, autogenerate=True, rev_id="%012x" % (0xa1e0000 + i))
        command.upgrade(cfg, "head")
    with open(os.path.join(out_dir, "head"), "w") as f:
        f.write(ScriptDirectory.from_config(cfg).get_current_head())


if __name__ == "__main__":
    main()

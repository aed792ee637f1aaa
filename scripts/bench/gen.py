#!/usr/bin/env python3
"""Deterministic inputs for the benchmarks, written for dbmig and for Alembic from one spec.

  gen.py models N DIR   DIR/models.yaml (dbmig) and DIR/models.py (SQLAlchemy): N tables x 10 columns
                        (a unique column, an indexed one, a foreign key to the first table)
  gen.py chain N DIR    a chain of N add-column revisions: DIR/dbmig/*.yaml and DIR/alembic/*.py
                        (run.sh takes the floor's SQL from `dbmig upgrade --sql`, as for the tables)
"""
import os
import sys

# (name, dbmig type, SQLAlchemy type) for columns 2..10 of every table; column 1 is the key.
COLUMNS = [
    ("name", "string(80)", "sa.String(80)"),
    ("email", "string(120)", "sa.String(120)"),
    ("age", "integer", "sa.Integer()"),
    ("score", "float", "sa.Float()"),
    ("price", '"numeric(10,2)"', "sa.Numeric(10, 2)"),
    ("active", "boolean", "sa.Boolean()"),
    ("created_at", "datetime", "sa.DateTime()"),
    ("notes", "text", "sa.Text()"),
    ("parent_id", "integer", "sa.Integer()"),
]


def models(n, out):
    os.makedirs(out, exist_ok=True)
    y = ["tables:"]
    p = ["import sqlalchemy as sa", "", "metadata = sa.MetaData()", ""]
    for i in range(n):
        t = f"t{i:05d}"
        y += [f"  {t}:", "    columns:", "      id: {type: integer, primary_key: true}"]
        cols = [f"    sa.Column('id', sa.Integer(), primary_key=True),"]
        for name, dtype, stype in COLUMNS:
            extra, sextra = "", ""
            if name == "email":
                extra, sextra = ", unique: true", ", unique=True"
            if name == "name":
                extra, sextra = ", nullable: false, index: true", ", nullable=False, index=True"
            if name == "parent_id" and i > 0:
                # Every table refers to the first: a deep chain of keys overflows SQLAlchemy's
                # recursive table sort, which would measure nothing.
                ref = "t00000"
                extra, sextra = f", foreign_key: {ref}.id", f", sa.ForeignKey('{ref}.id')"
            y.append(f"      {name}: {{type: {dtype}{extra}}}")
            cols.append(f"    sa.Column('{name}', {stype}{sextra}),")
        p += [f"sa.Table('{t}', metadata,"] + cols + [")", ""]
    with open(os.path.join(out, "models.yaml"), "w") as f:
        f.write("\n".join(y) + "\n")
    with open(os.path.join(out, "models.py"), "w") as f:
        f.write("\n".join(p) + "\n")


def rev_id(i):
    return f"{i:012x}"


def chain(n, out):
    d, a = os.path.join(out, "dbmig"), os.path.join(out, "alembic")
    os.makedirs(d, exist_ok=True)
    os.makedirs(a, exist_ok=True)
    for i in range(1, n + 1):
        rid, down = rev_id(i), (rev_id(i - 1) if i > 1 else None)
        if i == 1:
            up = "  - create_table: {name: base_table, columns: [{name: id, type: integer, primary_key: true}]}"
            down_ops = "  - drop_table: {name: base_table}"
            a_up = "    op.create_table('base_table', sa.Column('id', sa.Integer(), primary_key=True))"
            a_down = "    op.drop_table('base_table')"
        else:
            up = f"  - add_column: {{table: base_table, column: {{name: c{i}, type: integer}}}}"
            down_ops = f"  - drop_column: {{table: base_table, name: c{i}}}"
            a_up = f"    op.add_column('base_table', sa.Column('c{i}', sa.Integer()))"
            a_down = f"    op.drop_column('base_table', 'c{i}')"
        with open(os.path.join(d, f"{rid}_step_{i}.yaml"), "w") as f:
            f.write(f'revision: "{rid}"\ndown_revision: {"null" if down is None else chr(34) + down + chr(34)}\n'
                    f"message: step {i}\nupgrade:\n{up}\ndowngrade:\n{down_ops}\n")
        with open(os.path.join(a, f"{rid}_step_{i}.py"), "w") as f:
            f.write(f'"""step {i}"""\nfrom alembic import op\nimport sqlalchemy as sa\n\n'
                    f"revision = '{rid}'\ndown_revision = {repr(down)}\nbranch_labels = None\ndepends_on = None\n\n\n"
                    f"def upgrade():\n{a_up}\n\n\ndef downgrade():\n{a_down}\n")


if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] not in ("models", "chain"):
        sys.exit(__doc__)
    {"models": models, "chain": chain}[sys.argv[1]](int(sys.argv[2]), sys.argv[3])

// Golden SQL for every op on both dialects: rendering is a pure function of dialect and ops.
#include <dbmig/dialects/dialect.hpp>
#include <dbmig/util/error.hpp>
#include <dbmig/revisions/op_yaml.hpp>
#include <gtest/gtest.h>

using namespace dbmig;

namespace {
std::vector<Op> ops(const std::string& yaml) {
  YamlContext ctx{"test.yaml"};
  return parse_ops(ctx, load_yaml(yaml, "test.yaml").root(), "upgrade", NamingConvention{});
}
std::string render(DialectKind kind, const std::string& yaml, Schema start = {}) {
  auto d = make_dialect(kind);
  SchemaTracker tracker(start);
  std::string out;
  for (const auto& s : d->render(ops(yaml), tracker)) out += s.sql + ";\n";
  return out;
}
const char* kUsers = R"Y(
- create_table:
    name: user
    columns:
      - {name: id, type: integer, primary_key: true}
      - {name: email, type: string(120), nullable: false, unique: true}
      - {name: score, type: "numeric(10,2)", server_default: "0"}
      - {name: seen, type: datetime, server_default: CURRENT_TIMESTAMP, comment: last login}
)Y";
Schema users_schema() {
  auto o = ops(kUsers);
  Schema s;
  dbmig::apply(s, o[0]);
  return s;
}
}  // namespace

TEST(SqlRender, CreateTable) {
  EXPECT_EQ(render(DialectKind::postgresql, kUsers),
            "CREATE TABLE \"user\" (\n\t\"id\" SERIAL NOT NULL,\n\t\"email\" VARCHAR(120) NOT NULL,\n"
            "\t\"score\" NUMERIC(10, 2) DEFAULT 0,\n\t\"seen\" TIMESTAMP WITHOUT TIME ZONE DEFAULT CURRENT_TIMESTAMP,\n"
            "\tCONSTRAINT \"pk_user\" PRIMARY KEY (\"id\"),\n\tCONSTRAINT \"uq_user_email\" UNIQUE (\"email\")\n);\n"
            "COMMENT ON COLUMN \"user\".\"seen\" IS 'last login';\n");
  EXPECT_EQ(render(DialectKind::sqlite, kUsers),
            "CREATE TABLE \"user\" (\n\t\"id\" INTEGER NOT NULL,\n\t\"email\" VARCHAR(120) NOT NULL,\n"
            "\t\"score\" NUMERIC(10, 2) DEFAULT 0,\n\t\"seen\" DATETIME DEFAULT CURRENT_TIMESTAMP,\n"
            "\tCONSTRAINT \"pk_user\" PRIMARY KEY (\"id\"),\n\tCONSTRAINT \"uq_user_email\" UNIQUE (\"email\")\n);\n");
}

TEST(SqlRender, TypesPerDialect) {
  auto pg = make_dialect(DialectKind::postgresql), lite = make_dialect(DialectKind::sqlite);
  struct Case { const char* model; const char* pg; const char* sqlite; };
  for (auto c : {Case{"biginteger", "BIGINT", "BIGINT"}, Case{"smallinteger", "SMALLINT", "SMALLINT"},
                 Case{"string", "VARCHAR", "VARCHAR"}, Case{"text", "TEXT", "TEXT"}, Case{"boolean", "BOOLEAN", "BOOLEAN"},
                 Case{"float", "DOUBLE PRECISION", "FLOAT"}, Case{"double", "DOUBLE PRECISION", "FLOAT"},
                 Case{"date", "DATE", "DATE"}, Case{"time", "TIME", "TIME"},
                 Case{"datetime(timezone)", "TIMESTAMP WITH TIME ZONE", "DATETIME"}, Case{"binary", "BYTEA", "BLOB"},
                 Case{"json", "JSON", "JSON"}, Case{"uuid", "UUID", "CHAR(32)"}, Case{"inet", "inet", "inet"},
                 Case{"integer[]", "integer[]", "integer[]"}}) {
    EXPECT_EQ(pg->type_sql(c.model, false), c.pg) << c.model;
    EXPECT_EQ(lite->type_sql(c.model, false), c.sqlite) << c.model;
  }
  EXPECT_EQ(pg->type_sql("biginteger", true), "BIGSERIAL");
  EXPECT_EQ(pg->type_sql("jsonb", false), "JSONB");
  EXPECT_THROW(lite->type_sql("jsonb", false), Error);
}

TEST(SqlRender, EveryAlterOpOnPostgres) {
  EXPECT_EQ(render(DialectKind::postgresql, R"Y(
- add_column: {table: user, column: {name: age, type: smallinteger, nullable: false, server_default: "0"}}
- drop_column: {table: user, name: age}
- alter_column: {table: user, name: email, type: text, nullable: true, server_default: null, comment: the mail, new_name: mail}
- rename_table: {name: user, new_name: account}
- create_index: {table: account, columns: [mail], unique: true, where: "mail IS NOT NULL"}
- drop_index: {name: ix_account_mail, table: account}
- create_unique_constraint: {table: account, columns: [mail, score]}
- create_foreign_key: {table: account, columns: [id], ref_table: person, ref_columns: [id], on_delete: cascade}
- create_check_constraint: {name: ck_score, table: account, sql: "score >= 0"}
- drop_constraint: {name: ck_score, table: account, type: check}
- drop_table: {name: account}
- execute: {postgresql: "SELECT 1", sqlite: "SELECT 2"}
)Y"),
            "ALTER TABLE \"user\" ADD COLUMN \"age\" SMALLINT NOT NULL DEFAULT 0;\n"
            "ALTER TABLE \"user\" DROP COLUMN \"age\";\n"
            "ALTER TABLE \"user\" ALTER COLUMN \"email\" TYPE TEXT;\n"
            "ALTER TABLE \"user\" ALTER COLUMN \"email\" DROP NOT NULL;\n"
            "ALTER TABLE \"user\" ALTER COLUMN \"email\" DROP DEFAULT;\n"
            "COMMENT ON COLUMN \"user\".\"email\" IS 'the mail';\n"
            "ALTER TABLE \"user\" RENAME COLUMN \"email\" TO \"mail\";\n"
            "ALTER TABLE \"user\" RENAME TO \"account\";\n"
            "CREATE UNIQUE INDEX \"ix_account_mail\" ON \"account\" (\"mail\") WHERE mail IS NOT NULL;\n"
            "DROP INDEX \"ix_account_mail\";\n"
            "ALTER TABLE \"account\" ADD CONSTRAINT \"uq_account_mail_score\" UNIQUE (\"mail\", \"score\");\n"
            "ALTER TABLE \"account\" ADD CONSTRAINT \"fk_account_id_person\" FOREIGN KEY (\"id\") REFERENCES \"person\" (\"id\") ON DELETE CASCADE;\n"
            "ALTER TABLE \"account\" ADD CONSTRAINT \"ck_score\" CHECK (score >= 0);\n"
            "ALTER TABLE \"account\" DROP CONSTRAINT \"ck_score\";\n"
            "DROP TABLE \"account\";\n"
            "SELECT 1;\n");
}

TEST(SqlRender, SqliteAltersInPlaceWhereItCan) {
  EXPECT_EQ(render(DialectKind::sqlite, R"Y(
- add_column: {table: user, column: {name: age, type: smallinteger, nullable: false, server_default: "0"}}
- alter_column: {table: user, name: age, new_name: years}
- create_index: {table: user, columns: [years]}
- drop_index: {name: ix_user_years, table: user}
- drop_column: {table: user, name: years}
- rename_table: {name: user, new_name: account}
- execute: {postgresql: "SELECT 1", sqlite: "SELECT 2"}
)Y", users_schema()),
            "ALTER TABLE \"user\" ADD COLUMN \"age\" SMALLINT NOT NULL DEFAULT 0;\n"
            "ALTER TABLE \"user\" RENAME COLUMN \"age\" TO \"years\";\n"
            "CREATE INDEX \"ix_user_years\" ON \"user\" (\"years\");\n"
            "DROP INDEX \"ix_user_years\";\n"
            "ALTER TABLE \"user\" DROP COLUMN \"years\";\n"
            "ALTER TABLE \"user\" RENAME TO \"account\";\n"
            "SELECT 2;\n");
}

TEST(SqlRender, SqliteRebuildSharedByConsecutiveOps) {
  auto sql = render(DialectKind::sqlite, R"Y(
- create_index: {table: user, columns: [score]}
- alter_column: {table: user, name: email, new_name: mail, nullable: true, existing_nullable: false}
- create_check_constraint: {name: ck_user_score, table: user, sql: "score >= 0"}
- drop_constraint: {name: uq_user_email, table: user, type: unique}
)Y", users_schema());
  EXPECT_EQ(sql,
            "CREATE INDEX \"ix_user_score\" ON \"user\" (\"score\");\n"
            "CREATE TABLE \"_dbmig_tmp_user\" (\n\t\"id\" INTEGER NOT NULL,\n\t\"mail\" VARCHAR(120),\n"
            "\t\"score\" NUMERIC(10, 2) DEFAULT 0,\n\t\"seen\" DATETIME DEFAULT CURRENT_TIMESTAMP,\n"
            "\tCONSTRAINT \"pk_user\" PRIMARY KEY (\"id\"),\n\tCONSTRAINT \"ck_user_score\" CHECK (score >= 0)\n);\n"
            "INSERT INTO \"_dbmig_tmp_user\" (\"id\", \"mail\", \"score\", \"seen\") SELECT \"id\", \"email\", \"score\", \"seen\" FROM \"user\";\n"
            "DROP TABLE \"user\";\n"
            "ALTER TABLE \"_dbmig_tmp_user\" RENAME TO \"user\";\n"
            "CREATE INDEX \"ix_user_score\" ON \"user\" (\"score\");\n");
}

TEST(SqlRender, IdentifiersAreAlwaysQuoted) {
  auto sql = render(DialectKind::postgresql, R"Y(- drop_table: {name: "x\"; DROP TABLE users; --"})Y");
  EXPECT_EQ(sql, "DROP TABLE \"x\"\"; DROP TABLE users; --\";\n");
}

TEST(OpYaml, WrittenOpsReadBackTheSame) {
  const char* text = R"Y(
- create_table:
    name: order
    columns:
      - {name: id, type: integer, primary_key: true}
      - {name: user_id, type: integer, nullable: false, foreign_key: {references: user.id, on_delete: cascade}}
      - {name: total, type: "numeric(10,2)"}
    checks: {ck_order_total: "total >= 0"}
    comment: orders
- alter_column: {table: order, name: total, type: "numeric(12,2)", existing_type: "numeric(10,2)", server_default: null, existing_server_default: "0"}
- drop_index: {name: ix_a, table: order, columns: [total], where: "total > 0"}
- execute: "UPDATE \"order\" SET total = 0"
- drop_constraint: {name: fk_x, table: order, type: foreignkey, columns: [user_id], ref_table: user, ref_columns: [id]}
)Y";
  auto first = ops(text);
  std::string written = "upgrade:" + ops_yaml(first);
  YamlContext ctx{"w.yaml"};
  auto again = parse_ops(ctx, load_yaml(written, "w.yaml").root()["upgrade"], "upgrade", NamingConvention{});
  EXPECT_EQ("upgrade:" + ops_yaml(again), written);
  ASSERT_EQ(again.size(), first.size());
  EXPECT_EQ(std::get<CreateTable>(again[0]).table.columns, std::get<CreateTable>(first[0]).table.columns);
  EXPECT_EQ(std::get<CreateTable>(again[0]).table.checks, std::get<CreateTable>(first[0]).table.checks);
  // And every op but execute reverses; reversing twice gives the same text.
  std::vector<Op> reversible(again.begin(), again.begin() + 3);
  EXPECT_EQ(ops_yaml(reverse_all(reverse_all(reversible))), ops_yaml(reversible));
  EXPECT_THROW(reverse(again[3]), Error);
}

TEST(OpYaml, ErrorsNameFileAndLine) {
  auto err = [](const std::string& yaml) {
    try {
      ops(yaml);
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(err("- add_column: {table: t, column: {name: a, type: integer, colour: red}}"),
            "test.yaml:1: unknown key 'colour' in add_column column (expected one of: name, type, nullable, autoincrement, server_default, comment, "
            "identity, computed)");
  EXPECT_EQ(err("- frobnicate: {table: t}").substr(0, 45), "test.yaml:1: unknown operation 'frobnicate' (");
  EXPECT_EQ(err("\n\n- add_column: {table: t, column: {name: a, type: numeric(10,2)}}"),
            "test.yaml:3: '2)' looks like the rest of a type cut at a comma; quote the type, e.g. type: \"numeric(10,2)\"");
  EXPECT_EQ(err("- drop_constraint: {name: a, table: t, type: primary_key}"),
            "test.yaml:1: drop_constraint type must be unique, foreignkey, check or primary, not 'primary_key'");
  EXPECT_EQ(err("- create_index: {table: t, table: u, columns: [a]}"), "test.yaml:1: duplicate key 'table' in create_index");
}

TEST(SqlRender, SqliteDefaultsNeedParenthesesUnlessLiteral) {
  auto d = make_dialect(DialectKind::sqlite);
  for (const char* plain : {"0", "-1.5", "1e3", "'new'", "'it''s'", "NULL", "true", "CURRENT_TIMESTAMP", "X'00ff'", "(1 + 2)"})
    EXPECT_EQ(d->default_sql(plain), plain);
  EXPECT_EQ(d->default_sql("datetime('now')"), "(datetime('now'))");
  EXPECT_EQ(d->default_sql("'a' || 'b'"), "('a' || 'b')");
  EXPECT_EQ(d->default_sql("abs(-1)"), "(abs(-1))");
}

TEST(SqlRender, PrimaryKeysAddAndDrop) {
  const char* ops_text = R"Y(
- drop_constraint: {name: pk_user, table: user, type: primary, columns: [id]}
- create_primary_key: {table: user, columns: [id, email]}
)Y";
  EXPECT_EQ(render(DialectKind::postgresql, ops_text),
            "ALTER TABLE \"user\" DROP CONSTRAINT \"pk_user\";\n"
            "ALTER TABLE \"user\" ADD CONSTRAINT \"pk_user\" PRIMARY KEY (\"id\", \"email\");\n");
  auto sqlite = render(DialectKind::sqlite, ops_text, users_schema());
  EXPECT_NE(sqlite.find("CONSTRAINT \"pk_user\" PRIMARY KEY (\"id\", \"email\")"), std::string::npos) << sqlite;
  EXPECT_EQ(sqlite.find("CREATE TABLE"), sqlite.rfind("CREATE TABLE")) << sqlite;  // one rebuild for both
  auto o = ops(ops_text);
  EXPECT_EQ(ops_yaml(reverse_all(reverse_all(o))), ops_yaml(o));
}

TEST(SqlRender, EnumOpsOnPostgresAndTheirInverses) {
  const char* ops_text = R"Y(
- create_enum: {name: mood, values: [sad, "it's ok"]}
- alter_enum: {name: mood, values: [sad, meh, "it's ok", happy], existing_values: [sad, "it's ok"]}
- alter_enum: {name: mood, values: [sad, glad], existing_values: [sad, happy], renamed: {glad: happy}}
- drop_enum: {name: mood, existing_values: [sad, glad]}
)Y";
  EXPECT_EQ(render(DialectKind::postgresql, ops_text),
            "CREATE TYPE \"mood\" AS ENUM ('sad', 'it''s ok');\n"
            "ALTER TYPE \"mood\" ADD VALUE 'meh' AFTER 'sad';\n"
            "ALTER TYPE \"mood\" ADD VALUE 'happy' AFTER 'it''s ok';\n"
            "ALTER TYPE \"mood\" RENAME VALUE 'happy' TO 'glad';\n"
            "DROP TYPE \"mood\";\n");
  // A removed label swaps the type.
  auto swap = render(DialectKind::postgresql, "- alter_enum: {name: mood, values: [a], existing_values: [a, b]}");
  EXPECT_EQ(swap.substr(0, swap.find("DO $dbmig$")),
            "ALTER TYPE \"mood\" RENAME TO \"mood__dbmig_old\";\nCREATE TYPE \"mood\" AS ENUM ('a');\n");
  EXPECT_NE(swap.find("DROP TYPE \"mood__dbmig_old\";"), std::string::npos);
  auto o = ops(ops_text);
  EXPECT_EQ(ops_yaml(reverse_all(reverse_all(o))), ops_yaml(o));
  EXPECT_EQ(ops_yaml({reverse(o[2])}),
            "\n  - alter_enum: {name: mood, values: [sad, happy], existing_values: [sad, glad], renamed: {happy: glad}}\n");
  EXPECT_THROW(render(DialectKind::sqlite, "- create_enum: {name: mood, values: [a]}"), Error);
}

TEST(SqlRender, NotNullFillsTheNullsFirst) {
  const char* text = "- alter_column: {table: user, name: email, nullable: false, fill: \"'u' || id\", existing_nullable: true}\n";
  // Written and read back the same; the inverse does not carry the fill.
  auto o = ops(text);
  EXPECT_EQ(ops_yaml(o), "\n  - alter_column: {table: user, name: email, nullable: false, fill: \"'u' || id\", existing_nullable: true}\n");
  EXPECT_EQ(ops_yaml(reverse_all(o)), "\n  - alter_column: {table: user, name: email, nullable: true, existing_nullable: false}\n");
  EXPECT_EQ(render(DialectKind::postgresql, text),
            "UPDATE \"user\" SET \"email\" = 'u' || id WHERE \"email\" IS NULL;\n"
            "ALTER TABLE \"user\" ALTER COLUMN \"email\" SET NOT NULL;\n");
  Schema nullable = users_schema();
  nullable.tables[0].column("email")->nullable = true;
  auto sqlite = render(DialectKind::sqlite, text, nullable);
  EXPECT_NE(sqlite.find("SELECT \"id\", COALESCE(\"email\", 'u' || id), "), std::string::npos) << sqlite;
  // Without a fill, the default the column gets (or has) fills the NULLs.
  EXPECT_EQ(render(DialectKind::postgresql,
                   "- alter_column: {table: user, name: email, nullable: false, existing_server_default: \"'none'\"}\n"),
            "UPDATE \"user\" SET \"email\" = 'none' WHERE \"email\" IS NULL;\n"
            "ALTER TABLE \"user\" ALTER COLUMN \"email\" SET NOT NULL;\n");
  EXPECT_EQ(render(DialectKind::postgresql, "- alter_column: {table: user, name: email, nullable: false}\n"),
            "ALTER TABLE \"user\" ALTER COLUMN \"email\" SET NOT NULL;\n");
}

TEST(SqlRender, IdentityComputedAndIndexKindsOnPostgresAndTheirInverses) {
  const char* ops_text = R"Y(
- create_table:
    name: film
    columns:
      - {name: id, type: integer, nullable: false, identity: always}
      - {name: title, type: text, nullable: false}
      - {name: title_lc, type: text, computed: lower(title)}
- alter_column: {table: film, name: id, identity: by_default, existing_identity: always}
- alter_column: {table: film, name: id, identity: null, existing_identity: by_default}
- alter_column: {table: film, name: id, identity: always}
- create_index: {name: ix_lower, table: film, expressions: [lower(title)], columns: [id], unique: true}
- create_index: {name: ix_cover, table: film, columns: [title], using: GIST, include: [id], where: id > 0}
- drop_index: {name: ix_cover, table: film, columns: [title], using: gist, include: [id], where: id > 0}
)Y";
  EXPECT_EQ(render(DialectKind::postgresql, ops_text),
            "CREATE TABLE \"film\" (\n\t\"id\" INTEGER GENERATED ALWAYS AS IDENTITY NOT NULL,\n\t\"title\" TEXT NOT NULL,\n"
            "\t\"title_lc\" TEXT GENERATED ALWAYS AS (lower(title)) STORED\n);\n"
            "ALTER TABLE \"film\" ALTER COLUMN \"id\" SET GENERATED BY DEFAULT;\n"
            "ALTER TABLE \"film\" ALTER COLUMN \"id\" DROP IDENTITY;\n"
            "ALTER TABLE \"film\" ALTER COLUMN \"id\" ADD GENERATED ALWAYS AS IDENTITY;\n"
            "SELECT pg_catalog.setval(pg_catalog.pg_get_serial_sequence('\"film\"', 'id'), COALESCE(max(\"id\"), 0) + 1, false) "
            "FROM \"film\";\n"
            "CREATE UNIQUE INDEX \"ix_lower\" ON \"film\" (\"id\", (lower(title)));\n"
            "CREATE INDEX \"ix_cover\" ON \"film\" USING gist (\"title\") INCLUDE (\"id\") WHERE id > 0;\n"
            "DROP INDEX \"ix_cover\";\n");
  auto o = ops(ops_text);
  EXPECT_EQ(ops_yaml(reverse_all(reverse_all(o))), ops_yaml(o));
  EXPECT_EQ(ops_yaml({reverse(o[2])}),
            "\n  - alter_column: {table: film, name: id, identity: by_default}\n");
}

TEST(SqlRender, ExtensionSequenceAndViewOpsOnPostgresAndTheirInverses) {
  const char* ops_text = R"Y(
- create_extension: {name: pgcrypto}
- create_sequence: {name: invoice_no, start: 1000}
- alter_sequence: {name: invoice_no, start: 1000, increment: 10, existing: {start: 1000, increment: 1}}
- drop_sequence: {name: invoice_no, existing: {start: 1000, increment: 10}}
- drop_extension: {name: pgcrypto}
- create_view: {name: top, sql: "SELECT 1 AS one", materialized: true}
- drop_view: {name: top, materialized: true, existing_sql: "SELECT 1 AS one"}
)Y";
  EXPECT_EQ(render(DialectKind::postgresql, ops_text),
            "CREATE EXTENSION IF NOT EXISTS \"pgcrypto\";\n"
            "CREATE SEQUENCE \"invoice_no\" INCREMENT BY 1 START WITH 1000;\n"
            "ALTER SEQUENCE \"invoice_no\" INCREMENT BY 10 START WITH 1000;\n"
            "DROP SEQUENCE \"invoice_no\";\n"
            "DROP EXTENSION IF EXISTS \"pgcrypto\";\n"
            "CREATE MATERIALIZED VIEW \"top\" AS SELECT 1 AS one;\n"
            "DROP MATERIALIZED VIEW \"top\";\n");
  auto o = ops(ops_text);
  EXPECT_EQ(ops_yaml(reverse_all(reverse_all(o))), ops_yaml(o));
  EXPECT_EQ(ops_yaml({reverse(o[2])}),
            "\n  - alter_sequence: {name: invoice_no, start: 1000, increment: 1, existing: {start: 1000, increment: 10}}\n");
  EXPECT_THROW(reverse(ops("- drop_sequence: {name: s}")[0]), Error);
  EXPECT_THROW(reverse(ops("- drop_view: {name: v}")[0]), Error);
  EXPECT_THROW(render(DialectKind::sqlite, "- create_sequence: {name: s}"), Error);
}

TEST(SqlRender, DomainOpsOnPostgresAndTheirInverses) {
  const char* ops_text = R"Y(
- create_domain: {name: year, type: integer, server_default: "2000", check: "VALUE > 1900"}
- alter_domain: {name: year, type: integer, nullable: false, checks: {year_check: "VALUE > 1900", a: "VALUE < 3000"}, existing: {type: integer, server_default: "2000", check: "VALUE > 1900"}}
- drop_domain: {name: year, existing: {type: integer, nullable: false, checks: {year_check: "VALUE > 1900", a: "VALUE < 3000"}}}
)Y";
  EXPECT_EQ(render(DialectKind::postgresql, ops_text),
            "CREATE DOMAIN \"year\" AS INTEGER DEFAULT 2000 CONSTRAINT \"year_check\" CHECK (VALUE > 1900);\n"
            "ALTER DOMAIN \"year\" DROP DEFAULT;\n"
            "ALTER DOMAIN \"year\" SET NOT NULL;\n"
            "ALTER DOMAIN \"year\" ADD CONSTRAINT \"a\" CHECK (VALUE < 3000);\n"
            "DROP DOMAIN \"year\";\n");
  auto o = ops(ops_text);
  EXPECT_EQ(ops_yaml(reverse_all(reverse_all(o))), ops_yaml(o));
  EXPECT_EQ(render(DialectKind::postgresql, ops_yaml({reverse(o[1])}).substr(3)),
            "ALTER DOMAIN \"year\" SET DEFAULT 2000;\n"
            "ALTER DOMAIN \"year\" DROP NOT NULL;\n"
            "ALTER DOMAIN \"year\" DROP CONSTRAINT \"a\";\n");
  EXPECT_THROW(reverse(ops("- drop_domain: {name: year}")[0]), Error);
  EXPECT_THROW(ops("- alter_domain: {name: year, type: integer}"), Error);  // no existing
  EXPECT_THROW(render(DialectKind::sqlite, "- create_domain: {name: year, type: integer}"), Error);
}

TEST(SqlRender, FunctionAndTriggerOpsOnPostgresAndTheirInverses) {
  const char* ops_text = R"Y(
- create_function: {name: f, sql: "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$"}
- replace_function: {name: f, sql: "create  function f() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NULL; END$$", existing_sql: "CREATE OR REPLACE FUNCTION public.f() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$"}
- create_trigger: {name: tr, table: film, sql: "CREATE TRIGGER tr BEFORE UPDATE ON film FOR EACH ROW EXECUTE FUNCTION f()"}
- replace_trigger: {name: tr, table: film, sql: "CREATE TRIGGER tr BEFORE INSERT ON film FOR EACH ROW EXECUTE FUNCTION f()", existing_sql: "CREATE TRIGGER tr BEFORE UPDATE ON film FOR EACH ROW EXECUTE FUNCTION f()"}
- drop_trigger: {name: tr, table: film, existing_sql: "CREATE TRIGGER tr BEFORE INSERT ON film FOR EACH ROW EXECUTE FUNCTION f()"}
- drop_function: {name: f, existing_sql: "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NULL; END$$"}
)Y";
  EXPECT_EQ(render(DialectKind::postgresql, ops_text),
            "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;\n"
            "create OR REPLACE  function f() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NULL; END$$;\n"
            "CREATE TRIGGER tr BEFORE UPDATE ON film FOR EACH ROW EXECUTE FUNCTION f();\n"
            "DROP TRIGGER IF EXISTS \"tr\" ON \"film\";\n"
            "CREATE TRIGGER tr BEFORE INSERT ON film FOR EACH ROW EXECUTE FUNCTION f();\n"
            "DROP TRIGGER \"tr\" ON \"film\";\n"
            "DROP ROUTINE \"f\";\n");
  auto o = ops(ops_text);
  EXPECT_EQ(ops_yaml(reverse_all(reverse_all(o))), ops_yaml(o));
  EXPECT_EQ(ops_yaml({reverse(o[0])}),
            "\n  - drop_function: {name: f, existing_sql: \"CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$\"}\n");
  EXPECT_EQ(ops_yaml({reverse(o[3])}),
            "\n  - replace_trigger: {name: tr, table: film, sql: CREATE TRIGGER tr BEFORE UPDATE ON film FOR EACH ROW EXECUTE FUNCTION f(), "
            "existing_sql: CREATE TRIGGER tr BEFORE INSERT ON film FOR EACH ROW EXECUTE FUNCTION f()}\n");
  EXPECT_THROW(reverse(ops("- drop_function: {name: f}")[0]), Error);  // without its existing_sql
  EXPECT_THROW(ops("- replace_trigger: {name: tr, table: film, sql: \"CREATE TRIGGER tr\"}"), Error);  // no existing_sql
  EXPECT_THROW(ops("- create_function: {name: f, table: t, sql: \"CREATE FUNCTION f()\"}"), Error);     // a function has no table
  EXPECT_THROW(render(DialectKind::sqlite, "- create_function: {name: f, sql: \"CREATE FUNCTION f()\"}"), Error);
}

TEST(SqlRender, OpsOnATableInASchemaNameItAndTheirInversesKeepIt) {
  const char* ops_text = R"Y(
- create_schema: {name: billing}
- create_table:
    name: invoice
    schema: billing
    columns:
      - {name: id, type: integer, primary_key: true, autoincrement: false}
      - {name: customer_id, type: integer, comment: who}
    foreign_keys:
      - {columns: [customer_id], references: sales.customer(id)}
    indexes:
      ix_invoice_customer_id: {columns: [customer_id]}
- add_column: {table: invoice, column: {name: note, type: text}, schema: billing}
- create_foreign_key: {name: fk_x, table: invoice, columns: [id], ref_table: invoice, ref_schema: billing, ref_columns: [id], schema: billing}
- drop_index: {name: ix_invoice_customer_id, table: invoice, columns: [customer_id], schema: billing}
- rename_table: {name: invoice, new_name: bill, schema: billing}
- drop_table: {name: bill, schema: billing}
- drop_schema: {name: billing}
)Y";
  EXPECT_EQ(render(DialectKind::postgresql, ops_text),
            "CREATE SCHEMA \"billing\";\n"
            "CREATE TABLE \"billing\".\"invoice\" (\n\t\"id\" INTEGER NOT NULL,\n\t\"customer_id\" INTEGER,\n"
            "\tCONSTRAINT \"pk_invoice\" PRIMARY KEY (\"id\"),\n"
            "\tCONSTRAINT \"fk_invoice_customer_id_customer\" FOREIGN KEY (\"customer_id\") REFERENCES \"sales\".\"customer\" (\"id\")\n);\n"
            "CREATE INDEX \"ix_invoice_customer_id\" ON \"billing\".\"invoice\" (\"customer_id\");\n"
            "COMMENT ON COLUMN \"billing\".\"invoice\".\"customer_id\" IS 'who';\n"
            "ALTER TABLE \"billing\".\"invoice\" ADD COLUMN \"note\" TEXT;\n"
            "ALTER TABLE \"billing\".\"invoice\" ADD CONSTRAINT \"fk_x\" FOREIGN KEY (\"id\") REFERENCES \"billing\".\"invoice\" (\"id\");\n"
            "DROP INDEX \"billing\".\"ix_invoice_customer_id\";\n"
            "ALTER TABLE \"billing\".\"invoice\" RENAME TO \"bill\";\n"
            "DROP TABLE \"billing\".\"bill\";\n"
            "DROP SCHEMA \"billing\";\n");
  auto o = ops(ops_text);
  o.pop_back(), o.pop_back();  // the bare drop_table has no inverse
  const std::string written = ops_yaml(o);
  EXPECT_NE(written.find("      schema: billing\n      columns:"), std::string::npos) << written;
  EXPECT_NE(written.find("ref_schema: billing, ref_columns: [id], schema: billing}"), std::string::npos) << written;
  EXPECT_EQ(ops_yaml(ops(written.substr(1))), written);  // read back the same
  EXPECT_EQ(ops_yaml(reverse_all(reverse_all(o))), written);
  EXPECT_EQ(ops_yaml({reverse(o[3])}),
            "\n  - drop_constraint: {name: fk_x, table: invoice, type: foreignkey, columns: [id], ref_table: invoice, "
            "ref_schema: billing, ref_columns: [id], schema: billing}\n");
  EXPECT_EQ(ops_yaml({reverse(o[0])}), "\n  - drop_schema: {name: billing}\n");
  EXPECT_THROW(ops("- create_enum: {name: mood, values: [a], schema: billing}"), Error);  // enums live in the default schema
  EXPECT_THROW(render(DialectKind::sqlite, "- add_column: {table: t, column: {name: c, type: text}, schema: billing}"), Error);
  EXPECT_THROW(render(DialectKind::sqlite, "- create_schema: {name: billing}"), Error);
}

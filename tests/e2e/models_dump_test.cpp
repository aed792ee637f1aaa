// models dump end to end (SPEC §7.3): a database built by hand in its own SQL spellings, and a
// public schema none of us wrote, are dumped; `check` is clean against them; the dump's baseline
// builds the same catalog on an empty database; what the model cannot express is named.
#include "harness.hpp"

#include <dbmig/config/url.hpp>
#include <dbmig/dialects/connection.hpp>
#include <dbmig/dialects/dialect.hpp>

#include <algorithm>
#include <cctype>
#include <cstdlib>

using namespace dbmig::test;
namespace fs = std::filesystem;

namespace {

// Every kind of object of SPEC §3 in the database's own spellings, with rows (NULLs included).
const char* kPostgresSchema = R"SQL(
CREATE TABLE "user" (
  id serial PRIMARY KEY,
  username character varying(80) NOT NULL UNIQUE,
  email varchar(120) NOT NULL,
  status text NOT NULL DEFAULT 'active',
  created_at timestamp DEFAULT now(),
  seen_at timestamptz,
  score double precision,
  ratio real,
  balance numeric(10,2) DEFAULT 0,
  active boolean DEFAULT true,
  born date,
  wakes time,
  avatar bytea,
  prefs jsonb DEFAULT '{}',
  meta json,
  token uuid,
  tags text[],
  ip inet,
  visits bigint DEFAULT -1,
  rank smallint,
  CONSTRAINT user_email_key UNIQUE (email),
  CHECK (length(username) > 0)
);
COMMENT ON TABLE "user" IS 'People who order';
COMMENT ON COLUMN "user".email IS 'Where receipts go';
CREATE INDEX ix_user_status ON "user" (status);
CREATE INDEX user_created_idx ON "user" (created_at) WHERE created_at IS NOT NULL;
CREATE UNIQUE INDEX user_email_status ON "user" (email, status);
CREATE TABLE tag (code varchar(20) PRIMARY KEY, label text);
CREATE TABLE "order" (
  id bigserial,
  user_id integer NOT NULL REFERENCES "user" (id) ON DELETE CASCADE,
  total numeric(10,2) NOT NULL,
  status varchar(20) NOT NULL DEFAULT 'new',
  note text,
  CONSTRAINT pk_order PRIMARY KEY (id),
  CONSTRAINT ck_order_total CHECK (total >= 0)
);
CREATE TABLE order_tag (
  order_id bigint NOT NULL,
  tag_code varchar(20) NOT NULL,
  position smallint DEFAULT 0,
  PRIMARY KEY (order_id, tag_code),
  FOREIGN KEY (order_id) REFERENCES "order" (id) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT fk_order_tag_tag FOREIGN KEY (tag_code) REFERENCES tag (code) ON UPDATE SET DEFAULT
);
CREATE TABLE shipment (
  id integer PRIMARY KEY,
  order_id bigint NOT NULL,
  tag_code varchar(20) NOT NULL,
  shipped_on date,
  FOREIGN KEY (order_id, tag_code) REFERENCES order_tag (order_id, tag_code) ON DELETE RESTRICT,
  UNIQUE (order_id, tag_code, shipped_on)
);
INSERT INTO "user" (username, email, seen_at, tags, ip) VALUES ('ann', 'ann@example.org', now(), '{a,b}', '10.0.0.1');
INSERT INTO "user" (username, email, status, created_at, balance, active) VALUES ('bob', 'bob@example.org', 'gone', NULL, NULL, NULL);
INSERT INTO tag VALUES ('red', NULL), ('blue', 'Blue');
INSERT INTO "order" (user_id, total, note) VALUES (1, 10.5, NULL), (2, 0, 'free');
INSERT INTO order_tag VALUES (1, 'red', NULL), (2, 'blue', 1);
INSERT INTO shipment VALUES (1, 1, 'red', NULL), (2, 2, 'blue', '2026-01-02');
)SQL";

const char* kSqliteSchema = R"SQL(
CREATE TABLE "user" (
  id INTEGER PRIMARY KEY,
  username VARCHAR(80) NOT NULL UNIQUE,
  email varchar(120) NOT NULL,
  status TEXT NOT NULL DEFAULT 'active',
  created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
  score FLOAT,
  balance NUMERIC(10,2) DEFAULT 0,
  active BOOLEAN DEFAULT 1,
  born DATE,
  wakes TIME,
  avatar BLOB,
  meta JSON,
  visits BIGINT DEFAULT -1,
  rank SMALLINT,
  CONSTRAINT user_email_key UNIQUE (email),
  CHECK (length(username) > 0)
);
CREATE INDEX ix_user_status ON "user" (status);
CREATE INDEX user_created_idx ON "user" (created_at) WHERE created_at IS NOT NULL;
CREATE UNIQUE INDEX user_email_status ON "user" (email, status);
CREATE TABLE tag (code TEXT PRIMARY KEY, label TEXT);
CREATE TABLE "order" (
  id INTEGER NOT NULL,
  user_id INTEGER NOT NULL REFERENCES "user" (id) ON DELETE CASCADE,
  total NUMERIC(10, 2) NOT NULL,
  status VARCHAR(20) NOT NULL DEFAULT 'new',
  note TEXT,
  CONSTRAINT pk_order PRIMARY KEY (id),
  CONSTRAINT ck_order_total CHECK (total >= 0)
);
CREATE TABLE order_tag (
  order_id INTEGER NOT NULL,
  tag_code TEXT NOT NULL,
  position SMALLINT DEFAULT 0,
  PRIMARY KEY (order_id, tag_code),
  FOREIGN KEY (order_id) REFERENCES "order" (id) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT fk_order_tag_tag FOREIGN KEY (tag_code) REFERENCES tag (code) ON UPDATE SET DEFAULT
);
CREATE TABLE shipment (
  id BIGINT PRIMARY KEY,
  order_id INTEGER NOT NULL,
  tag_code TEXT NOT NULL,
  shipped_on DATE,
  FOREIGN KEY (order_id, tag_code) REFERENCES order_tag (order_id, tag_code) ON DELETE RESTRICT,
  UNIQUE (order_id, tag_code, shipped_on)
);
INSERT INTO "user" (username, email) VALUES ('ann', 'ann@example.org');
INSERT INTO "user" (username, email, status, created_at, balance, active) VALUES ('bob', 'bob@example.org', 'gone', NULL, NULL, NULL);
INSERT INTO tag VALUES ('red', NULL), ('blue', 'Blue');
INSERT INTO "order" (id, user_id, total, note) VALUES (1, 1, 10.5, NULL), (2, 2, 0, 'free');
INSERT INTO order_tag VALUES (1, 'red', NULL), (2, 'blue', 1);
INSERT INTO shipment VALUES (1, 1, 'red', NULL), (2, 2, 'blue', '2026-01-02');
)SQL";

const char* kRowCounts =
    "SELECT (SELECT count(*) FROM \"user\") || ',' || (SELECT count(*) FROM \"user\" WHERE created_at IS NULL) || ',' || "
    "(SELECT count(*) FROM \"order\") || ',' || (SELECT count(*) FROM order_tag) || ',' || (SELECT count(*) FROM shipment)";

void load(Database& db, const std::string& sql, const fs::path& dir) {
  write_text(dir / "load.sql", sql);
  auto r = db.client(db.pg() ? "-f " + shell_quote((dir / "load.sql").string()) : "< " + shell_quote((dir / "load.sql").string()));
  ASSERT_EQ(r.code, 0) << r.err;
}

std::string squeeze(std::string s) {  // spelling-insensitive: no spaces, quotes or case
  s.erase(std::remove_if(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c) || c == '"'; }), s.end());
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::toupper(c); });
  return s;
}

// CHECK (...) clauses of a CREATE TABLE text, squeezed, in order.
std::vector<std::string> checks_of(const std::string& sql) {
  std::vector<std::string> out;
  std::string upper = squeeze(sql);
  for (size_t at = upper.find("CHECK("); at != std::string::npos; at = upper.find("CHECK(", at + 1)) {
    size_t i = at + 5;
    int depth = 0;
    size_t end = i;
    for (; end < upper.size(); ++end) {
      if (upper[end] == '(') ++depth;
      if (upper[end] == ')' && --depth == 0) break;
    }
    out.push_back(upper.substr(i, end - i + 1));
  }
  return out;
}

// The catalog a user would compare, with spellings normalised. PostgreSQL: `pg_dump -s` without
// comments and settings. SQLite: every pragma of every table (the key's notnull folded, since a
// key column holds no NULL either way), the indexes by definition (an unnamed constraint's
// autoindex by its columns), each table's CHECK expressions.
std::string normalised_catalog(const Database& db) {
  std::vector<std::string> rows;
  if (db.pg()) {
    auto r = sh("pg_dump -s --no-owner --no-privileges -T alembic_version -T 'dbmig_history*' " + shell_quote(db.url()));
    EXPECT_EQ(r.code, 0) << r.err;
    std::string out;
    for (const auto& line : lines(r.out))
      if (!line.empty() && line.rfind("--", 0) != 0 && line.rfind("SET ", 0) != 0 && line.find("set_config") == std::string::npos &&
          line.rfind("\\restrict", 0) != 0 && line.rfind("\\unrestrict", 0) != 0)  // pg_dump's per-run random key
        out += line + "\n";
    return out;
  }
  // sqlite_sequence exists only for AUTOINCREMENT, which the dump names as left out.
  const std::string tables =
      "sqlite_master m WHERE m.type = 'table' AND m.name NOT IN ('alembic_version', 'dbmig_history', 'sqlite_sequence')";
  // The model's `double` is FLOAT on SQLite (SPEC §3), so a declared DOUBLE comes back as FLOAT,
  // with the same REAL affinity.
  for (const auto& l : lines(db.query("SELECT 'column', m.name, p.cid, p.name, "
                                      "CASE WHEN upper(p.type) = 'DOUBLE' THEN 'FLOAT' ELSE upper(replace(p.type, ' ', '')) END, "
                                      "CASE WHEN p.pk > 0 THEN 1 ELSE p.\"notnull\" END, p.dflt_value, p.pk, p.hidden "
                                      "FROM " + std::string("pragma_table_xinfo(m.name) p, ") + tables)))
    rows.push_back(l);
  for (const auto& l : lines(db.query("SELECT 'fk', m.name, f.\"table\", group_concat(f.\"from\"), group_concat(f.\"to\"), f.on_update, "
                                      "f.on_delete, f.match FROM pragma_foreign_key_list(m.name) f, " + tables + " GROUP BY m.name, f.id")))
    rows.push_back(l);
  for (const auto& l : lines(db.query(
           "SELECT 'index', m.name, CASE WHEN il.origin = 'c' THEN il.name ELSE '' END, il.\"unique\", il.origin, il.partial, "
           "(SELECT group_concat(ii.name) FROM pragma_index_info(il.name) ii), "
           "(SELECT upper(replace(substr(s.sql, instr(upper(s.sql), ' WHERE ')), ' ', '')) FROM sqlite_master s WHERE s.name = il.name AND il.partial) "
           "FROM pragma_index_list(m.name) il, " + tables)))
    rows.push_back(l);
  for (const auto& l : lines(db.query("SELECT m.name || char(31) || m.sql FROM " + tables))) {
    auto sep = l.find('\x1f');
    if (sep == std::string::npos) continue;  // a CREATE TABLE over several lines: only its first
    for (const auto& c : checks_of(l.substr(sep + 1))) rows.push_back("check|" + l.substr(0, sep) + "|" + c);
  }
  std::sort(rows.begin(), rows.end());
  std::string out;
  for (const auto& r : rows) out += r + "\n";
  return out;
}

// The same models and revisions on a new, empty database of the same dialect.
std::string rebuilt_catalog(const Project& p, const std::string& dialect, const std::string& models = "models.yaml") {
  Project empty(dialect);
  fs::remove_all(empty.dir() / "migrations" / "versions");
  fs::copy(p.dir() / "migrations" / "versions", empty.dir() / "migrations" / "versions", fs::copy_options::recursive);
  fs::copy(p.dir() / models, empty.dir() / models, fs::copy_options::recursive | fs::copy_options::overwrite_existing);
  fs::copy_file(p.dir() / "dbmig.yaml", empty.dir() / "dbmig.yaml", fs::copy_options::overwrite_existing);
  auto r = empty.dbmig("upgrade head");
  EXPECT_EQ(r.code, 0) << r.err;
  r = empty.dbmig("check");
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  return normalised_catalog(empty.db());
}

// dump -> migrate --from-empty -> stamp head -> check: the README's recipe.
void baseline(Project& p) {
  auto r = p.dbmig("migrate --from-empty -m baseline");
  ASSERT_EQ(r.code, 0) << r.err;
  r = p.dbmig("stamp head");
  ASSERT_EQ(r.code, 0) << r.err;
  r = p.dbmig("check");
  EXPECT_EQ(r.code, 0) << r.out << r.err << read_text(p.dir() / "models.yaml");
  EXPECT_EQ(r.out, "No new upgrade operations detected.\n");
}

std::vector<std::string> warnings(const std::string& err) {
  std::vector<std::string> out;
  for (const auto& l : lines(err))
    if (l.find("WARN") != std::string::npos) out.push_back(l);
  return out;
}

}  // namespace

class ModelsDump : public DialectTest {};

TEST_P(ModelsDump, HandMadeDatabaseRoundTripsExactly) {
  Project p(GetParam());
  auto& db = p.db();
  load(db, db.pg() ? kPostgresSchema : kSqliteSchema, p.dir());
  const std::string rows = db.query(kRowCounts);
  const std::string original = normalised_catalog(db);

  auto r = p.dbmig("models dump -o models.yaml");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(warnings(r.err), std::vector<std::string>{}) << r.err;
  const std::string models = read_text(p.dir() / "models.yaml");
  // Without -o the same text goes to stdout.
  r = p.dbmig("models dump");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, models);

  // A person's spelling: model types, parents before children, implied keys left out.
  EXPECT_NE(models.find("username: "), std::string::npos) << models;
  EXPECT_NE(models.find("{type: \"numeric(10,2)\", nullable: false}"), std::string::npos) << models;
  EXPECT_NE(models.find("{type: string(20), nullable: false, server_default: \"'new'\"}"), std::string::npos) << models;
  EXPECT_NE(models.find("index: true"), std::string::npos) << models;
  EXPECT_NE(models.find("{columns: [created_at], where: created_at IS NOT NULL}"), std::string::npos) << models;
  EXPECT_NE(models.find("user_email_status: {columns: [email, status], unique: true}"), std::string::npos) << models;
  EXPECT_NE(models.find("{columns: [order_id, tag_code], references: \"order_tag(order_id, tag_code)\", on_delete: restrict"),
            std::string::npos) << models;
  EXPECT_NE(models.find("foreign_key: {references: tag.code, on_update: set default, name: fk_order_tag_tag}"), std::string::npos) << models;
  EXPECT_NE(models.find("ck_order_total:"), std::string::npos) << models;
  EXPECT_EQ(models.find("nullable: true"), std::string::npos) << models;
  EXPECT_EQ(models.find("pk_order"), std::string::npos) << models;  // the convention's own name
  EXPECT_LT(models.find("\n  user:"), models.find("\n  order:")) << models;
  EXPECT_LT(models.find("\n  order:"), models.find("\n  order_tag:")) << models;
  EXPECT_LT(models.find("\n  order_tag:"), models.find("\n  shipment:")) << models;
  if (db.pg()) {
    EXPECT_EQ(models.find("character varying"), std::string::npos) << models;
    EXPECT_NE(models.find("primary_key: {name: user_pkey, columns: [id]}"), std::string::npos) << models;
    EXPECT_NE(models.find("id:         {type: integer, autoincrement: true}"), std::string::npos) << models;
    EXPECT_NE(models.find("email:      {type: string(120), nullable: false, comment: Where receipts go}"), std::string::npos) << models;
    EXPECT_NE(models.find("comment: People who order"), std::string::npos) << models;
    EXPECT_NE(models.find("prefs:      {type: jsonb, server_default: \"'{}'\"}"), std::string::npos) << models;
    EXPECT_NE(models.find("tags:       {type: \"text[]\"}"), std::string::npos) << models;
    EXPECT_NE(models.find("visits:     {type: biginteger, server_default: \"-1\"}"), std::string::npos) << models;
    EXPECT_NE(models.find("- {columns: [username], name: user_username_key}"), std::string::npos) << models;
    EXPECT_NE(models.find("user_username_check: \"length((username)::text) > 0\""), std::string::npos) << models;
    // Most names are PostgreSQL's own: the dump says which convention would imply them.
    EXPECT_NE(r.err.find("naming_convention: {pk: \"%(table)s_pkey\""), std::string::npos) << r.err;
  } else {
    EXPECT_NE(models.find("id:         {type: integer, primary_key: true}"), std::string::npos) << models;
    EXPECT_NE(models.find("id:         {type: biginteger, primary_key: true, autoincrement: false}"), std::string::npos) << models;
    EXPECT_NE(models.find("username:   {type: string(80), nullable: false, unique: true}"), std::string::npos) << models;
    EXPECT_NE(models.find("email:      {type: varchar(120), nullable: false}"), std::string::npos) << models;  // as declared
    EXPECT_NE(models.find("primary_key: [order_id, tag_code]"), std::string::npos) << models;
    EXPECT_NE(models.find("ck_user_1: \"length(username) > 0\""), std::string::npos) << models;
  }

  baseline(p);
  EXPECT_EQ(db.query(kRowCounts), rows);
  EXPECT_EQ(normalised_catalog(db), original);  // the dump changed nothing
  EXPECT_EQ(rebuilt_catalog(p, GetParam()), original);
}

TEST_P(ModelsDump, ANamingConventionLeavesTheDatabasesOwnNamesOut) {
  if (GetParam() != "postgresql") GTEST_SKIP() << "SQLite names no constraint by itself";
  Project p(GetParam());
  load(p.db(), kPostgresSchema, p.dir());
  const std::string original = normalised_catalog(p.db());
  auto r = p.dbmig("models dump -o models.yaml");
  ASSERT_EQ(r.code, 0) << r.err;
  auto at = r.err.find("naming_convention: {");
  ASSERT_NE(at, std::string::npos) << r.err;
  std::string convention = r.err.substr(at, r.err.find("}", at) + 1 - at);
  write_text(p.dir() / "dbmig.yaml", read_text(p.dir() / "dbmig.yaml") + convention + "\n");
  r = p.dbmig("models dump -o models.yaml");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err.find("naming_convention"), std::string::npos) << r.err;
  const std::string models = read_text(p.dir() / "models.yaml");
  EXPECT_EQ(models.find("user_pkey"), std::string::npos) << models;
  EXPECT_EQ(models.find("order_user_id_fkey"), std::string::npos) << models;
  EXPECT_NE(models.find("id:         {type: integer, primary_key: true}"), std::string::npos) << models;
  EXPECT_NE(models.find("name: fk_order_tag_tag"), std::string::npos) << models;  // not the convention's
  baseline(p);
  EXPECT_EQ(rebuilt_catalog(p, GetParam()), original);
}

TEST_P(ModelsDump, WhatTheModelCannotExpressIsNamedAndLeftOut) {
  Project p(GetParam());
  auto& db = p.db();
  std::string sql = "CREATE TABLE item (id integer PRIMARY KEY, name text NOT NULL, price numeric(8,2));"
                    "CREATE INDEX item_lower_name ON item (lower(name));"
                    "CREATE INDEX item_price_desc ON item (price DESC);"
                    "CREATE VIEW cheap AS SELECT * FROM item WHERE price < 10;";
  if (db.pg())
    sql += "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;"
           "CREATE TRIGGER item_touch BEFORE UPDATE ON item FOR EACH ROW EXECUTE FUNCTION touch();"
           "CREATE SEQUENCE invoice_no START 1000;";
  else
    sql += "CREATE TRIGGER item_touch AFTER UPDATE ON item BEGIN SELECT 1; END;";
  sql += "INSERT INTO item VALUES (1, 'pen', 1.5), (2, 'book', NULL);";
  load(db, sql, p.dir());

  auto r = p.dbmig("models dump -o models.yaml");
  ASSERT_EQ(r.code, 0) << r.err;
  const std::vector<std::string> expected = {db.pg() ? "index DESC or NULLS FIRST order item_price_desc"
                                                     : "index DESC order item_price_desc"};
  auto w = warnings(r.err);
  ASSERT_EQ(w.size(), expected.size()) << r.err;
  for (size_t i = 0; i < w.size(); ++i)
    EXPECT_NE(w[i].find(expected[i] + ": models.yaml cannot express it; left out"), std::string::npos) << w[i];
  const std::string models = read_text(p.dir() / "models.yaml");
  // The view, the trigger and the expression index are modelled on both; the sequence and function
  // exist on PostgreSQL only.
  EXPECT_NE(models.find("views:\n  cheap: {sql: "), std::string::npos) << models;
  EXPECT_EQ(models.find("sequences:\n  invoice_no: {start: 1000, increment: 1}") != std::string::npos, db.pg()) << models;
  EXPECT_NE(models.find("item_lower_name: {expressions: [lower(name)]}"), std::string::npos) << models;
  EXPECT_EQ(models.find("functions:\n  touch: \"CREATE OR REPLACE FUNCTION public.touch()") != std::string::npos, db.pg()) << models;
  EXPECT_NE(models.find(db.pg() ? "    triggers:\n      item_touch: CREATE TRIGGER item_touch BEFORE UPDATE ON item FOR EACH ROW "
                                   "EXECUTE FUNCTION touch()\n"
                                 : "    triggers:\n      item_touch: \"CREATE TRIGGER item_touch AFTER UPDATE ON item BEGIN SELECT 1; END\"\n"),
            std::string::npos) << models;
  baseline(p);
  // --from-empty created every kind: the same catalog again, but for the DESC left out.
  std::string original = normalised_catalog(db);
  if (db.pg()) original.replace(original.find("(price DESC)"), 12, "(price)");
  EXPECT_EQ(rebuilt_catalog(p, GetParam()), original);

  // --strict: an error, and nothing written, neither a new file nor over an old one.
  r = p.dbmig("models dump --strict -o strict.yaml");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("dbmig: error: " + std::to_string(expected.size()) + " object(s)"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(p.dir() / "strict.yaml"));
  r = p.dbmig("models dump --strict -o models.yaml");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(read_text(p.dir() / "models.yaml"), models);
  for (const auto& e : fs::directory_iterator(p.dir())) EXPECT_EQ(e.path().string().find("dbmig-tmp"), std::string::npos);
}

TEST_P(ModelsDump, AFolderGetsOneFilePerTable) {
  Project p(GetParam());
  load(p.db(), p.db().pg() ? kPostgresSchema : kSqliteSchema, p.dir());
  const std::string original = normalised_catalog(p.db());
  auto r = p.dbmig("models dump -o models/");
  ASSERT_EQ(r.code, 0) << r.err;
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(p.dir() / "models")) files.push_back(e.path().filename().string());
  std::sort(files.begin(), files.end());
  EXPECT_EQ(files, (std::vector<std::string>{"order.yaml", "order_tag.yaml", "shipment.yaml", "tag.yaml", "user.yaml"}));
  EXPECT_EQ(read_text(p.dir() / "models" / "tag.yaml").rfind("tables:\n  tag:\n    columns:\n", 0), 0u);
  write_text(p.dir() / "dbmig.yaml", "database_url: ${TEST_DATABASE_URL}\nscript_location: migrations\nmodels: models\n");
  baseline(p);
  EXPECT_EQ(rebuilt_catalog(p, GetParam(), "models"), original);

  // Dumping again into the same folder replaces the files; a folder with other models is refused.
  r = p.dbmig("models dump -o models");
  EXPECT_EQ(r.code, 0) << r.err;
  write_text(p.dir() / "models" / "extra.yaml", "tables: {}\n");
  auto before = snapshot(p.dir() / "models");
  r = p.dbmig("models dump -o models");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("dbmig: error: models already holds extra.yaml"), std::string::npos) << r.err;
  EXPECT_EQ(snapshot(p.dir() / "models"), before);
}

TEST_P(ModelsDump, AnEmptyDatabaseDumpsNoTables) {
  Project p(GetParam());
  auto r = p.dbmig("models dump");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "tables: {}\n");
}

// A public sample schema none of us wrote: Zabbix 6.0's, from Debian's zabbix-server-pgsql and
// zabbix-proxy-sqlite3 packages (GPL-2+, so it is read from the package, not kept here;
// scripts/sample_schemas.sh unpacks them). 173 tables, their keys, indexes and foreign keys.
TEST_P(ModelsDump, ZabbixSampleSchemaRoundTrips) {
  const char* env = std::getenv("DBMIG_SAMPLE_DIR");
  fs::path root = env && *env ? env : "/var/cache/dbmig/samples";
  fs::path file = root / (GetParam() == "postgresql" ? "usr/share/zabbix-server-pgsql/schema.sql.gz"
                                                     : "usr/share/zabbix-proxy-sqlite3/schema.sql.gz");
  ASSERT_TRUE(fs::exists(file)) << file << " is missing: run scripts/sample_schemas.sh (scripts/deps.sh does)";
  Project p(GetParam());
  auto& db = p.db();
  auto r = sh("zcat " + shell_quote(file.string()) + " > " + shell_quote((p.dir() / "schema.sql").string()));
  ASSERT_EQ(r.code, 0) << r.err;
  r = db.client(db.pg() ? "-f " + shell_quote((p.dir() / "schema.sql").string()) : "< " + shell_quote((p.dir() / "schema.sql").string()));
  ASSERT_EQ(r.code, 0) << r.err;
  ASSERT_EQ(db.query("SELECT count(*) FROM " + std::string(db.pg() ? "pg_tables WHERE schemaname = 'public'" : "sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")), "173\n");
  const std::string rows = db.query("SELECT count(*) FROM dbversion");
  const std::string original = normalised_catalog(db);

  r = p.dbmig("models dump -o models.yaml");
  ASSERT_EQ(r.code, 0) << r.err;
  // SQLite's schema has three AUTOINCREMENT tables the model cannot express; everything else,
  // PostgreSQL's two trigger functions and four triggers too, is modelled.
  for (const auto& w : warnings(r.err)) EXPECT_NE(w.find("AUTOINCREMENT keyword proxy_"), std::string::npos) << w;
  EXPECT_EQ(warnings(r.err).size(), db.pg() ? 0u : 3u) << r.err;
  if (db.pg()) {
    EXPECT_EQ(lines(db.query("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")).size(), 4u);
  }
  baseline(p);
  EXPECT_EQ(db.query("SELECT count(*) FROM dbversion"), rows);
  EXPECT_EQ(rebuilt_catalog(p, GetParam()), original);
}

// The dump reads the catalog in a fixed number of statements: inspection plus one query for
// what the model cannot express, the same at 10 tables as at 1,000.
TEST_P(ModelsDump, CatalogQueryCountDoesNotGrowWithTables) {
  Project p(GetParam());
  auto& db = p.db();
  auto count = [&](size_t tables) {
    auto conn = dbmig::connect(dbmig::parse_url(db.url()));
    auto dialect = dbmig::make_dialect(db.pg() ? dbmig::DialectKind::postgresql : dbmig::DialectKind::sqlite);
    long before = conn->statements_issued();
    auto schema = dialect->inspect(*conn, {});
    auto left_out = dialect->unmodelled(*conn, {});
    EXPECT_EQ(schema.tables.size(), tables);
    EXPECT_EQ(left_out.size(), tables);  // each DESC index
    return conn->statements_issued() - before;
  };
  create_numbered_tables(db, 0, 10, "DESC");
  long small = count(10);
  for (int from = 10; from < 1000; from += 100) create_numbered_tables(db, from, std::min(from + 100, 1000), "DESC");
  long large = count(1000);
  EXPECT_EQ(small, large);
  EXPECT_LE(large, 7);
  auto r = p.dbmig("models dump -o models.yaml");
  EXPECT_EQ(r.code, 0) << r.err;
}

DBMIG_DIALECTS(ModelsDump);

namespace {

TEST(ModelsDumpPostgres, EnumTypesAreDumpedAndRoundTrip) {
  Project p("postgresql");
  load(p.db(),
       "CREATE TYPE mood AS ENUM ('sad', 'ok', 'it''s fine');"
       "CREATE TABLE person (id integer PRIMARY KEY, feeling mood DEFAULT 'ok', tags mood[]);"
       "INSERT INTO person VALUES (1, 'sad', '{ok}'), (2, NULL, NULL);",
       p.dir());
  const std::string original = normalised_catalog(p.db());
  auto r = p.dbmig("models dump -o models.yaml");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err.find("WARN"), std::string::npos) << r.err;  // nothing left out
  const std::string models = read_text(p.dir() / "models.yaml");
  EXPECT_EQ(models.rfind("enums:\n  mood: [sad, ok, \"it's fine\"]\ntables:\n", 0), 0u) << models;
  baseline(p);
  EXPECT_EQ(rebuilt_catalog(p, "postgresql"), original);
  EXPECT_EQ(p.db().query("SELECT feeling, tags FROM person ORDER BY id"), "sad|{ok}\n|\n");
}

}  // namespace

// Autogenerate end to end: a corpus of model pairs (v1 -> v2) round-tripped on both databases,
// data that must survive, and hand-made schemas that must show no false difference.
#include "harness.hpp"

#include <dbmig/dialects/connection.hpp>
#include <dbmig/dialects/dialect.hpp>
#include <dbmig/config/url.hpp>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <map>

using namespace dbmig::test;
namespace fs = std::filesystem;

namespace {
using Vs = std::vector<std::string>;

struct Pair {
  const char* name;
  const char* v1;  // the body under "tables:"
  const char* v2;
  // A renamed table keeps its old constraint and sequence names, as in Alembic: the catalog is
  // compared with a fresh v2 after spelling the old name as the new one.
  const char* renamed_from = nullptr;
  const char* renamed_to = nullptr;
  bool sqlite_keeps_no_change = false;  // e.g. comments, which SQLite does not store
  // A change that cannot work on a table holding rows: the upgrade fails cleanly, after
  // `migrate` warned with this text.
  const char* fails_with_rows = nullptr;
};

#define USERS "  user:\n    columns:\n      id: {type: integer, primary_key: true}\n"

const Pair kCorpus[] = {
    {"add_table", USERS, USERS "  post:\n    columns:\n      id: {type: integer, primary_key: true}\n      title: {type: text}\n"},
    {"drop_table", USERS "  post:\n    columns:\n      id: {type: integer, primary_key: true}\n", USERS},
    {"add_nullable_column", USERS, USERS "      email: {type: string(120)}\n"},
    {"add_not_null_column_with_default", USERS, USERS "      status: {type: string(20), nullable: false, server_default: \"'active'\"}\n"},
    {"drop_column", USERS "      email: {type: string(120)}\n", USERS},
    {"rename_column", USERS "      email: {type: string(120)}\n", USERS "      mail: {type: string(120), renamed_from: email}\n"},
    {"rename_table", USERS "  post:\n    columns:\n      id: {type: integer, primary_key: true}\n",
     USERS "  article:\n    renamed_from: post\n    columns:\n      id: {type: integer, primary_key: true}\n", "post", "article"},
    {"widen_string", USERS "      name: {type: string(80)}\n", USERS "      name: {type: string(200)}\n"},
    {"narrow_to_string", USERS "      name: {type: text}\n", USERS "      name: {type: string(50)}\n"},
    {"integer_to_biginteger", USERS "      n: {type: integer}\n", USERS "      n: {type: biginteger}\n"},
    {"numeric_precision", USERS "      price: {type: \"numeric(10,2)\"}\n", USERS "      price: {type: \"numeric(12,4)\"}\n"},
    {"make_not_null", USERS "      name: {type: text, server_default: \"'x'\"}\n", USERS "      name: {type: text, nullable: false, server_default: \"'x'\"}\n"},
    {"make_nullable", USERS "      name: {type: text, nullable: false}\n", USERS "      name: {type: text}\n"},
    {"add_default", USERS "      n: {type: integer}\n", USERS "      n: {type: integer, server_default: \"0\"}\n"},
    {"change_default", USERS "      s: {type: string(10), server_default: \"'a'\"}\n", USERS "      s: {type: string(10), server_default: \"'b'\"}\n"},
    {"drop_default", USERS "      at: {type: datetime, server_default: CURRENT_TIMESTAMP}\n", USERS "      at: {type: datetime}\n"},
    {"add_comment", USERS "      n: {type: integer}\n", USERS "      n: {type: integer, comment: how many}\n", nullptr, nullptr, true},
    {"add_unique_column", USERS "      email: {type: string(120)}\n", USERS "      email: {type: string(120), unique: true}\n"},
    {"drop_unique_column", USERS "      email: {type: string(120), unique: true}\n", USERS "      email: {type: string(120)}\n"},
    {"named_composite_unique", USERS "      a: {type: integer}\n      b: {type: integer}\n",
     USERS "      a: {type: integer}\n      b: {type: integer}\n    unique: [{columns: [a, b], name: uq_user_ab}]\n"},
    {"add_index", USERS "      name: {type: text}\n", USERS "      name: {type: text, index: true}\n"},
    {"drop_index", USERS "      name: {type: text}\n    indexes:\n      ix_name: {columns: [name]}\n", USERS "      name: {type: text}\n"},
    {"unique_multi_column_index", USERS "      a: {type: integer}\n      b: {type: integer}\n",
     USERS "      a: {type: integer}\n      b: {type: integer}\n    indexes:\n      ix_user_a_b: {columns: [a, b], unique: true}\n"},
    {"partial_index", USERS "      status: {type: string(20)}\n",
     USERS "      status: {type: string(20)}\n    indexes:\n      ix_open: {columns: [status], where: \"status <> 'done'\"}\n"},
    {"add_foreign_key", USERS "  post:\n    columns:\n      id: {type: integer, primary_key: true}\n      user_id: {type: integer}\n",
     USERS "  post:\n    columns:\n      id: {type: integer, primary_key: true}\n      user_id: {type: integer, foreign_key: user.id}\n"},
    {"drop_foreign_key", USERS "  post:\n    columns:\n      id: {type: integer, primary_key: true}\n      user_id: {type: integer, foreign_key: user.id}\n",
     USERS "  post:\n    columns:\n      id: {type: integer, primary_key: true}\n      user_id: {type: integer}\n"},
    {"foreign_key_on_delete",
     USERS "  post:\n    columns:\n      id: {type: integer, primary_key: true}\n      user_id: {type: integer, foreign_key: user.id}\n",
     USERS "  post:\n    columns:\n      id: {type: integer, primary_key: true}\n      user_id: {type: integer, foreign_key: {references: user.id, on_delete: cascade}}\n"},
    {"add_check", USERS "      n: {type: integer}\n", USERS "      n: {type: integer}\n    checks:\n      ck_user_n: \"n >= 0\"\n"},
    {"drop_check", USERS "      n: {type: integer}\n    checks:\n      ck_user_n: \"n >= 0\"\n", USERS "      n: {type: integer}\n"},
    {"composite_key_table", USERS,
     USERS "  membership:\n    columns:\n      user_id: {type: integer, foreign_key: user.id}\n      grp: {type: integer}\n    primary_key: [user_id, grp]\n"},
    {"foreign_key_cycle", USERS,
     USERS "  a:\n    columns:\n      id: {type: integer, primary_key: true}\n      b_id: {type: integer, foreign_key: b.id}\n"
           "  b:\n    columns:\n      id: {type: integer, primary_key: true}\n      a_id: {type: integer, foreign_key: a.id}\n"},
    {"self_reference", USERS, USERS "  node:\n    columns:\n      id: {type: integer, primary_key: true}\n      parent_id: {type: integer, foreign_key: node.id}\n"},
    {"new_table_in_fk_order", USERS,
     USERS "  comment:\n    columns:\n      id: {type: integer, primary_key: true}\n      post_id: {type: integer, nullable: false, foreign_key: post.id}\n"
           "  post:\n    columns:\n      id: {type: integer, primary_key: true}\n      user_id: {type: integer, foreign_key: user.id}\n"},
    {"drop_referenced_tables",
     USERS "  post:\n    columns:\n      id: {type: integer, primary_key: true}\n"
           "  comment:\n    columns:\n      id: {type: integer, primary_key: true}\n      post_id: {type: integer, foreign_key: post.id}\n",
     USERS},
    {"vocabulary_types", USERS,
     USERS "  thing:\n    columns:\n      id: {type: biginteger, primary_key: true}\n      small: {type: smallinteger}\n      flag: {type: boolean, server_default: \"false\"}\n"
           "      ratio: {type: float}\n      d: {type: date}\n      t: {type: time}\n      ts: {type: datetime(timezone)}\n      raw: {type: binary}\n"
           "      doc: {type: json}\n      uid: {type: uuid}\n      s: {type: string}\n"},
    {"rename_indexed_column", USERS "      email: {type: string(120), index: true}\n",
     USERS "      email_address: {type: string(120), renamed_from: email}\n    indexes:\n      ix_user_email: {columns: [email_address]}\n"},
    {"add_primary_key", "  plain:\n    columns:\n      a: {type: string(10), nullable: false}\n      b: {type: integer}\n",
     "  plain:\n    columns:\n      a: {type: string(10), primary_key: true}\n      b: {type: integer}\n"},
    {"change_primary_key", "  plain:\n    columns:\n      a: {type: string(10), primary_key: true}\n      b: {type: integer, nullable: false}\n",
     "  plain:\n    columns:\n      a: {type: string(10)}\n      b: {type: integer}\n    primary_key: [a, b]\n"},
    {"drop_primary_key", "  plain:\n    columns:\n      a: {type: string(10), primary_key: true}\n      b: {type: integer}\n",
     "  plain:\n    columns:\n      a: {type: string(10), nullable: false}\n      b: {type: integer}\n"},
    {"several_changes_on_one_table", USERS "      a: {type: string(10)}\n      b: {type: integer, nullable: false, server_default: \"1\"}\n",
     USERS "      a: {type: string(20), nullable: false, server_default: \"'z'\"}\n      b: {type: integer}\n      c: {type: text}\n    checks:\n      ck_user_b: \"b > 0\"\n"},
    {"make_not_null_with_new_default", USERS "      name: {type: text}\n", USERS "      name: {type: text, nullable: false, server_default: \"'x'\"}\n"},
    {"add_column_current_timestamp", USERS, USERS "      created_at: {type: datetime, server_default: CURRENT_TIMESTAMP}\n"},
    {"add_not_null_column_without_default", USERS, USERS "      code: {type: string(10), nullable: false}\n", nullptr, nullptr, false,
     "would hold NULL in the new NOT NULL column without a server_default"},
};

constexpr int kRows = 30;  // rows in every table of the corpus before each change

// Columns per table as the catalog describes them, one line each ("name|type|nullable|default").
std::map<std::string, std::map<std::string, std::string>> column_definitions(Database& db) {
  std::string sql = db.pg() ? "SELECT table_name, column_name, data_type || '|' || coalesce(character_maximum_length::text, '') || '|' || "
                              "coalesce(numeric_precision::text, '') || ',' || coalesce(numeric_scale::text, '') || '|' || "
                              "is_nullable || '|' || coalesce(column_default, '') FROM information_schema.columns "
                              "WHERE table_schema = 'public' AND table_name NOT IN ('alembic_version', 'dbmig_history')"
                            : "SELECT m.name, p.name, p.type || '|' || p.\"notnull\" || '|' || coalesce(p.dflt_value, '') || '|' || p.pk "
                              "FROM sqlite_master m, pragma_table_info(m.name) p WHERE m.type = 'table' "
                              "AND m.name NOT IN ('alembic_version', 'dbmig_history')";
  std::map<std::string, std::map<std::string, std::string>> out;
  for (const auto& line : lines(db.query(sql))) {
    auto a = line.find('|'), b = line.find('|', a + 1);
    out[line.substr(0, a)][line.substr(a + 1, b - a - 1)] = line.substr(b + 1);
  }
  return out;
}

// A value for row i of a column of this catalog type; NULL in every third row of a nullable column.
std::string seed_value(const Database& db, std::string type, bool nullable) {
  for (auto& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string v;
  if (db.pg()) {
    if (type.find("int") != std::string::npos || type == "numeric" || type.find("double") != std::string::npos || type == "real") v = "i";
    else if (type == "boolean") v = "(i % 2 = 0)";
    else if (type.find("char") != std::string::npos || type == "text") v = "'v' || i";
    else if (type.find("timestamp") == 0) v = "timestamp '2020-01-01' + i * interval '1 minute'";
    else if (type == "date") v = "date '2020-01-01' + i";
    else if (type.find("time") == 0) v = "time '00:00' + i * interval '1 second'";
    else if (type == "uuid") v = "md5(i::text)::uuid";
    else if (type == "json") v = "to_json(i)";
    else if (type == "jsonb") v = "to_jsonb(i)";
    else if (type == "bytea") v = "decode(md5(i::text), 'hex')";
    else v = "NULL";
  } else {
    if (type == "boolean") v = "i % 2";
    else if (type.find("char") != std::string::npos || type == "text" || type.find("date") == 0 || type == "time" || type == "json") v = "'v' || i";
    else v = "i";
  }
  return nullable ? "CASE WHEN i % 3 = 0 THEN NULL ELSE " + v + " END" : v;
}

// Fills every table with kRows rows (foreign keys point at row i of the other table, which exists).
void seed(Database& db) {
  std::string sql = db.pg() ? "SET session_replication_role = replica;\n" : "";
  std::string types = db.pg() ? "SELECT c.table_name, c.column_name, c.data_type, c.is_nullable = 'YES' AND k.column_name IS NULL "
                                "FROM information_schema.columns c LEFT JOIN information_schema.key_column_usage k "
                                "ON k.table_name = c.table_name AND k.column_name = c.column_name AND k.constraint_name IN "
                                "(SELECT constraint_name FROM information_schema.table_constraints WHERE constraint_type = 'PRIMARY KEY') "
                                "WHERE c.table_schema = 'public' AND c.table_name NOT IN ('alembic_version', 'dbmig_history') "
                                "ORDER BY c.table_name, c.ordinal_position"
                              : "SELECT m.name, p.name, p.type, p.\"notnull\" = 0 AND p.pk = 0 FROM sqlite_master m, pragma_table_info(m.name) p "
                                "WHERE m.type = 'table' AND m.name NOT IN ('alembic_version', 'dbmig_history') ORDER BY m.name, p.cid";
  std::map<std::string, std::pair<std::string, std::string>> inserts;  // table -> (columns, values)
  for (const auto& line : lines(db.query(types))) {
    auto f = lines(std::string(line).replace(line.find('|'), 1, "\n"));
    auto rest = f[1];
    auto a = rest.find('|'), b = rest.rfind('|');
    std::string column = rest.substr(0, a), type = rest.substr(a + 1, b - a - 1);
    bool nullable = rest.substr(b + 1) == "t" || rest.substr(b + 1) == "1";
    auto& [cols, vals] = inserts[f[0]];
    cols += (cols.empty() ? "" : ", ") + ("\"" + column + "\"");
    vals += (vals.empty() ? "" : ", ") + seed_value(db, type, nullable);
  }
  for (const auto& [table, cv] : inserts) {
    std::string series = db.pg() ? " FROM generate_series(1, " + std::to_string(kRows) + ") AS i"
                                 : " FROM (WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < " +
                                       std::to_string(kRows) + ") SELECT i FROM s)";
    sql += "INSERT INTO \"" + table + "\" (" + cv.first + ") SELECT " + cv.second + series + ";\n";
  }
  db.query(sql);
}

// Per table: the row count and, per column, a digest of its values in any row order.
std::map<std::string, std::map<std::string, std::string>> checksums(Database& db) {
  std::map<std::string, std::map<std::string, std::string>> out;
  for (const auto& [table, columns] : column_definitions(db)) {
    std::string sql = "SELECT count(*)";
    for (const auto& [c, _] : columns) {
      std::string q = "\"" + c + "\"";
      sql += db.pg() ? ", (SELECT md5(coalesce(string_agg(coalesce(" + q + "::text, '~'), ',' ORDER BY coalesce(" + q +
                           "::text, '~')), '')) FROM \"" + table + "\")"
                     : ", (SELECT group_concat(x, ',') FROM (SELECT coalesce(quote(" + q + "), '~') AS x FROM \"" + table +
                           "\" ORDER BY x))";
    }
    auto values = lines(db.query(sql + " FROM \"" + table + "\" LIMIT 1").substr(0));
    std::string row = values.empty() ? "" : values[0];
    std::vector<std::string> parts;
    for (size_t at = 0;;) {
      auto bar = row.find('|', at);
      parts.push_back(row.substr(at, bar == std::string::npos ? std::string::npos : bar - at));
      if (bar == std::string::npos) break;
      at = bar + 1;
    }
    out[table]["(rows)"] = parts[0];
    size_t i = 1;
    for (const auto& [c, _] : columns) out[table][c] = i < parts.size() ? parts[i++] : "";
  }
  return out;
}

// Expects the row counts and the values of every column defined alike in `a` and `b` unchanged.
void expect_untouched_equal(const std::map<std::string, std::map<std::string, std::string>>& a_defs,
                            const std::map<std::string, std::map<std::string, std::string>>& b_defs,
                            const std::map<std::string, std::map<std::string, std::string>>& before,
                            const std::map<std::string, std::map<std::string, std::string>>& after, const std::string& when) {
  for (const auto& [table, sums] : before) {
    auto it = after.find(table);
    // Dropped, created or renamed by the change: the catalog checks cover it.
    if (it == after.end() || !a_defs.count(table) || !b_defs.count(table)) continue;
    EXPECT_EQ(it->second.at("(rows)"), sums.at("(rows)")) << when << ": rows of " << table;
    for (const auto& [column, sum] : sums) {
      if (column == "(rows)" || !a_defs.count(table) || !b_defs.count(table)) continue;
      auto da = a_defs.at(table).find(column), db = b_defs.at(table).find(column);
      if (da == a_defs.at(table).end() || db == b_defs.at(table).end() || da->second != db->second) continue;  // touched
      EXPECT_EQ(it->second.at(column), sum) << when << ": values of " << table << "." << column;
    }
  }
}

std::string sorted_lines(const std::string& text) {
  auto l = lines(text);
  std::sort(l.begin(), l.end());
  std::string out;
  for (const auto& x : l) out += x + "\n";
  return out;
}

class Corpus : public ::testing::TestWithParam<std::tuple<std::string, size_t>> {};

INSTANTIATE_TEST_SUITE_P(Pairs, Corpus,
                         ::testing::Combine(::testing::Values("sqlite", "postgresql"),
                                            ::testing::Range<size_t>(0, sizeof(kCorpus) / sizeof(kCorpus[0]))),
                         [](const auto& info) {
                           return std::string(kCorpus[std::get<1>(info.param)].name) + "_" + std::get<0>(info.param);
                         });
}  // namespace

TEST(CorpusSize, AtLeastThirtyPairs) { EXPECT_GE(sizeof(kCorpus) / sizeof(kCorpus[0]), 30u); }

TEST_P(Corpus, RoundTripsWithoutFalseDiffs) {
  const auto& [dialect, index] = GetParam();
  const Pair& pair = kCorpus[index];
  Project p(dialect);
  auto& db = p.db();
  auto models = p.dir() / "models.yaml";
  auto check_clean = [&](const std::string& when) {
    auto r = p.dbmig("check");
    EXPECT_EQ(r.code, 0) << when << ": " << r.out << r.err;
    EXPECT_EQ(r.out, "No new upgrade operations detected.\n") << when;
  };
  write_text(models, std::string("tables:\n") + pair.v1);
  auto r = p.dbmig("migrate -m v1 --rev-id v1");
  ASSERT_EQ(r.code, 0) << r.err;
  ASSERT_EQ(p.dbmig("upgrade head").code, 0);
  check_clean("after v1");
  const std::string v1_catalog = db.catalog();
  seed(db);
  const auto v1_defs = column_definitions(db);
  const auto v1_sums = checksums(db);

  write_text(models, std::string("tables:\n") + pair.v2);
  if (dialect == "sqlite" && pair.sqlite_keeps_no_change) {
    check_clean("v2 on SQLite, which cannot tell v1 from v2");
    return;
  }
  r = p.dbmig("check");
  EXPECT_EQ(r.code, 1) << r.out << r.err;
  r = p.dbmig("migrate -m v2 --rev-id v2");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("Detected "), std::string::npos) << r.err;
  if (pair.fails_with_rows) {
    // Warned first, with the number of rows; then the upgrade fails cleanly and changes nothing.
    EXPECT_NE(r.err.find(std::to_string(kRows) + " rows " + pair.fails_with_rows), std::string::npos) << r.err;
    r = p.dbmig("upgrade head");
    EXPECT_EQ(r.code, 1) << r.err;
    // One error line, after upgrade's lint warnings about what it was going to run.
    auto err_lines = lines(r.err);
    ASSERT_FALSE(err_lines.empty());
    EXPECT_EQ(err_lines.back().rfind("dbmig: error: ", 0), 0u) << r.err;
    for (size_t i = 0; i + 1 < err_lines.size(); ++i) EXPECT_EQ(err_lines[i].rfind("WARN  [dbmig] lint ", 0), 0u) << r.err;
    EXPECT_EQ(db.versions(), Vs{"v1"});
    EXPECT_EQ(db.catalog(), v1_catalog);
    expect_untouched_equal(v1_defs, v1_defs, v1_sums, checksums(db), "after the failed upgrade");
    return;
  }
  r = p.dbmig("upgrade head");
  ASSERT_EQ(r.code, 0) << r.err << read_text(p.dir() / "migrations/versions/v2_v2.yaml");
  check_clean("after v2");
  const auto v2_defs = column_definitions(db);
  expect_untouched_equal(v1_defs, v2_defs, v1_sums, checksums(db), "after upgrade");

  // The catalog equals what v2 declares: the same as v2 created from nothing in another database.
  {
    Database fresh(dialect, p.dir(), "fresh.db");
    auto other = p.dir() / "other";
    fs::create_directories(other);
    auto init = sh("cd " + shell_quote(other.string()) + " && " DBMIG_BINARY " init >/dev/null 2>&1 && cp ../models.yaml . && " DBMIG_BINARY
                   " --url " + shell_quote(fresh.url()) + " migrate -m v2 >/dev/null && " DBMIG_BINARY " --url " +
                   shell_quote(fresh.url()) + " upgrade head");
    ASSERT_EQ(init.code, 0) << init.err;
    std::string have = db.catalog();
    for (size_t pos; pair.renamed_from && (pos = have.find(pair.renamed_from)) != std::string::npos;)
      have.replace(pos, std::strlen(pair.renamed_from), pair.renamed_to);
    EXPECT_EQ(sorted_lines(have), sorted_lines(fresh.catalog()));
  }

  r = p.dbmig("downgrade -1");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(db.catalog(), v1_catalog);
  expect_untouched_equal(v1_defs, v2_defs, v1_sums, checksums(db), "after downgrade");
  r = p.dbmig("downgrade base");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(db.tables(), Vs{});
}

TEST(Migrate, NoChangesWritesNoFileAndRefusesADatabaseBehindHead) {
  Project p("sqlite");
  write_text(p.dir() / "models.yaml", "tables:\n" USERS);
  ASSERT_EQ(p.dbmig("migrate -m one --rev-id r1").code, 0);
  auto r = p.dbmig("migrate -m two");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "dbmig: error: Target database is not up to date: it is at <base>, the scripts are at r1; run 'dbmig upgrade' first\n");
  ASSERT_EQ(p.dbmig("upgrade head").code, 0);
  auto before = snapshot(p.dir() / "migrations");
  r = p.dbmig("migrate -m two");
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.err.find("No changes in schema detected."), std::string::npos);
  EXPECT_EQ(snapshot(p.dir() / "migrations"), before);
  r = p.dbmig("migrate -m empty --allow-empty --rev-id r2");
  EXPECT_EQ(r.code, 0);
  EXPECT_TRUE(fs::exists(p.dir() / "migrations/versions/r2_empty.yaml"));
  // --dry-run prints, writes nothing; JSON for scripts.
  write_text(p.dir() / "models.yaml", "tables:\n" USERS "      email: {type: string(120)}\n");
  ASSERT_EQ(p.dbmig("upgrade head").code, 0);
  before = snapshot(p.dir() / "migrations");
  r = p.dbmig("migrate -m x --dry-run");
  EXPECT_EQ(r.out, "upgrade:\n  - add_column: {table: user, column: {name: email, type: string(120), nullable: true}}\n"
                   "downgrade:\n  - drop_column: {table: user, name: email, existing: {type: string(120), nullable: true}}\n");
  r = p.dbmig("--format json check");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.out, "{\"up_to_date\": false, \"changes\": [\"added column 'user.email'\"], \"warnings\": [], \"data_warnings\": []}\n");
  EXPECT_EQ(snapshot(p.dir() / "migrations"), before);
  // revision --autogenerate is the same command.
  r = p.dbmig("revision --autogenerate -m 'add email' --rev-id r3");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(fs::exists(p.dir() / "migrations/versions/r3_add_email.yaml"));
  // Destructive changes are flagged.
  write_text(p.dir() / "models.yaml", "tables:\n  other:\n    columns:\n      id: {type: integer, primary_key: true}\n");
  ASSERT_EQ(p.dbmig("upgrade head").code, 0);
  r = p.dbmig("migrate -m drop --dry-run");
  EXPECT_NE(r.err.find("WARN  [dbmig] dropping table 'user' loses its data"), std::string::npos) << r.err;
  // --from-empty baselines against nothing, whatever the database holds.
  r = p.dbmig("migrate --from-empty -m baseline --dry-run");
  EXPECT_NE(r.out.find("create_table"), std::string::npos);
  EXPECT_EQ(r.out.find("drop_table"), r.out.find("drop_table:\n      name: other"));
}

TEST_P(DialectTest, DataSurvivesRenamesAndNewNotNullColumns) {
  Project p(GetParam());
  auto& db = p.db();
  write_text(p.dir() / "models.yaml", "tables:\n" USERS "      email: {type: string(120)}\n");
  ASSERT_EQ(p.dbmig("migrate -m v1 --rev-id v1").code, 0);
  ASSERT_EQ(p.dbmig("upgrade head").code, 0);
  db.query("INSERT INTO \"user\" (email) VALUES ('a@x'), ('b@x'), ('c@x')");
  write_text(p.dir() / "models.yaml", "tables:\n" USERS "      mail: {type: string(200), renamed_from: email}\n"
                                      "      active: {type: boolean, nullable: false, server_default: \"true\"}\n");
  ASSERT_EQ(p.dbmig("migrate -m v2 --rev-id v2").code, 0);
  auto r = p.dbmig("upgrade head");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(db.query("SELECT mail, active FROM \"user\" ORDER BY id"), db.pg() ? "a@x|t\nb@x|t\nc@x|t\n" : "a@x|1\nb@x|1\nc@x|1\n");
  ASSERT_EQ(p.dbmig("downgrade -1").code, 0);
  EXPECT_EQ(db.query("SELECT email FROM \"user\" ORDER BY id"), "a@x\nb@x\nc@x\n");
}
DBMIG_DIALECTS(DialectTest);

TEST_P(DialectTest, AHandMadeSchemaDescribedInModelsShowsNoDifference) {
  Project p(GetParam());
  auto& db = p.db();
  if (db.pg()) {
    db.query("CREATE TABLE users (id serial PRIMARY KEY, name varchar(80) NOT NULL, email varchar(120) UNIQUE, "
             "created_at timestamp DEFAULT now(), updated timestamptz DEFAULT CURRENT_TIMESTAMP, "
             "status varchar(20) NOT NULL DEFAULT 'new'::character varying, score numeric(10,2) DEFAULT 0, "
             "big bigint, flag boolean DEFAULT false); "
             "CREATE TABLE orders (id bigserial PRIMARY KEY, user_id integer NOT NULL REFERENCES users(id) ON DELETE CASCADE, "
             "note text, total double precision CHECK (total >= 0)); "
             "CREATE INDEX orders_user_idx ON orders (user_id); "
             "CREATE INDEX users_open_idx ON users (status) WHERE status <> 'done'");
  } else {
    db.query("CREATE TABLE users (id INTEGER PRIMARY KEY, name VARCHAR(80) NOT NULL, email varchar(120) UNIQUE, "
             "created_at DATETIME DEFAULT CURRENT_TIMESTAMP, updated DATETIME DEFAULT CURRENT_TIMESTAMP, "
             "status VARCHAR(20) NOT NULL DEFAULT 'new', score NUMERIC(10,2) DEFAULT 0, big BIGINT, flag BOOLEAN DEFAULT false); "
             "CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE, "
             "note TEXT, total FLOAT, CONSTRAINT orders_total_check CHECK (total >= 0)); "
             "CREATE INDEX orders_user_idx ON orders (user_id); "
             "CREATE INDEX users_open_idx ON users (status) WHERE status <> 'done'");
  }
  write_text(p.dir() / "models.yaml", std::string(R"Y(tables:
  users:
    columns:
      id: {type: integer, primary_key: true}
      name: {type: string(80), nullable: false}
      email: {type: string(120), unique: true}
      created_at: {type: datetime, server_default: CURRENT_TIMESTAMP}
      updated: {type: datetime(timezone), server_default: now()}
      status: {type: string(20), nullable: false, server_default: "'new'"}
      score: {type: "numeric(10,2)", server_default: "0"}
      big: {type: biginteger}
      flag: {type: boolean, server_default: "false"}
    indexes:
      users_open_idx: {columns: [status], where: "status <> 'done'"}
  orders:
    columns:
      id: {type: biginteger, primary_key: true}
      user_id: {type: integer, nullable: false, foreign_key: {references: users.id, on_delete: cascade}}
      note: {type: text}
      total: {type: double}
    indexes:
      orders_user_idx: {columns: [user_id]}
    checks:
      orders_total_check: "total >= 0"
)Y"));
  // SQLite's rowid key is INTEGER; biginteger would be a real difference there.
  if (!db.pg()) {
    auto text = read_text(p.dir() / "models.yaml");
    text.replace(text.find("id: {type: biginteger"), 21, "id: {type: integer   ");
    write_text(p.dir() / "models.yaml", text);
  }
  auto r = p.dbmig("check");
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_EQ(r.out, "No new upgrade operations detected.\n");
}

TEST_P(DialectTest, InspectorIssuesTheSameNumberOfStatementsFor10And1000Tables) {
  Project p(GetParam());
  auto& db = p.db();
  auto count = [&](size_t tables) {
    auto conn = dbmig::connect(dbmig::parse_url(db.url()));
    auto dialect = dbmig::make_dialect(db.pg() ? dbmig::DialectKind::postgresql : dbmig::DialectKind::sqlite);
    long before = conn->statements_issued();
    auto schema = dialect->inspect(*conn, {});
    EXPECT_EQ(schema.tables.size(), tables);
    EXPECT_EQ(schema.tables.back().indexes.size(), 1u);
    EXPECT_EQ(schema.tables.back().uniques.size(), 1u);
    EXPECT_EQ(schema.tables.back().foreign_keys.size(), 1u);
    EXPECT_EQ(schema.tables.back().checks.size(), 1u);
    return conn->statements_issued() - before;
  };
  create_numbered_tables(db, 0, 10);
  long small = count(10);
  for (int from = 10; from < 1000; from += 100) create_numbered_tables(db, from, std::min(from + 100, 1000));  // lock table limits
  long large = count(1000);
  EXPECT_EQ(small, large);
  EXPECT_LE(large, 6);
}

TEST_P(DialectTest, CheckVerboseListsWhatDbmigDoesNotManageAndLeavesItAlone) {
  Project p(GetParam());
  auto& db = p.db();
  write_text(p.dir() / "models.yaml", "tables:\n  item:\n    columns:\n      id: {type: integer, primary_key: true}\n"
                                      "      name: {type: text}\n");
  ASSERT_EQ(p.dbmig("migrate -m v1 --rev-id v1").code, 0);
  ASSERT_EQ(p.dbmig("upgrade head").code, 0);
  db.query("INSERT INTO item (id, name) VALUES (1, 'a'), (2, NULL)");
  db.query("CREATE VIEW item_names AS SELECT name FROM item");
  auto r = p.dbmig("check --verbose");
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_EQ(r.out, "No new upgrade operations detected.\nUnmanaged (models.yaml does not describe it; dbmig leaves it alone):\n"
                   "  - view item_names\n");
  r = p.dbmig("check");
  EXPECT_EQ(r.out, "No new upgrade operations detected.\n");
  r = p.dbmig("--format json check --verbose");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("\"unmanaged\": [{\"kind\": \"view\", \"name\": \"item_names\"}]"), std::string::npos) << r.out;
  EXPECT_EQ(db.query("SELECT count(*) FROM item_names"), "2\n");
}

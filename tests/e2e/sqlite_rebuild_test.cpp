// SQLite's table rebuild ("batch mode") keeps every row and every reference: 10,000 rows in a
// table that another table's foreign key points into, through each kind of rebuild.
#include "harness.hpp"

using namespace dbmig::test;

namespace {
struct Kind {
  const char* name;
  const char* upgrade;
  const char* downgrade;
};

const Kind kKinds[] = {
    {"alter_type", "- alter_column: {table: parent, name: code, type: string(40), existing_type: string(20)}",
     "- alter_column: {table: parent, name: code, type: string(20)}"},
    {"alter_nullable", "- alter_column: {table: parent, name: code, nullable: false, existing_nullable: true}",
     "- alter_column: {table: parent, name: code, nullable: true}"},
    {"alter_default", "- alter_column: {table: parent, name: code, server_default: \"'zz'\", existing_server_default: null}",
     "- alter_column: {table: parent, name: code, server_default: null}"},
    {"add_unique", "- create_unique_constraint: {table: parent, columns: [code]}",
     "- drop_constraint: {name: uq_parent_code, table: parent, type: unique}"},
    {"add_check", "- create_check_constraint: {name: ck_parent_code, table: parent, sql: \"length(code) > 0\"}",
     "- drop_constraint: {name: ck_parent_code, table: parent, type: check}"},
    {"add_foreign_key",
     "- create_foreign_key: {name: fk_parent_self, table: parent, columns: [buddy], ref_table: parent, ref_columns: [id]}",
     "- drop_constraint: {name: fk_parent_self, table: parent, type: foreignkey}"},
    {"drop_indexed_column", "- drop_column: {table: parent, name: extra, existing: {type: integer}}",
     "- add_column: {table: parent, column: {name: extra, type: integer}}\n- create_index: {name: ix_parent_extra, table: parent, columns: [extra]}"},
    {"rename_and_retype", "- alter_column: {table: parent, name: code, new_name: tag, type: text, existing_type: string(20)}",
     "- alter_column: {table: parent, name: tag, new_name: code, type: string(20)}"},
};
}  // namespace

TEST(SqliteRebuild, EveryKindKeepsAllRowsReferencesAndIndexes) {
  Project p("sqlite");
  auto& db = p.db();
  p.revision("base0", "", R"Y(upgrade:
  - create_table:
      name: parent
      columns:
        - {name: id, type: integer, primary_key: true}
        - {name: name, type: string(50), nullable: false}
        - {name: code, type: string(20)}
        - {name: buddy, type: integer}
        - {name: extra, type: integer}
  - create_index: {name: ix_parent_name, table: parent, columns: [name]}
  - create_index: {name: ix_parent_extra, table: parent, columns: [extra]}
  - create_table:
      name: child
      columns:
        - {name: id, type: integer, primary_key: true}
        - {name: parent_id, type: integer, nullable: false, foreign_key: parent.id}
downgrade:
  - drop_table: {name: child}
  - drop_table: {name: parent}
)Y");
  std::string prev = "base0";
  for (const auto& k : kKinds) {
    p.revision(k.name, "\"" + prev + "\"", std::string("upgrade:\n") + k.upgrade + "\ndowngrade:\n" + k.downgrade + "\n");
    prev = k.name;
  }
  ASSERT_EQ(p.dbmig("upgrade base0").code, 0);
  db.query("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000) "
           "INSERT INTO parent (id, name, code, buddy, extra) SELECT i, 'name' || i, 'c' || i, i, i FROM n; "
           "INSERT INTO child (id, parent_id) SELECT id, 10001 - id FROM parent;");
  const std::string fingerprint = "SELECT count(*), sum(id), sum(length(name)) FROM parent";
  const std::string expected = db.query(fingerprint);
  ASSERT_EQ(expected, "10000|50005000|78894\n");
  auto check = [&](const std::string& when) {
    EXPECT_EQ(db.query(fingerprint), expected) << when;
    EXPECT_EQ(db.query("SELECT count(*) FROM child c JOIN parent p ON p.id = c.parent_id"), "10000\n") << when;
    EXPECT_EQ(db.query("PRAGMA foreign_key_check"), "") << when;
    EXPECT_EQ(db.query("SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'ix_parent_name'"), "ix_parent_name\n")
        << when;
    EXPECT_EQ(db.query("SELECT count(*) FROM sqlite_master WHERE name LIKE '_dbmig_tmp%'"), "0\n") << when;
  };
  for (const auto& k : kKinds) {
    auto r = p.dbmig("upgrade +1");
    ASSERT_EQ(r.code, 0) << k.name << ": " << r.err;
    check(std::string("after upgrade ") + k.name);
  }
  EXPECT_EQ(db.query("SELECT count(*) FROM parent WHERE tag = 'c42'"), "1\n");
  EXPECT_EQ(db.query("SELECT type, \"notnull\", dflt_value FROM pragma_table_info('parent') WHERE name = 'tag'"), "TEXT|1|'zz'\n");
  EXPECT_EQ(db.query("SELECT count(*) FROM pragma_table_info('parent') WHERE name = 'extra'"), "0\n");
  for (int i = 0; i < 8; ++i) {
    auto r = p.dbmig("downgrade -1");
    ASSERT_EQ(r.code, 0) << r.err;
    check("after downgrade " + std::to_string(i));
  }
  EXPECT_EQ(db.versions(), std::vector<std::string>{"base0"});
  EXPECT_EQ(db.query("SELECT sql FROM sqlite_master WHERE name = 'ix_parent_extra'"),
            "CREATE INDEX \"ix_parent_extra\" ON \"parent\" (\"extra\")\n");
}

TEST(SqliteRebuild, AFailedRebuildLosesNothing) {
  Project p("sqlite");
  auto& db = p.db();
  p.revision("a1", "", "upgrade:\n  - create_table: {name: t, columns: [{name: id, type: integer, primary_key: true}, {name: v, type: text}]}\n"
                       "  - execute: \"INSERT INTO t (v) VALUES ('a'), (NULL)\"\ndowngrade: []\n");
  p.revision("b2", "\"a1\"", "upgrade:\n  - alter_column: {table: t, name: v, nullable: false}\ndowngrade: []\n");
  ASSERT_EQ(p.dbmig("upgrade a1").code, 0);
  auto before = db.catalog();
  auto r = p.dbmig("upgrade head");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("NOT NULL constraint failed"), std::string::npos) << r.err;
  EXPECT_EQ(db.catalog(), before);
  EXPECT_EQ(db.query("SELECT count(*) FROM t"), "2\n");
  EXPECT_EQ(db.versions(), std::vector<std::string>{"a1"});
}

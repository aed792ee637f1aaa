// Every lint rule: a revision that triggers it and one that does not, written both as ops and
// as the equivalent `execute` SQL (which must fire the same way).
#include <dbmig/lint/linter.hpp>
#include <dbmig/lint/report.hpp>
#include <dbmig/util/error.hpp>
#include <gtest/gtest.h>

#include <algorithm>

using namespace dbmig;
using namespace dbmig::lint;

namespace {

std::string revision(const std::string& upgrade, const std::string& top = "") {
  return "revision: a1\ndown_revision: null\n" + top + "upgrade:\n" + upgrade + "downgrade: []\n";
}

std::vector<Finding> lint_upgrade(const std::string& upgrade, const std::string& top = "", LintOptions options = {}) {
  Linter linter(options, {});
  return linter.lint_text(revision(upgrade, top), "versions/a1_test.yaml");
}

std::vector<std::string> rules_of(const std::vector<Finding>& findings) {
  std::vector<std::string> out;
  for (const auto& f : findings) out.push_back(f.rule);
  return out;
}

bool fires(const std::string& rule, const std::string& upgrade, const std::string& top = "", LintOptions options = {}) {
  auto ids = rules_of(lint_upgrade(upgrade, top, options));
  return std::count(ids.begin(), ids.end(), rule) > 0;
}

std::string exec(const std::string& sql) { return "  - execute: \"" + sql + "\"\n"; }
const std::string kNoTx = "transactional: false\n";

}  // namespace

TEST(LintRules, IndexNotConcurrent) {
  EXPECT_TRUE(fires("index-not-concurrent", "  - create_index: {name: ix_a, table: t, columns: [a]}\n"));
  EXPECT_TRUE(fires("index-not-concurrent", exec("CREATE INDEX ix_a ON t (a)")));
  EXPECT_FALSE(fires("index-not-concurrent", "  - create_index: {name: ix_a, table: t, columns: [a], concurrently: true}\n", kNoTx));
  EXPECT_FALSE(fires("index-not-concurrent", exec("CREATE INDEX CONCURRENTLY ix_a ON t (a)"), kNoTx));
  // A table created in the same revision is empty: nothing to block.
  EXPECT_FALSE(fires("index-not-concurrent",
                     "  - create_table: {name: t, columns: [{name: a, type: integer}]}\n"
                     "  - create_index: {name: ix_a, table: t, columns: [a]}\n"));
  EXPECT_FALSE(fires("index-not-concurrent", exec("CREATE TABLE t (a int); CREATE INDEX ix_a ON t (a)")));
}

TEST(LintRules, ConcurrentlyInTransaction) {
  // The ops with concurrently: true run outside the revision's transaction by themselves.
  EXPECT_FALSE(fires("concurrently-in-transaction", "  - create_index: {name: ix_a, table: t, columns: [a], concurrently: true}\n"));
  EXPECT_FALSE(fires("concurrently-in-transaction", "  - drop_index: {name: ix_a, table: t, concurrently: true}\n"));
  EXPECT_TRUE(fires("concurrently-in-transaction", exec("CREATE INDEX CONCURRENTLY ix_a ON t (a)")));
  EXPECT_TRUE(fires("concurrently-in-transaction", exec("DROP INDEX CONCURRENTLY ix_a")));
  EXPECT_FALSE(fires("concurrently-in-transaction", "  - create_index: {name: ix_a, table: t, columns: [a], concurrently: true}\n", kNoTx));
  EXPECT_FALSE(fires("concurrently-in-transaction", exec("CREATE INDEX CONCURRENTLY ix_a ON t (a)"), kNoTx));
}

TEST(LintRules, DropIndexNotConcurrent) {
  EXPECT_TRUE(fires("drop-index-not-concurrent", "  - drop_index: {name: ix_a, table: t}\n"));
  EXPECT_TRUE(fires("drop-index-not-concurrent", exec("DROP INDEX ix_a")));
  EXPECT_FALSE(fires("drop-index-not-concurrent", "  - drop_index: {name: ix_a, table: t, concurrently: true}\n", kNoTx));
  EXPECT_FALSE(fires("drop-index-not-concurrent", exec("DROP INDEX CONCURRENTLY ix_a"), kNoTx));
}

TEST(LintRules, ConstraintNotValid) {
  const std::string fk = "  - create_foreign_key: {name: fk_a, table: t, columns: [a], ref_table: u, ref_columns: [id]";
  const std::string ck = "  - create_check_constraint: {name: ck_a, table: t, sql: a > 0";
  EXPECT_TRUE(fires("constraint-not-valid", fk + "}\n"));
  EXPECT_TRUE(fires("constraint-not-valid", ck + "}\n"));
  EXPECT_TRUE(fires("constraint-not-valid", exec("ALTER TABLE t ADD CONSTRAINT fk_a FOREIGN KEY (a) REFERENCES u (id)")));
  EXPECT_TRUE(fires("constraint-not-valid", exec("ALTER TABLE t ADD CONSTRAINT ck_a CHECK (a > 0)")));
  EXPECT_FALSE(fires("constraint-not-valid", fk + ", not_valid: true}\n"));
  EXPECT_FALSE(fires("constraint-not-valid", ck + ", not_valid: true}\n"));
  EXPECT_FALSE(fires("constraint-not-valid", exec("ALTER TABLE t ADD CONSTRAINT fk_a FOREIGN KEY (a) REFERENCES u (id) NOT VALID")));
  EXPECT_FALSE(fires("constraint-not-valid", exec("ALTER TABLE t ADD CONSTRAINT ck_a CHECK (a > 0) NOT VALID")));
  auto f = lint_upgrade(fk + "}\n");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0].lock.find("SHARE ROW EXCLUSIVE on \"t\" and \"u\""), std::string::npos) << f[0].lock;
}

TEST(LintRules, ValidateSameTransaction) {
  const std::string add = exec("ALTER TABLE t ADD CONSTRAINT ck_a CHECK (a > 0) NOT VALID");
  const std::string validate = exec("ALTER TABLE t VALIDATE CONSTRAINT ck_a");
  EXPECT_TRUE(fires("validate-same-transaction", add + validate));
  EXPECT_FALSE(fires("validate-same-transaction", validate));  // added by an earlier revision
  // The validate_constraint op runs in a transaction of its own.
  EXPECT_FALSE(fires("validate-same-transaction",
                     "  - create_check_constraint: {name: ck_a, table: t, sql: a > 0, not_valid: true}\n"
                     "  - validate_constraint: {name: ck_a, table: t}\n"));
  EXPECT_FALSE(fires("validate-same-transaction", add + "  - validate_constraint: {name: ck_a, table: t}\n"));
}

TEST(LintRules, SetNotNullScan) {
  EXPECT_TRUE(fires("set-not-null-scan", "  - alter_column: {table: t, name: a, nullable: false, existing_nullable: true}\n"));
  EXPECT_TRUE(fires("set-not-null-scan", exec("ALTER TABLE t ALTER COLUMN a SET NOT NULL")));
  EXPECT_FALSE(fires("set-not-null-scan", "  - alter_column: {table: t, name: a, nullable: true}\n"));
  EXPECT_FALSE(fires("set-not-null-scan", exec("ALTER TABLE t ALTER COLUMN a DROP NOT NULL")));
  // After a validated "a IS NOT NULL" check, PostgreSQL 12+ skips the scan.
  Linter linter({}, {});
  auto first = linter.lint_text(revision("  - create_check_constraint: {name: ck_nn, table: t, sql: a IS NOT NULL, not_valid: true}\n"), "v/1.yaml");
  auto second = linter.lint_text(revision(exec("ALTER TABLE t VALIDATE CONSTRAINT ck_nn")), "v/2.yaml");
  auto third = linter.lint_text(revision("  - alter_column: {table: t, name: a, nullable: false}\n"), "v/3.yaml");
  EXPECT_TRUE(first.empty());
  EXPECT_TRUE(second.empty());
  EXPECT_TRUE(third.empty()) << format_findings(third, Format::text);
}

TEST(LintRules, VolatileDefault) {
  EXPECT_TRUE(fires("volatile-default", "  - add_column: {table: t, column: {name: u, type: uuid, server_default: gen_random_uuid()}}\n"));
  EXPECT_TRUE(fires("volatile-default", exec("ALTER TABLE t ADD COLUMN u uuid DEFAULT gen_random_uuid()")));
  EXPECT_TRUE(fires("volatile-default", exec("ALTER TABLE t ADD COLUMN n bigserial")));
  // Constant and stable defaults do not rewrite since PostgreSQL 11.
  EXPECT_FALSE(fires("volatile-default", "  - add_column: {table: t, column: {name: s, type: text, server_default: \"'new'\"}}\n"));
  EXPECT_FALSE(fires("volatile-default", "  - add_column: {table: t, column: {name: c, type: datetime, server_default: now()}}\n"));
  EXPECT_FALSE(fires("volatile-default", exec("ALTER TABLE t ADD COLUMN s text DEFAULT 'new'")));
  EXPECT_FALSE(fires("volatile-default", exec("ALTER TABLE t ADD COLUMN c timestamp DEFAULT CURRENT_TIMESTAMP")));
}

TEST(LintRules, NotNullWithoutDefault) {
  EXPECT_TRUE(fires("not-null-without-default", "  - add_column: {table: t, column: {name: n, type: integer, nullable: false}}\n"));
  EXPECT_TRUE(fires("not-null-without-default", exec("ALTER TABLE t ADD COLUMN n int NOT NULL")));
  EXPECT_FALSE(fires("not-null-without-default", "  - add_column: {table: t, column: {name: n, type: integer, nullable: false, server_default: '0'}}\n"));
  EXPECT_FALSE(fires("not-null-without-default", exec("ALTER TABLE t ADD COLUMN n int NOT NULL DEFAULT 0")));
}

TEST(LintRules, TypeChangeRewrite) {
  EXPECT_TRUE(fires("type-change-rewrite", "  - alter_column: {table: t, name: a, type: biginteger, existing_type: integer}\n"));
  EXPECT_TRUE(fires("type-change-rewrite", exec("CREATE TABLE t2 (a int); ") + exec("ALTER TABLE t ALTER COLUMN a TYPE bigint")));
  EXPECT_TRUE(fires("type-change-rewrite", "  - alter_column: {table: t, name: a, type: string(10), existing_type: string(20)}\n"));
  // Widening a varchar, or to text, does not rewrite; the type before comes from the op or from
  // an earlier revision's SQL.
  EXPECT_FALSE(fires("type-change-rewrite", "  - alter_column: {table: t, name: a, type: string(40), existing_type: string(20)}\n"));
  EXPECT_FALSE(fires("type-change-rewrite", "  - alter_column: {table: t, name: a, type: text, existing_type: string(20)}\n"));
  Linter linter({}, {});
  linter.lint_text(revision(exec("CREATE TABLE t (a varchar(20))")), "v/1.yaml");
  EXPECT_TRUE(linter.lint_text(revision(exec("ALTER TABLE t ALTER COLUMN a TYPE varchar(40)")), "v/2.yaml").empty());
  EXPECT_TRUE(linter.lint_text(revision(exec("ALTER TABLE t ALTER COLUMN a TYPE text")), "v/3.yaml").empty());
  EXPECT_EQ(rules_of(linter.lint_text(revision(exec("ALTER TABLE t ALTER COLUMN a TYPE integer USING a::integer")), "v/4.yaml")),
            std::vector<std::string>{"type-change-rewrite"});
}

TEST(LintRules, UniqueNotUsingIndex) {
  EXPECT_TRUE(fires("unique-not-using-index", "  - create_unique_constraint: {name: uq_a, table: t, columns: [a]}\n"));
  EXPECT_TRUE(fires("unique-not-using-index", exec("ALTER TABLE t ADD CONSTRAINT uq_a UNIQUE (a)")));
  EXPECT_TRUE(fires("unique-not-using-index", "  - create_primary_key: {name: pk_t, table: t, columns: [a]}\n"));
  EXPECT_FALSE(fires("unique-not-using-index", exec("ALTER TABLE t ADD CONSTRAINT uq_a UNIQUE USING INDEX ix_a")));
  EXPECT_FALSE(fires("unique-not-using-index",
                     "  - create_table: {name: t, columns: [{name: a, type: integer}]}\n"
                     "  - create_unique_constraint: {name: uq_a, table: t, columns: [a]}\n"));
}

TEST(LintRules, RenameBreaksCode) {
  EXPECT_TRUE(fires("rename-breaks-code", "  - rename_table: {name: t, new_name: u}\n"));
  EXPECT_TRUE(fires("rename-breaks-code", "  - alter_column: {table: t, name: a, new_name: b}\n"));
  EXPECT_TRUE(fires("rename-breaks-code", exec("ALTER TABLE t RENAME TO u")));
  EXPECT_TRUE(fires("rename-breaks-code", exec("ALTER TABLE t RENAME COLUMN a TO b")));
  EXPECT_FALSE(fires("rename-breaks-code", "  - add_column: {table: t, column: {name: b, type: integer}}\n"));
  EXPECT_FALSE(fires("rename-breaks-code", exec("ALTER TABLE t ADD COLUMN b int")));
}

TEST(LintRules, DropBreaksCode) {
  EXPECT_TRUE(fires("drop-breaks-code", "  - drop_table: {name: t}\n"));
  EXPECT_TRUE(fires("drop-breaks-code", "  - drop_column: {table: t, name: a}\n"));
  EXPECT_TRUE(fires("drop-breaks-code", exec("DROP TABLE t")));
  EXPECT_TRUE(fires("drop-breaks-code", exec("ALTER TABLE t DROP COLUMN a")));
  EXPECT_FALSE(fires("drop-breaks-code", "  - drop_index: {name: ix_a, table: t}\n"));
  EXPECT_FALSE(fires("drop-breaks-code", exec("DROP INDEX ix_a")));
}

TEST(LintRules, MissingLockTimeout) {
  LintOptions off;
  off.ddl_lock_timeout = false;  // dbmig.yaml lock_timeout: 0
  EXPECT_TRUE(fires("missing-lock-timeout", "  - add_column: {table: t, column: {name: b, type: integer}}\n", "", off));
  EXPECT_TRUE(fires("missing-lock-timeout", exec("ALTER TABLE t ADD COLUMN b int"), "", off));
  EXPECT_TRUE(fires("missing-lock-timeout", exec("SET LOCAL lock_timeout = 0") + exec("ALTER TABLE t ADD COLUMN b int")));
  EXPECT_FALSE(fires("missing-lock-timeout", exec("SET LOCAL lock_timeout = '2s'") + exec("ALTER TABLE t ADD COLUMN b int"), "", off));
  EXPECT_FALSE(fires("missing-lock-timeout", "  - add_column: {table: t, column: {name: b, type: integer}}\n"));
  EXPECT_FALSE(fires("missing-lock-timeout", exec("UPDATE t SET a = 1"), "", off));
}

TEST(LintRules, SqlSyntax) {
  EXPECT_TRUE(fires("sql-syntax", exec("UPDATE t SET WHERE")));
  EXPECT_FALSE(fires("sql-syntax", exec("UPDATE t SET a = 1 WHERE b IS NULL")));
  EXPECT_FALSE(fires("sql-syntax", "  - execute: {sqlite: \"UPDATE t SET WHERE\"}\n"));  // not PostgreSQL's
}

TEST(LintRules, SqliteTableRebuild) {
  LintOptions sqlite;
  sqlite.dialect = DialectKind::sqlite;
  EXPECT_TRUE(fires("sqlite-table-rebuild", "  - alter_column: {table: t, name: a, type: text, existing_type: integer}\n", "", sqlite));
  EXPECT_TRUE(fires("sqlite-table-rebuild", "  - create_unique_constraint: {name: uq_a, table: t, columns: [a]}\n", "", sqlite));
  EXPECT_FALSE(fires("sqlite-table-rebuild", "  - add_column: {table: t, column: {name: b, type: integer}}\n", "", sqlite));
  EXPECT_FALSE(fires("sqlite-table-rebuild",
                     "  - create_table: {name: t, columns: [{name: a, type: integer}]}\n"
                     "  - create_unique_constraint: {name: uq_a, table: t, columns: [a]}\n", "", sqlite));
  // PostgreSQL-only rules stay quiet on SQLite.
  EXPECT_EQ(rules_of(lint_upgrade("  - create_index: {name: ix_a, table: t, columns: [a]}\n", "", sqlite)), std::vector<std::string>{});
}

TEST(LintIgnore, PerOpAndPerRevision) {
  const std::string two = "  - create_index: {name: ix_a, table: t, columns: [a], lint_ignore: [index-not-concurrent]}\n"
                          "  - create_index: {name: ix_b, table: t, columns: [b]}\n";
  auto f = lint_upgrade(two);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0].op.find("ix_b"), std::string::npos);
  EXPECT_EQ(f[0].line, 5);  // 1-based line of the op in the file
  EXPECT_TRUE(lint_upgrade(two, "lint_ignore: [index-not-concurrent]\n").empty());
  EXPECT_TRUE(lint_upgrade("  - execute: {sql: \"DROP TABLE t\", lint_ignore: [drop-breaks-code]}\n").empty());
}

TEST(LintIgnore, UnknownRuleIsAnErrorWithFileAndLine) {
  try {
    lint_upgrade("  - drop_table: {name: t, lint_ignore: [no-such-rule]}\n");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("versions/a1_test.yaml:4"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("no-such-rule"), std::string::npos) << e.what();
  }
}

TEST(LintReport, JsonAndGithub) {
  auto f = lint_upgrade("  - create_index: {name: ix_a, table: t, columns: [a]}\n");
  auto json = format_findings(f, Format::json);
  EXPECT_EQ(json.rfind("{\"findings\": [{\"rule\": \"index-not-concurrent\", \"level\": \"error\", \"revision\": \"a1\", \"op\": ", 0), 0u) << json;
  for (const char* key : {"\"message\": ", "\"lock\": ", "\"safe\": "}) EXPECT_NE(json.find(key), std::string::npos) << key;
  auto gh = format_findings(f, Format::github);
  EXPECT_EQ(gh.rfind("::error file=versions/a1_test.yaml,line=4,title=dbmig lint index-not-concurrent (a1)::", 0), 0u) << gh;
  EXPECT_EQ(std::count(gh.begin(), gh.end(), '\n'), 1);
  EXPECT_TRUE(has_errors(f));
  EXPECT_EQ(summary(f, 1), "1 error, 0 warnings in 1 revision");
}

TEST(LintTypes, Normalisation) {
  EXPECT_EQ(normal_type("string(80)"), "varchar(80)");
  EXPECT_EQ(normal_type("character varying (80)"), "varchar(80)");
  EXPECT_EQ(normal_type("numeric(10, 2)"), "numeric(10,2)");
  EXPECT_FALSE(type_change_rewrites("varchar(20)", "varchar(30)"));
  EXPECT_FALSE(type_change_rewrites("string", "text"));
  EXPECT_FALSE(type_change_rewrites("numeric(10,2)", "numeric(12,2)"));
  EXPECT_TRUE(type_change_rewrites("numeric(10,2)", "numeric(12,3)"));
  EXPECT_TRUE(type_change_rewrites("integer", "text"));
  EXPECT_TRUE(type_change_rewrites("datetime", "datetime(timezone)"));
}

// Online forms (SPEC 7.5): what migrate --online writes for an existing table, how the
// PostgreSQL dialect splits a revision into phases, and the new ops' YAML and inverses.
#include <dbmig/autogenerate/online_forms.hpp>
#include <dbmig/revisions/op_yaml.hpp>
#include <gtest/gtest.h>

using namespace dbmig;

namespace {
std::vector<Op> ops(const std::string& yaml) {
  YamlContext ctx{"test.yaml"};
  return parse_ops(ctx, load_yaml(yaml, "test.yaml").root(), "upgrade", NamingConvention{});
}
std::string online(DialectKind kind, const std::string& yaml) { return ops_yaml(online_forms(ops(yaml), *make_dialect(kind))); }
std::string phases(const std::string& yaml) {
  std::string out;
  for (const auto& p : make_dialect(DialectKind::postgresql)->phases(ops(yaml))) {
    out += p.kind == Phase::Kind::transaction ? "tx:" : "outside:";
    for (size_t i = 0; i < p.ops.size(); ++i) out += " " + std::to_string(p.numbers[i]) + "=" + describe(p.ops[i]);
    out += "\n";
  }
  return out;
}
}  // namespace

TEST(OnlineForms, IndexesAndConstraintsOnExistingTables) {
  const char* plain = R"Y(
- create_index: {name: ix_user_email, table: user, columns: [email]}
- drop_index: {name: ix_user_old, table: user, columns: [old]}
- create_unique_constraint: {name: null, table: user, columns: [code]}
- create_foreign_key: {name: null, table: user, columns: [team_id], ref_table: team, ref_columns: [id]}
- create_check_constraint: {name: ck_user_age, table: user, sql: "age >= 0"}
)Y";
  EXPECT_EQ(online(DialectKind::postgresql, plain),
            "\n  - create_index: {name: ix_user_email, table: user, columns: [email], concurrently: true}"
            "\n  - drop_index: {name: ix_user_old, table: user, columns: [old], concurrently: true}"
            "\n  - create_unique_constraint: {name: user_code_key, table: user, columns: [code], concurrently: true}"
            "\n  - create_foreign_key: {name: user_team_id_fkey, table: user, columns: [team_id], ref_table: team, ref_columns: [id], not_valid: true}"
            "\n  - validate_constraint: {name: user_team_id_fkey, table: user}"
            "\n  - create_check_constraint: {name: ck_user_age, table: user, sql: \"age >= 0\", not_valid: true}"
            "\n  - validate_constraint: {name: ck_user_age, table: user}\n");
  // SQLite has no online forms: the ops stay as they are.
  EXPECT_EQ(online(DialectKind::sqlite, plain), ops_yaml(ops(plain)));
}

TEST(OnlineForms, NewTablesKeepThePlainForms) {
  const char* plain = R"Y(
- create_table: {name: team, columns: [{name: id, type: integer, primary_key: true}, {name: n, type: text}]}
- create_index: {name: ix_team_n, table: team, columns: [n]}
- create_check_constraint: {name: ck_team_n, table: team, sql: "n <> ''"}
)Y";
  EXPECT_EQ(online(DialectKind::postgresql, plain), ops_yaml(ops(plain)));
}

TEST(OnlineForms, SetNotNullGoesThroughAValidatedCheck) {
  EXPECT_EQ(online(DialectKind::postgresql,
                   "- alter_column: {table: user, name: email, nullable: false, existing_type: text, existing_nullable: true, "
                   "existing_server_default: \"'none'\"}\n"),
            "\n  - backfill: {table: user, column: email, value: \"'none'\"}"
            "\n  - create_check_constraint: {name: user_email_not_null_check, table: user, sql: \"\\\"email\\\" IS NOT NULL\", not_valid: true}"
            "\n  - validate_constraint: {name: user_email_not_null_check, table: user}"
            "\n  - alter_column: {table: user, name: email, nullable: false, existing_type: text, existing_nullable: true, "
            "existing_server_default: \"'none'\"}"
            "\n  - drop_constraint: {name: user_email_not_null_check, table: user, type: check, sql: \"\\\"email\\\" IS NOT NULL\"}\n");
  // Without a default there is nothing to fill with: no backfill (the data checks warn before).
  auto out = online(DialectKind::postgresql, "- alter_column: {table: user, name: email, nullable: false, existing_nullable: true}\n");
  EXPECT_EQ(out.find("backfill"), std::string::npos) << out;
  EXPECT_NE(out.find("validate_constraint"), std::string::npos) << out;
  // Already NOT NULL, or made nullable: unchanged.
  const char* other = "- alter_column: {table: user, name: email, nullable: true, existing_nullable: false}\n";
  EXPECT_EQ(online(DialectKind::postgresql, other), ops_yaml(ops(other)));
}

TEST(OnlineForms, AVolatileDefaultIsAddedBareSetAndBackfilled) {
  EXPECT_EQ(online(DialectKind::postgresql,
                   "- add_column: {table: user, column: {name: token, type: uuid, server_default: gen_random_uuid()}}\n"),
            "\n  - add_column: {table: user, column: {name: token, type: uuid, nullable: true}}"
            "\n  - alter_column: {table: user, name: token, server_default: gen_random_uuid(), existing_type: uuid, "
            "existing_nullable: true, existing_server_default: null}"
            "\n  - backfill: {table: user, column: token, value: gen_random_uuid()}\n");
  // A constant or stable default does not rewrite since PostgreSQL 11: unchanged.
  const char* stable = "- add_column: {table: user, column: {name: at, type: datetime, nullable: false, server_default: now()}}\n";
  EXPECT_EQ(online(DialectKind::postgresql, stable), ops_yaml(ops(stable)));
}

TEST(OnlineForms, DowngradesLeaveOutWhatUndoesNothing) {
  auto up = online_forms(ops("- create_foreign_key: {name: fk_a, table: a, columns: [b_id], ref_table: b, ref_columns: [id]}\n"
                             "- create_index: {name: ix_a, table: a, columns: [x]}\n"),
                         *make_dialect(DialectKind::postgresql));
  EXPECT_EQ(ops_yaml(reverse_all(up)),
            "\n  - drop_index: {name: ix_a, table: a, columns: [x], concurrently: true}"
            "\n  - drop_constraint: {name: fk_a, table: a, type: foreignkey, columns: [b_id], ref_table: b, ref_columns: [id]}\n");
}

TEST(OnlineForms, NewOpsReadBackTheSameAndCheckTheirKeys) {
  const char* text = "\n  - validate_constraint: {name: fk_a, table: a}"
                     "\n  - backfill: {table: a, column: c, value: \"0\", batch_size: 500}"
                     "\n  - create_unique_constraint: {name: uq_a, table: a, columns: [c], concurrently: true}\n";
  std::string yaml;
  for (const auto& line : {"- validate_constraint: {name: fk_a, table: a}\n", "- backfill: {table: a, column: c, value: \"0\", batch_size: 500}\n",
                           "- create_unique_constraint: {name: uq_a, table: a, columns: [c], concurrently: true}\n"})
    yaml += line;
  EXPECT_EQ(ops_yaml(ops(yaml)), text);
  for (const char* bad : {"- backfill: {table: a, column: c, value: x, batch_size: 0}\n", "- validate_constraint: {table: a}\n",
                          "- create_unique_constraint: {name: null, table: a, columns: [c], concurrently: true}\n"}) {
    try {
      ops(bad);
      ADD_FAILURE() << "no error for " << bad;
    } catch (const Error& e) {
      EXPECT_EQ(std::string(e.what()).rfind("test.yaml:1", 0), 0u) << e.what();
    }
  }
}

TEST(OnlinePhases, PostgresSplitsWhatCannotShareTheTransaction) {
  EXPECT_EQ(phases(R"Y(
- add_column: {table: a, column: {name: c, type: integer}}
- create_index: {name: ix_a_c, table: a, columns: [c], concurrently: true}
- create_foreign_key: {name: fk_a, table: a, columns: [b_id], ref_table: b, ref_columns: [id], not_valid: true}
- create_check_constraint: {name: ck_a, table: a, sql: "c > 0", not_valid: true}
- validate_constraint: {name: fk_a, table: a}
- validate_constraint: {name: ck_a, table: a}
- create_unique_constraint: {name: uq_a, table: a, columns: [c], concurrently: true}
- backfill: {table: a, column: c, value: "1"}
- alter_column: {table: a, name: c, nullable: false, existing_nullable: true}
)Y"),
            "tx: 0=add_column a.c\n"
            "outside: 1=create_index ix_a_c on a\n"
            "tx: 2=create_foreign_key fk_a on a 3=create_check_constraint ck_a on a\n"
            "tx: 4=validate_constraint fk_a on a\n"
            "tx: 5=validate_constraint ck_a on a\n"
            "outside: 6=create_index uq_a on a\n"
            "tx: 6=create_unique_constraint uq_a on a\n"
            "outside: 7=backfill a.c\n"
            "tx: 8=alter_column a.c\n");
  // A revision without online forms is one transaction.
  EXPECT_EQ(phases("- add_column: {table: a, column: {name: c, type: integer}}\n- create_index: {name: ix, table: a, columns: [c]}\n"),
            "tx: 0=add_column a.c 1=create_index ix on a\n");
}

TEST(OnlinePhases, RenderedSql) {
  auto d = make_dialect(DialectKind::postgresql);
  SchemaTracker tracker(Schema{});
  std::string out;
  for (const auto& p : d->phases(ops("- create_unique_constraint: {name: uq_a, table: a, columns: [c], concurrently: true}\n"
                                     "- validate_constraint: {name: fk_a, table: a}\n"
                                     "- backfill: {table: a, column: c, value: \"0\"}\n")))
    for (const auto& s : d->render(p.ops, tracker)) out += s.sql + ";\n";
  EXPECT_EQ(out,
            "CREATE UNIQUE INDEX CONCURRENTLY \"uq_a\" ON \"a\" (\"c\");\n"
            "ALTER TABLE \"a\" ADD CONSTRAINT \"uq_a\" UNIQUE USING INDEX \"uq_a\";\n"
            "ALTER TABLE \"a\" VALIDATE CONSTRAINT \"fk_a\";\n"
            "UPDATE \"a\" SET \"c\" = 0 WHERE \"c\" IS NULL;\n");
}

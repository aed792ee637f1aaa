// A corpus of malformed input: configuration, models, revision files, command lines, URLs,
// templates, permissions, failing SQL and a database that goes away. Each gives its exit code and
// one line "dbmig: error: ...", and leaves the files and the database exactly as they were.
#include "harness.hpp"

#include <unistd.h>

#include <functional>

using namespace dbmig::test;
namespace fs = std::filesystem;

namespace {

struct Case {
  const char* name;
  std::function<void(Project&)> setup;
  std::string args;
  int code;
  std::string message;  // part of the error line
  const char* dialect = "sqlite";
  bool as_nobody = false;  // run as an unprivileged user (permission cases; root can write anywhere)
};

void append(const fs::path& p, const std::string& text) { write_text(p, read_text(p) + text); }
void set(Project& p, const std::string& file, const std::string& text) { write_text(p.dir() / file, text); }
auto file(const std::string& f, const std::string& text) {
  return [f, text](Project& p) { set(p, f, text); };
}
auto config(const std::string& text) { return file("dbmig.yaml", text); }
auto models(const std::string& tables) { return file("models.yaml", "tables:\n" + tables); }
auto rev(const std::string& text) { return file("migrations/versions/zz_bad.yaml", text); }
auto nothing() {
  return [](Project&) {};
}
const std::string kRev = "revision: c3\ndown_revision: b2\n";
std::string op(const std::string& op) { return kRev + "upgrade:\n  - " + op + "\ndowngrade: []\n"; }
const std::string kT1 = "  t1:\n    columns:\n      id: {type: integer, primary_key: true}\n      v: {type: integer}\n";

std::vector<Case> cases() {
  return {
      // dbmig.yaml
      {"config_unknown_key", config("database_url: ${TEST_DATABASE_URL}\nscript_locaton: migrations\n"), "current", 1,
       "dbmig.yaml:2: unknown key 'script_locaton' in dbmig.yaml"},
      {"config_malformed", config("database_url: [\n"), "current", 1, "dbmig.yaml:2: invalid YAML"},
      {"config_unset_variable", config("database_url: ${NOT_SET_ANYWHERE}\n"), "current", 1,
       "dbmig.yaml: database_url: environment variable NOT_SET_ANYWHERE is not set"},
      {"config_unclosed_variable", config("database_url: ${TEST_DATABASE_URL\n"), "current", 1, "unclosed '${'"},
      {"config_bad_boolean", config("database_url: ${TEST_DATABASE_URL}\ntransaction_per_migration: maybe\n"), "current", 1,
       "dbmig.yaml:2: transaction_per_migration must be true or false"},
      {"config_empty_schemas", config("database_url: ${TEST_DATABASE_URL}\nschemas: []\n"), "current", 1,
       "dbmig.yaml:2: schemas must name at least one schema"},
      {"config_naming_key", config("database_url: ${TEST_DATABASE_URL}\nnaming_convention: {idx: x}\n"), "current", 1,
       "unknown naming_convention key 'idx'"},
      {"config_missing_script_folder", config("database_url: ${TEST_DATABASE_URL}\nscript_location: nowhere\n"), "heads", 1,
       "no versions folder at nowhere/versions"},
      {"config_file_missing", nothing(), "-c nope.yaml current", 1, "cannot read nope.yaml: no such file"},
      {"config_is_a_list", config("- a\n- b\n"), "current", 1, "dbmig.yaml:1: dbmig.yaml must be a mapping"},
      {"config_version_table_list", config("database_url: ${TEST_DATABASE_URL}\nversion_table: [a, b]\n"), "current", 1,
       "dbmig.yaml:2: version_table must be a text value"},
      {"config_duplicate_key", config("database_url: ${TEST_DATABASE_URL}\ndatabase_url: sqlite:///x.db\n"), "current", 1,
       "dbmig.yaml:2: duplicate key 'database_url'"},
      {"config_no_url", config("script_location: migrations\n"), "current", 1, "no database URL"},
      // models.yaml
      {"models_unknown_top_key", file("models.yaml", "tabels: {}\n"), "check", 1, "models.yaml:1: unknown key 'tabels'"},
      {"models_unknown_column_key", models("  t1:\n    columns:\n      id: {type: integer, primary_key: yes, colour: red}\n"), "check", 1,
       "models.yaml:4: unknown key 'colour' in column 'id' of table 't1'"},
      {"models_unknown_table_key", models("  t1:\n    colums: {}\n"), "check", 1, "models.yaml:3: unknown key 'colums' in table 't1'"},
      {"models_duplicate_column", models("  t1:\n    columns:\n      id: {type: integer}\n      id: {type: text}\n"), "check", 1,
       "models.yaml:5: duplicate key 'id' in columns of table 't1'"},
      {"models_unknown_type", models("  t1:\n    columns:\n      id: {type: intger}\n"), "check", 1,
       "models.yaml:4: unknown type 'intger' for column 't1.id'"},
      {"models_bad_type_argument", models("  t1:\n    columns:\n      id: {type: string(abc)}\n"), "check", 1,
       "models.yaml:4: invalid type 'string(abc)'"},
      {"models_comma_trap", models("  t1:\n    columns:\n      p: {type: numeric(10,2)}\n"), "check", 1,
       "quote the type, e.g. type: \"numeric(10,2)\""},
      {"models_fk_missing_table", models("  t1:\n    columns:\n      u: {type: integer, foreign_key: users.id}\n"), "check", 1,
       "foreign key to table 'users', which is not defined"},
      {"models_fk_missing_column", models(kT1 + "  t2:\n    columns:\n      u: {type: integer, foreign_key: t1.nope}\n"), "check", 1,
       "foreign key to column 't1.nope', which does not exist"},
      {"models_two_primary_keys", models("  t1:\n    columns:\n      id: {type: integer, primary_key: true}\n    primary_key: [id]\n"),
       "check", 1, "declares its primary key twice"},
      {"models_no_columns", models("  t1:\n    comment: x\n"), "check", 1, "models.yaml:3: table 't1' is missing the required key 'columns'"},
      {"models_index_unknown_column", models(kT1 + "    indexes:\n      ix: {columns: [zz]}\n"), "check", 1,
       "index 'ix' of table 't1' names unknown column 'zz'"},
      {"models_malformed", file("models.yaml", "tables:\n  t1: {columns: [\n"), "check", 1, "models.yaml:3: invalid YAML"},
      {"models_missing", [](Project& p) { fs::remove(p.dir() / "models.yaml"); }, "check", 1, "cannot read models.yaml: no such file"},
      {"models_bad_fk_action", models(kT1 + "  t2:\n    columns:\n      u: {type: integer, foreign_key: {references: t1.id, on_delete: explode}}\n"),
       "check", 1, "unknown foreign key action 'explode'"},
      {"models_nullable_not_boolean", models("  t1:\n    columns:\n      id: {type: integer, nullable: sometimes}\n"), "check", 1,
       "models.yaml:4: column 'id' of table 't1' nullable must be true or false"},
      {"models_check_not_text", models(kT1 + "    checks:\n      ck: [a]\n"), "check", 1, "check 'ck' must be a text value"},
      {"models_table_twice_in_folder",
       [](Project& p) {
         fs::remove(p.dir() / "models.yaml");
         set(p, "models/a.yaml", "tables:\n" + kT1);
         set(p, "models/b.yaml", "tables:\n" + kT1);
         set(p, "dbmig.yaml", "database_url: ${TEST_DATABASE_URL}\nmodels: models\n");
       },
       "check", 1, "table 't1' is defined twice"},
      {"models_primary_key_nullable", models("  t1:\n    columns:\n      id: {type: integer, primary_key: true, nullable: true}\n"), "check", 1,
       "is a primary key and cannot be nullable"},
      {"models_jsonb_on_sqlite", models("  t1:\n    columns:\n      id: {type: integer, primary_key: true}\n      v: {type: integer}\n      j: {type: jsonb}\n"),
       "migrate -m j", 1, "type jsonb is not supported on SQLite"},
      // revision files
      {"revision_malformed", rev(kRev + "upgrade: [\ndowngrade: []\n"), "heads", 1, "zz_bad.yaml:5: invalid YAML"},
      {"revision_unknown_key", rev(kRev + "colour: red\nupgrade: []\ndowngrade: []\n"), "heads", 1, "zz_bad.yaml:3: unknown key 'colour'"},
      {"revision_missing_revision", rev("down_revision: b2\nupgrade: []\ndowngrade: []\n"), "heads", 1, "missing the required key 'revision'"},
      {"revision_missing_down_revision", rev("revision: c3\nupgrade: []\ndowngrade: []\n"), "heads", 1,
       "missing the required key 'down_revision'"},
      {"revision_missing_upgrade", rev(kRev + "downgrade: []\n"), "heads", 1, "missing the required key 'upgrade'"},
      {"revision_duplicate_id", rev("revision: a1\ndown_revision: b2\nupgrade: []\ndowngrade: []\n"), "heads", 1, "duplicate revision id 'a1'"},
      {"revision_missing_parent", rev("revision: c3\ndown_revision: zz9\nupgrade: []\ndowngrade: []\n"), "heads", 1,
       "down_revision 'zz9' of revision c3 does not exist"},
      {"revision_cycle", file("migrations/versions/a1_rev.yaml", "revision: a1\ndown_revision: b2\nupgrade: []\ndowngrade: []\n"), "heads", 1,
       "the revision graph has a cycle"},
      {"revision_self_cycle", rev("revision: c3\ndown_revision: c3\nupgrade: []\ndowngrade: []\n"), "history", 1, "cycle: c3 -> c3"},
      {"revision_missing_dependency", rev(kRev + "depends_on: qq\nupgrade: []\ndowngrade: []\n"), "heads", 1, "depends_on 'qq'"},
      {"revision_duplicate_label", rev(kRev + "branch_labels: [x]\nupgrade: []\ndowngrade: []\n") , "heads", 0, ""},
      {"revision_unknown_op", rev(op("frobnicate: {table: t1}")), "heads", 1, "zz_bad.yaml:4: unknown operation 'frobnicate'"},
      {"revision_op_missing_key", rev(op("add_column: {table: t1}")), "heads", 1, "add_column is missing the required key 'column'"},
      {"revision_op_unknown_key", rev(op("drop_table: {name: t1, cascade: true}")), "heads", 1, "unknown key 'cascade' in drop_table"},
      {"revision_bad_constraint_type", rev(op("drop_constraint: {name: x, table: t1, type: index}")), "heads", 1,
       "drop_constraint type must be unique, foreignkey, check or primary"},
      {"revision_alter_nothing", rev(op("alter_column: {table: t1, name: v}")), "heads", 1, "alter_column t1.v changes nothing"},
      {"revision_columns_not_list", rev(op("create_table: {name: t9, columns: {id: {type: integer}}}")), "heads", 1,
       "columns must be a list of columns"},
      {"revision_id_with_space", rev("revision: c 3\ndown_revision: b2\nupgrade: []\ndowngrade: []\n"), "heads", 1,
       "'c 3' is not a valid revision id"},
      {"revision_not_a_mapping", rev("- a\n- b\n"), "heads", 1, "a revision file must be a mapping"},
      {"revision_empty_execute", rev(op("execute: {}")), "heads", 1, "execute needs sql, or postgresql and/or sqlite"},
      {"revision_duplicate_column", rev(op("create_table: {name: t9, columns: [{name: a, type: integer}, {name: a, type: text}]}")), "heads", 1,
       "column 'a' appears twice"},
      {"revision_fk_column_count", rev(op("create_foreign_key: {table: t1, columns: [v], ref_table: t1, ref_columns: [id, v]}")), "heads", 1,
       "columns and ref_columns differ in number"},
      {"revision_ops_not_list", rev(kRev + "upgrade: {add_column: {}}\ndowngrade: []\n"), "heads", 1, "upgrade must be a list of operations"},
      {"revision_two_ops_in_one_entry", rev(op("drop_table: {name: a}\n    drop_index: {name: b, table: c}")), "heads", 1,
       "must be one operation"},
      {"revision_transactional_text", rev(kRev + "transactional: sometimes\nupgrade: []\ndowngrade: []\n"), "heads", 1,
       "transactional must be true or false"},
      // command line
      {"cli_unknown_command", nothing(), "frobnicate", 2, "frobnicate"},
      {"cli_missing_message", nothing(), "revision", 2, "--message is required"},
      {"cli_unknown_option", nothing(), "upgrade --fast", 2, "--fast"},
      {"cli_bad_format", nothing(), "--format xml current", 2, "xml"},
      {"cli_range_without_sql", nothing(), "upgrade a1:b2", 2, "a range FROM:TO is only accepted with --sql"},
      {"cli_downgrade_sql_without_range", nothing(), "downgrade --sql", 2, "downgrade --sql needs a range FROM:TO"},
      {"cli_unknown_target", nothing(), "upgrade zz", 1, "Can't locate revision identified by 'zz'"},
      {"cli_ambiguous_prefix", rev("revision: b3\ndown_revision: a1\nupgrade: []\ndowngrade: []\n"), "stamp b", 1,
       "Revision prefix 'b' is ambiguous; it matches b2, b3"},
      {"cli_head_with_two_heads", rev("revision: c3\ndown_revision: a1\nupgrade: []\ndowngrade: []\n"), "upgrade head", 1,
       "Multiple head revisions are present (b2, c3)"},
      {"cli_relative_too_far", nothing(), "downgrade -5", 1, "Relative revision -5 didn't produce 5 migrations"},
      {"cli_stamp_without_target", nothing(), "stamp", 2, "TARGET is required"},
      {"cli_lock_timeout_not_number", nothing(), "upgrade --lock-timeout soon", 2, "soon"},
      {"cli_merge_one_revision", nothing(), "merge -m m b2", 1, "merge needs at least two distinct revisions"},
      {"cli_show_unknown", nothing(), "show nope", 1, "Can't locate revision identified by 'nope'"},
      {"cli_history_bad_range", nothing(), "history -r b2", 2, "history range must look like START:END"},
      {"cli_bad_rev_id", nothing(), "revision -m x --rev-id 'a b'", 2, "invalid revision id 'a b'"},
      {"cli_existing_rev_id", nothing(), "revision -m x --rev-id a1", 1, "revision id 'a1' already exists"},
      {"cli_head_not_a_head", nothing(), "revision -m x --head a1", 1, "Revision a1 is not a head revision; use --splice"},
      {"cli_autogenerate_with_splice", nothing(), "revision --autogenerate --splice -m x", 2, "--autogenerate takes -m"},
      // URLs
      {"url_unsupported_scheme", nothing(), "--url mysql://u:p@h/d current", 1, "unsupported database URL scheme 'mysql'"},
      {"url_no_scheme", nothing(), "--url app.db current", 1, "invalid database URL 'app.db'"},
      {"url_bad_port", nothing(), "--url postgresql://u@h:abc/d current", 1, "port 'abc' is not a number"},
      {"url_sqlite_without_path", nothing(), "--url sqlite:// current", 1, "use sqlite:///relative.db"},
      {"url_sqlite_missing_folder", nothing(), "--url sqlite:////no/such/dir/app.db stamp head", 1,
       "cannot open SQLite database '/no/such/dir/app.db'"},
      {"url_unreachable", nothing(), "--url postgresql://u:pw@127.0.0.1:1/d current", 1, "cannot connect to postgresql://u:***@127.0.0.1:1/d"},
      {"url_bad_query", nothing(), "--url 'postgresql://u@127.0.0.1:1/d?sslmode' current", 1, "query parameter 'sslmode' has no value"},
      {"url_unknown_libpq_option", nothing(), "--url 'postgresql://u@127.0.0.1:1/d?colour=red' current", 1, "invalid connection option"},
      // templates
      {"template_unknown_placeholder", [](Project& p) { append(p.dir() / "migrations/script.yaml.tmpl", "# ${author}\n"); },
       "revision -m x", 1, "script.yaml.tmpl:11: unknown placeholder '${author}'"},
      {"template_missing", [](Project& p) { fs::remove(p.dir() / "migrations/script.yaml.tmpl"); }, "revision -m x", 1,
       "cannot read migrations/script.yaml.tmpl"},
      {"template_invalid_yaml", [](Project& p) { append(p.dir() / "migrations/script.yaml.tmpl", "oops: [\n"); }, "revision -m x", 1,
       "produced an invalid revision file"},
      {"template_without_revision", file("migrations/script.yaml.tmpl", "down_revision: ${down_revision}\nupgrade: []\ndowngrade: []\n"),
       "revision -m x", 1, "must have the lines upgrade:${upgrades} and downgrade:${downgrades}"},
      {"template_without_revision_key", file("migrations/script.yaml.tmpl", "down_revision: ${down_revision}\nupgrade:${upgrades}\ndowngrade:${downgrades}\n"),
       "revision -m x", 1, "is missing the required key 'revision'"},
      // permissions and missing folders
      {"versions_read_only", nothing(), "revision -m x", 1, "cannot write migrations/versions/", "sqlite", true},
      {"versions_read_only_migrate", models(kT1 + "      w: {type: integer}\n"), "migrate -m x", 1, "cannot write migrations/versions/",
       "sqlite", true},
      {"versions_missing", [](Project& p) { fs::remove_all(p.dir() / "migrations/versions"); }, "revision -m x", 1,
       "no versions folder at migrations/versions"},
      {"models_unreadable", [](Project& p) { fs::permissions(p.dir() / "models.yaml", fs::perms::owner_read); }, "check", 1,
       "cannot read models.yaml", "sqlite", true},
      // failing SQL and a database that goes away
      {"sql_execute_fails", rev(op("execute: \"SELECT * FROM no_such_table\"")), "upgrade head", 1,
       "revision c3 (migrations/versions/zz_bad.yaml), upgrade op 1 execute: no such table: no_such_table"},
      {"sql_create_existing_table", rev(op("create_table: {name: t1, columns: [{name: id, type: integer}]}")), "upgrade head", 1,
       "table \"t1\" already exists"},
      {"sql_drop_missing_column", rev(op("drop_column: {table: t1, name: nope}")), "upgrade head", 1, "nope"},
      {"sql_fails_on_postgres", rev(op("add_column: {table: t1, column: {name: v, type: integer}}")), "upgrade head", 1,
       "column \"v\" of relation \"t1\" already exists", "postgresql"},
      {"postgres_goes_away", rev(op("execute: \"SELECT pg_terminate_backend(pg_backend_pid())\"")), "upgrade head", 1,
       "server closed the connection unexpectedly", "postgresql"},
      {"postgres_wrong_password",
       [](Project& p) {
         auto url = p.db().url();
         auto at = url.find('@');
         set(p, "dbmig.yaml", "database_url: " + url.substr(0, url.rfind(':', at) + 1) + "nope" + url.substr(at) + "\n");
       },
       "current", 1, "password authentication failed", "postgresql"},
  };
}

class BadInput : public ::testing::TestWithParam<size_t> {};

INSTANTIATE_TEST_SUITE_P(Corpus, BadInput, ::testing::Range<size_t>(0, cases().size()),
                         [](const auto& info) { return std::string(cases()[info.param].name); });

}  // namespace

TEST(BadInputCorpus, HasAtLeastEightyCases) { EXPECT_GE(cases().size(), 80u); }

TEST_P(BadInput, OneClearLineAndNothingChanged) {
  const Case c = cases()[GetParam()];
  Project p(c.dialect);
  p.revision("a1", "", "upgrade:\n  - create_table: {name: t1, columns: [{name: id, type: integer, primary_key: true}]}\n"
                       "downgrade:\n  - drop_table: {name: t1}\n");
  p.revision("b2", "\"a1\"", "upgrade:\n  - add_column: {table: t1, column: {name: v, type: integer}}\n"
                             "downgrade:\n  - drop_column: {table: t1, name: v}\n");
  write_text(p.dir() / "models.yaml", "tables:\n" + kT1);
  ASSERT_EQ(p.dbmig("upgrade head").code, 0);
  if (c.as_nobody && geteuid() == 0) sh("chmod -R a+rX " + shell_quote(p.dir().string()) + " && chmod a+w " + shell_quote(p.dir().string()));
  c.setup(p);
  // The SQLite file is compared through its catalog, not its bytes.
  auto project_files = [&] {
    auto all = snapshot(p.dir());
    all.erase("app.db");
    return all;
  };
  const auto files = project_files();
  const auto catalog = p.db().catalog();
  const auto versions = p.db().versions();

  Result r;
  if (c.as_nobody && geteuid() == 0) {
    r = sh("cd " + shell_quote(p.dir().string()) + " && runuser -u nobody -- " DBMIG_BINARY " --no-color " + c.args,
           {{"TEST_DATABASE_URL", p.db().url()}});
  } else {
    if (c.as_nobody) fs::permissions(p.dir() / "migrations/versions", fs::perms::owner_read | fs::perms::owner_exec);
    r = p.dbmig(c.args);
  }
  if (c.as_nobody && geteuid() != 0) fs::permissions(p.dir() / "migrations/versions", fs::perms::owner_all);

  EXPECT_EQ(r.code, c.code) << r.err;
  if (c.code != 0) {
    auto err = lines(r.err);
    ASSERT_FALSE(err.empty());
    EXPECT_EQ(err.back().rfind("dbmig: error: ", 0), 0u) << r.err;
    EXPECT_NE(err.back().find(c.message), std::string::npos) << "expected '" << c.message << "' in: " << r.err;
    // One error line; any other stderr lines are ordinary progress (INFO) lines, or upgrade's lint
    // findings about what it was about to run (a drop_column, say).
    for (size_t i = 0; i + 1 < err.size(); ++i)
      EXPECT_TRUE(err[i].rfind("INFO  [dbmig] ", 0) == 0 || err[i].rfind("WARN  [dbmig] lint ", 0) == 0) << r.err;
    EXPECT_EQ(r.out.find("terminate"), std::string::npos);
  }
  EXPECT_TRUE(project_files() == files) << "files changed";
  EXPECT_EQ(p.db().catalog(), catalog) << "the database changed";
  EXPECT_EQ(p.db().versions(), versions);
}

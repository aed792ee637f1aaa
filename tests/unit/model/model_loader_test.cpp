#include <dbmig/util/error.hpp>
#include <dbmig/model/model_loader.hpp>
#include <gtest/gtest.h>

#include <fstream>
#include <thread>

using namespace dbmig;

namespace {
Schema load(const std::string& yaml) { return parse_models(yaml, "models.yaml", NamingConvention{}); }
std::string error_of(const std::string& yaml) {
  try {
    load(yaml);
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}
}  // namespace

TEST(ModelLoader, ReadsTheSpecExample) {
  auto s = load(R"Y(
tables:
  user:
    columns:
      id:         {type: integer, primary_key: true}
      username:   {type: string(80), unique: true, nullable: false, index: true}
      created_at: {type: datetime, server_default: CURRENT_TIMESTAMP}
  order:
    columns:
      id:           {type: integer, primary_key: true}
      user_id:      {type: integer, nullable: false, foreign_key: {references: user.id, on_delete: cascade}}
      total_amount: {type: "numeric(10,2)", nullable: false}
    indexes:
      ix_order_total: {columns: [total_amount], where: "total_amount > 0"}
    checks:
      ck_order_total_positive: "total_amount >= 0"
  membership:
    columns:
      user_id: {type: integer}
      group_id: {type: integer}
    primary_key: [user_id, group_id]
    unique: [{columns: [group_id, user_id], name: uq_membership_pair}]
    foreign_keys: [{columns: [user_id], references: "user(id)", name: fk_member_user}]
)Y");
  ASSERT_EQ(s.tables.size(), 3u);
  const Table& user = *s.table("user");
  EXPECT_TRUE(user.column("id")->autoincrement);
  EXPECT_FALSE(user.column("id")->nullable);
  EXPECT_EQ(user.primary_key_name, "pk_user");
  ASSERT_EQ(user.uniques.size(), 1u);
  EXPECT_EQ(user.uniques[0].name, "uq_user_username");
  EXPECT_FALSE(user.uniques[0].name_given);
  EXPECT_EQ(user.indexes[0].name, "ix_user_username");
  const Table& order = *s.table("order");
  EXPECT_EQ(order.foreign_keys[0].name, "fk_order_user_id_user");
  EXPECT_EQ(order.foreign_keys[0].on_delete, "CASCADE");
  EXPECT_EQ(order.checks[0].name, "ck_order_total_positive");
  EXPECT_EQ(order.indexes[0].where, "total_amount > 0");
  const Table& m = *s.table("membership");
  EXPECT_EQ(m.primary_key, (std::vector<std::string>{"user_id", "group_id"}));
  EXPECT_FALSE(m.column("user_id")->autoincrement);  // composite keys are not numbered
  EXPECT_FALSE(m.column("user_id")->nullable);
  EXPECT_TRUE(m.uniques[0].name_given);
}

TEST(ModelLoader, LongNamesAreShortenedWithAHash) {
  std::string longname(70, 'x');
  auto s = load("tables:\n  " + longname + ":\n    columns:\n      " + longname + ": {type: integer, unique: true}\n");
  const auto& name = s.tables[0].uniques[0].name;
  EXPECT_EQ(name.size(), 63u);
  EXPECT_EQ(name.substr(0, 10), "uq_xxxxxxx");
  EXPECT_EQ(name, load("tables:\n  " + longname + ":\n    columns:\n      " + longname + ": {type: integer, unique: true}\n")
                      .tables[0].uniques[0].name);  // stable
}

TEST(ModelLoader, ErrorsNameFileAndLine) {
  EXPECT_EQ(error_of("tables:\n  t:\n    columns:\n      a: {type: integer, colour: red}\n"),
            "models.yaml:4: unknown key 'colour' in column 'a' of table 't' (expected one of: type, nullable, primary_key, "
            "autoincrement, unique, index, foreign_key, server_default, comment, renamed_from, identity, computed)");
  EXPECT_EQ(error_of("tables:\n  t:\n    columns:\n      a: {type: integer}\n      a: {type: text}\n"),
            "models.yaml:5: duplicate key 'a' in columns of table 't'");
  EXPECT_EQ(error_of("tables:\n  t:\n    columns:\n      a: {type: strnig(80)}\n").substr(0, 48),
            "models.yaml:4: unknown type 'strnig(80)' for col");
  EXPECT_EQ(error_of("tables:\n  t:\n    columns:\n      a: {type: string(abc)}\n"),
            "models.yaml:4: invalid type 'string(abc)' for column 't.a'");
  EXPECT_EQ(error_of("tables:\n  t:\n    columns:\n      a: {type: numeric(10,2)}\n"),
            "models.yaml:4: '2)' looks like the rest of a type cut at a comma; quote the type, e.g. type: \"numeric(10,2)\"");
  EXPECT_EQ(error_of("tables:\n  t:\n    columns:\n      a: {type: integer, foreign_key: nope.id}\n"),
            "models.yaml:3: table 't' has a foreign key to table 'nope', which is not defined");
  EXPECT_EQ(error_of("tables:\n  u:\n    columns:\n      id: {type: integer}\n  t:\n    columns:\n      a: {type: integer, foreign_key: u.zz}\n"),
            "models.yaml:6: table 't' has a foreign key to column 'u.zz', which does not exist");
  EXPECT_EQ(error_of("tables:\n  t:\n    columns:\n      a: {type: integer, primary_key: true}\n    primary_key: [a]\n"),
            "models.yaml:5: table 't' declares its primary key twice (on a column and in primary_key)");
  EXPECT_EQ(error_of("tables:\n  t:\n    columns: {}\n"), "models.yaml:3: table 't': columns must be a mapping of column name to column");
  EXPECT_EQ(error_of("tables:\n  t:\n    columns:\n      a: {type: integer}\n    indexes:\n      ix: {columns: [b]}\n"),
            "models.yaml:6: index 'ix' of table 't' names unknown column 'b'");
  EXPECT_EQ(error_of("tabels: {}\n"), "models.yaml:1: unknown key 'tabels' in the models file (expected one of: extensions, enums, domains, sequences, tables, views, functions, triggers)");
  EXPECT_EQ(error_of("tables: [\n"), "models.yaml:2: invalid YAML: end of sequence flow not found");
}

TEST(ModelLoader, AFolderOfFilesAndATableDefinedTwice) {
  auto dir = std::filesystem::temp_directory_path() / "dbmig_models_test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "a.yaml") << "tables:\n  user:\n    columns:\n      id: {type: integer, primary_key: true}\n";
  std::ofstream(dir / "b.yaml") << "tables:\n  post:\n    columns:\n      user_id: {type: integer, foreign_key: user.id}\n";
  auto s = load_models(dir, NamingConvention{});
  EXPECT_EQ(s.tables.size(), 2u);
  std::ofstream(dir / "c.yaml") << "# again\ntables:\n  user:\n    columns:\n      id: {type: integer}\n";
  try {
    load_models(dir, NamingConvention{});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), (dir / "c.yaml").string() + ":4: table 'user' is defined twice (also at " +
                                         (dir / "a.yaml").string() + ":3)");
  }
  std::filesystem::remove_all(dir);
}

TEST(ModelLoader, TheCacheGivesBackTheSameSchemaAndFollowsEdits) {
  auto dir = std::filesystem::temp_directory_path() / "dbmig_models_cache_test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto models = dir / "models.yaml", cache = dir / ".dbmig-cache-models";
  std::ofstream(models) << "extensions: [pgcrypto]\nsequences: {invoice_no: {start: 1000, increment: -2}}\n"
                           "enums:\n  mood: [sad, {\"it's ok\": {renamed_from: fine}}]\n"
                           "tables:\n  user:\n    comment: \"people\\twith tabs\"\n    columns:\n"
                           "      id: {type: integer, primary_key: true, identity: always}\n"
                           "      lc: {type: text, computed: \"lower(name)\"}\n"
                           "      name: {type: string(80), unique: true, index: true, server_default: \"'a,b'\", renamed_from: nom}\n"
                           "  post:\n    columns:\n      user_id: {type: integer, foreign_key: {references: user.id, on_delete: cascade}}\n"
                           "    checks: {ck_post: \"user_id > 0\"}\n    indexes:\n      ix_p: {columns: [user_id], unique: true, where: \"user_id <> 0\"}\n"
                           "      ix_q: {columns: [user_id], expressions: [\"user_id + 1\"], using: brin, include: [user_id]}\n"
                           "    triggers: {post_touch: \"CREATE TRIGGER post_touch AFTER INSERT ON post EXECUTE FUNCTION touch()\"}\n"
                           "views:\n  v: {sql: \" SELECT 1;\\n\", materialized: true}\n  w: SELECT 2\n"
                           "functions:\n  touch: \"create or replace function App.Touch() returns trigger language plpgsql as $$BEGIN RETURN NULL; END$$;\"\n"
                           "triggers:\n  the user's: {table: user, sql: \"CREATE CONSTRAINT TRIGGER \\\"Big \\\"\\\"one\\\"\\\"\\\" AFTER UPDATE ON \\\"user\\\" FOR EACH ROW EXECUTE FUNCTION touch()\"}\n";
  auto direct = load_models(models, NamingConvention{});
  auto first = load_models(models, NamingConvention{}, cache);   // parses and writes the cache
  ASSERT_TRUE(std::filesystem::exists(cache));
  auto second = load_models(models, NamingConvention{}, cache);  // from the cache
  ASSERT_EQ(second.tables.size(), 2u);
  EXPECT_EQ(first.tables, direct.tables);
  EXPECT_EQ(second.tables, direct.tables);
  ASSERT_EQ(direct.enums.size(), 1u);
  EXPECT_EQ(direct.enums[0].renamed_from.at("it's ok"), "fine");
  EXPECT_EQ(second.enums, direct.enums);
  EXPECT_EQ(second.extensions, direct.extensions);
  EXPECT_EQ(second.sequences, direct.sequences);
  EXPECT_EQ(second.views, direct.views);
  EXPECT_EQ(direct.views, (std::vector<View>{{"v", "SELECT 1", true}, {"w", "SELECT 2", false}}));
  EXPECT_EQ(second.functions, direct.functions);
  EXPECT_EQ(second.triggers, direct.triggers);
  ASSERT_TRUE(direct.functions && direct.functions->size() == 1u);
  EXPECT_EQ((*direct.functions)[0].sql.substr(0, 39), "create or replace function App.Touch() ");
  ASSERT_TRUE(direct.triggers && direct.triggers->size() == 2u);
  EXPECT_EQ((*direct.triggers)[0].name, "Big \"one\"");  // the SQL's quoted name, not the label
  EXPECT_EQ((*direct.triggers)[0].table, "user");
  EXPECT_EQ((*direct.triggers)[1].name, "post_touch");
  EXPECT_EQ((*direct.triggers)[1].table, "post");
  ASSERT_TRUE(direct.sequences && direct.sequences->size() == 1u);
  EXPECT_EQ((*direct.sequences)[0], (Sequence{"invoice_no", 1000, -2}));
  EXPECT_EQ(direct.tables[0].columns[0].identity, "always");
  EXPECT_EQ(direct.tables[1].indexes[1].columns, (std::vector<std::string>{"user_id", "(user_id + 1)"}));
  // An edit is seen.
  std::this_thread::sleep_for(std::chrono::milliseconds(10));
  auto text = std::string("tables:\n  user:\n    columns:\n      id: {type: integer, primary_key: true}\n");
  std::ofstream(models) << text;
  EXPECT_EQ(load_models(models, NamingConvention{}, cache).tables.size(), 1u);
  // A changed naming convention too.
  NamingConvention other;
  other.pk = "pkey_%(table)s";
  EXPECT_EQ(load_models(models, other, cache).tables[0].primary_key_name, "pkey_user");
  std::filesystem::remove_all(dir);
}

TEST(ModelLoader, AForeignKeyFindsItsTableInAnySchema) {
  const std::string tables = R"Y(
tables:
  invoice:
    schema: billing
    columns:
      id: {type: integer, primary_key: true}
  entry:
    columns:
      id: {type: integer, primary_key: true}
)Y";
  auto s = load(tables + "      invoice_id: {type: integer, foreign_key: invoice.id}\n");
  const auto& fk = s.table("entry")->foreign_keys.at(0);
  EXPECT_EQ(fk.ref_schema, "billing");
  EXPECT_EQ(fk.ref_table, "invoice");
  EXPECT_EQ(fk.name, "fk_entry_invoice_id_invoice");
  EXPECT_EQ(load(tables + "      invoice_id: {type: integer, foreign_key: billing.invoice.id}\n").table("entry")->foreign_keys[0].ref_schema,
            "billing");
  EXPECT_EQ(error_of(tables + "      invoice_id: {type: integer, foreign_key: sales.invoice.id}\n"),
            "models.yaml:8: table 'entry' has a foreign key to table 'sales.invoice', which is not defined");
}

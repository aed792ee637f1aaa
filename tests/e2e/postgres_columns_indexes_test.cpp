// Identity and computed columns, and indexes with a method, expressions or INCLUDE columns
// (SPEC §7.2) on PostgreSQL, with rows: each step is checked clean once applied, and each
// downgrade gives the previous catalog back as pg_dump shows it.
#include "harness.hpp"

using namespace dbmig::test;

namespace {

const char* kV1 = R"Y(tables:
  film:
    columns:
      film_id:  {type: integer, identity: by_default, primary_key: true}
      title:    {type: text, nullable: false}
      title_lc: {type: text, computed: "lower(title)"}
      tags:     {type: "text[]"}
      rating:   {type: integer}
    indexes:
      ix_tags:        {columns: [tags], using: gin}
      ix_title_lower: {expressions: ["lower(title)"], unique: true}
      ix_cover:       {columns: [rating], include: [title]}
  plain:
    columns:
      n: {type: integer, nullable: false}
      x: {type: text}
)Y";

// Every kind changes: identity kind, a computed expression, a new computed column, a column
// that becomes an identity, an index's method, keys and INCLUDE list.
const char* kV2 = R"Y(tables:
  film:
    columns:
      film_id:  {type: integer, identity: always, primary_key: true}
      title:    {type: text, nullable: false}
      title_lc: {type: text, computed: "upper(title)"}
      tags:     {type: "text[]"}
      rating:   {type: integer}
      double_rating: {type: integer, computed: "rating * 2"}
    indexes:
      ix_tags:        {columns: [tags]}
      ix_title_lower: {expressions: ["lower(title)", "rating"], unique: true}
      ix_cover:       {columns: [rating], include: [title, tags]}
  plain:
    columns:
      n: {type: integer, identity: by_default}
      x: {type: text}
)Y";

TEST(PostgresColumnsAndIndexes, IdentityComputedAndIndexKindsRoundTripWithRows) {
  Project p("postgresql");
  auto& db = p.db();
  ASSERT_EQ(p.dbmig("stamp base").code, 0);  // the version tables, for the base catalog
  const std::string empty = db.schema_dump();
  migrate_upgrade_check(p, "v1", kV1);
  db.query("INSERT INTO film (title, tags, rating) VALUES ('Alpha', '{a,b}', 1), ('Beta', NULL, NULL), ('gamma', '{}', 3);"
           "INSERT INTO plain VALUES (5, 'a'), (7, NULL)");
  EXPECT_EQ(db.query("SELECT film_id, title_lc FROM film ORDER BY 1"), "1|alpha\n2|beta\n3|gamma\n");
  EXPECT_EQ(db.query("SELECT attname, attidentity, attgenerated FROM pg_attribute WHERE attrelid = 'film'::regclass "
                     "AND attname IN ('film_id', 'title_lc') ORDER BY 1"),
            "film_id|d|\ntitle_lc||s\n");
  EXPECT_EQ(db.query("SELECT indexdef FROM pg_indexes WHERE tablename = 'film' AND indexname <> 'pk_film' ORDER BY indexname"),
            "CREATE INDEX ix_cover ON public.film USING btree (rating) INCLUDE (title)\n"
            "CREATE INDEX ix_tags ON public.film USING gin (tags)\n"
            "CREATE UNIQUE INDEX ix_title_lower ON public.film USING btree (lower(title))\n");
  const std::string v1 = db.schema_dump();

  migrate_upgrade_check(p, "v2", kV2);
  auto text = read_text(p.dir() / "migrations/versions/v2_v2.yaml");
  EXPECT_NE(text.find("alter_column: {table: film, name: film_id, identity: always"), std::string::npos) << text;
  EXPECT_NE(text.find("create_index: {name: ix_title_lower, table: film, expressions: [lower(title), rating], unique: true}"),
            std::string::npos) << text;
  // Rows survive; the computed columns hold the new expression's values; the new identity
  // numbers after the rows already there.
  EXPECT_EQ(db.query("SELECT film_id, title, title_lc, double_rating FROM film ORDER BY 1"),
            "1|Alpha|ALPHA|2\n2|Beta|BETA|\n3|gamma|GAMMA|6\n");
  db.query("INSERT INTO plain (x) VALUES ('new')");
  EXPECT_EQ(db.query("SELECT n, x FROM plain ORDER BY n"), "5|a\n7|\n8|new\n");
  EXPECT_EQ(db.query("SELECT indexdef FROM pg_indexes WHERE tablename = 'film' AND indexname <> 'pk_film' ORDER BY indexname"),
            "CREATE INDEX ix_cover ON public.film USING btree (rating) INCLUDE (title, tags)\n"
            "CREATE INDEX ix_tags ON public.film USING btree (tags)\n"
            "CREATE UNIQUE INDEX ix_title_lower ON public.film USING btree (lower(title), rating)\n");

  // Back: the previous catalog exactly, rows intact; then nothing of it.
  db.query("DELETE FROM plain WHERE x = 'new'");
  auto r = p.dbmig("downgrade -1");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(db.schema_dump(), v1);
  EXPECT_EQ(db.query("SELECT film_id, title, title_lc FROM film ORDER BY 1"), "1|Alpha|alpha\n2|Beta|beta\n3|gamma|gamma\n");
  EXPECT_EQ(db.query("SELECT n, x FROM plain ORDER BY n"), "5|a\n7|\n");
  ASSERT_EQ(p.dbmig("downgrade base").code, 0);
  EXPECT_EQ(db.schema_dump(), empty);
}

TEST(PostgresColumnsAndIndexes, ASerialAndAnIdentityAreNotConvertedSilently) {
  Project p("postgresql");
  p.db().query("CREATE TABLE item (id SERIAL PRIMARY KEY, name TEXT); INSERT INTO item (name) VALUES ('a'), (NULL)");
  write_text(p.dir() / "models.yaml", "tables:\n  item:\n    columns:\n      id: {type: integer, primary_key: true, identity: always}\n"
                                      "      name: {type: text}\n");
  auto r = p.dbmig("migrate -m v1 --rev-id v1 --allow-empty");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("column 'item.id' is a serial in the database and an identity column in the model; dbmig does not "
                       "convert one into the other"), std::string::npos) << r.err;
  EXPECT_EQ(read_text(p.dir() / "migrations/versions/v1_v1.yaml").find("alter_column"), std::string::npos);
}

TEST(ModelColumnsAndIndexes, BadKeysNameTheLineAndSqliteRejectsWhatItCannotHold) {
  Project p("sqlite");
  auto expect_error = [&](const std::string& model, const std::string& message) {
    write_text(p.dir() / "models.yaml", model);
    auto r = p.dbmig("migrate -m v1");
    EXPECT_EQ(r.code, 1);
    EXPECT_NE(r.err.find("dbmig: error: " + message), std::string::npos) << r.err;
  };
  const std::string head = "tables:\n  t:\n    columns:\n      id: {type: integer, primary_key: true}\n";
  expect_error(head + "      n: {type: integer, identity: sometimes}\n",
               "models.yaml:5: column 'n' of table 't': identity is 'always' or 'by_default', not 'sometimes'");
  expect_error(head + "      n: {type: text, identity: always}\n",
               "models.yaml:5: column 'n' of table 't': an identity column needs an integer type, not 'text'");
  expect_error(head + "      n: {type: integer, computed: \"id * 2\", server_default: \"1\"}\n",
               "models.yaml:5: column 'n' of table 't' cannot have both computed and server_default");
  expect_error(head + "    indexes:\n      ix: {columns: [nope]}\n", "models.yaml:6: index 'ix' of table 't' names unknown column 'nope'");
  expect_error(head + "    indexes:\n      ix: {columns: [id], include: [nope]}\n",
               "models.yaml:6: index 'ix' of table 't' includes unknown column 'nope'");
  expect_error(head + "    indexes:\n      ix: {unique: true}\n", "models.yaml:6: index 'ix' names no columns or expressions");
  expect_error(head + "      n: {type: integer, identity: always}\n",
               "models.yaml: table 't': identity column 'n' is PostgreSQL only (on SQLite write autoincrement)");
  expect_error(head + "      n: {type: integer, computed: \"id * 2\"}\n", "models.yaml: table 't': computed column 'n' is PostgreSQL only");
  expect_error(head + "    indexes:\n      ix: {columns: [id], using: hash}\n",
               "models.yaml: table 't': index 'ix': using and include are PostgreSQL only");
  EXPECT_TRUE(p.db().tables().empty());
  EXPECT_FALSE(std::filesystem::exists(p.dir() / "migrations/versions") &&
               !std::filesystem::is_empty(p.dir() / "migrations/versions"));
}

}  // namespace

// Views (SPEC §7.2) on PostgreSQL: created after their tables and dropped before them, compared by
// pg_get_viewdef, dropped and created again around a column change beneath them; each step exactly
// reversed, with rows; left alone when the model has no 'views' key.
#include "harness.hpp"

using namespace dbmig::test;

namespace {

std::string models(const std::string& rating_type, const std::string& views) {
  return "tables:\n  film:\n    columns:\n      id: {type: integer, primary_key: true}\n      title: {type: text}\n"
         "      rating: {type: " + rating_type + "}\n"
         "views:\n" + views;
}

const char* kViewsV1 =
    "  top_films: {sql: \"SELECT title FROM film_list WHERE rating > 3\", materialized: true, indexes: {top_films_title: {columns: [title]}}}\n"
    "  film_list: \"SELECT id, title, rating FROM film WHERE rating > 2\"\n";
const char* kViewsV2 =
    "  top_films: {sql: \"SELECT title FROM film_list WHERE rating > 4\", materialized: true, indexes: {top_films_title: {columns: [title]}}}\n"
    "  film_list: \"SELECT id, title, rating FROM film WHERE rating > 2\"\n"
    "  untitled: \"SELECT id FROM film WHERE title IS NULL\"\n";

TEST(PostgresViews, CreatedChangedAndRecreatedAroundAColumnChangeWithRows) {
  Project p("postgresql");
  auto& db = p.db();
  ASSERT_EQ(p.dbmig("stamp base").code, 0);
  const std::string base = db.schema_dump();
  migrate_upgrade_check(p, "v1", models("integer", kViewsV1));
  auto text = read_text(p.dir() / "migrations/versions/v1_v1.yaml");
  // film_list first: top_films reads it, whatever the order in models.yaml.
  EXPECT_LT(text.find("create_table"), text.find("create_view: {name: film_list"));
  EXPECT_LT(text.find("create_view: {name: film_list"), text.find("create_view: {name: top_films"));
  db.query("INSERT INTO film VALUES (1, 'Alpha', 5), (2, NULL, 3), (3, 'Gamma', NULL), (4, 'Delta', 4)");
  db.query("REFRESH MATERIALIZED VIEW top_films");
  EXPECT_EQ(db.query("SELECT title FROM top_films ORDER BY title"), "Alpha\nDelta\n");
  EXPECT_EQ(db.query("SELECT indexname FROM pg_indexes WHERE tablename = 'top_films'"), "top_films_title\n");
  const std::string v1 = db.schema_dump();

  // The type change needs both views out of the way; one view changes, one is new.
  migrate_upgrade_check(p, "v2", models("bigint", kViewsV2));
  text = read_text(p.dir() / "migrations/versions/v2_v2.yaml");
  const auto up = text.substr(0, text.find("downgrade:"));
  EXPECT_LT(up.find("drop_view: {name: top_films, materialized: true"), up.find("drop_view: {name: film_list"));
  EXPECT_LT(up.find("drop_view: {name: film_list"), up.find("alter_column"));
  EXPECT_LT(up.find("alter_column"), up.find("create_view: {name: film_list"));
  EXPECT_LT(up.find("create_view: {name: film_list"), up.find("create_view: {name: top_films"));
  EXPECT_EQ(db.query("SELECT title FROM top_films ORDER BY title"), "Alpha\n");  // created populated, with its index
  EXPECT_EQ(db.query("SELECT indexname FROM pg_indexes WHERE tablename = 'top_films'"), "top_films_title\n");
  EXPECT_EQ(db.query("SELECT id FROM untitled"), "2\n");
  EXPECT_EQ(db.query("SELECT data_type FROM information_schema.columns WHERE table_name = 'film' AND column_name = 'rating'"),
            "bigint\n");

  auto r = p.dbmig("downgrade -1");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(db.schema_dump(), v1);
  EXPECT_EQ(db.query("SELECT count(*) FROM film"), "4\n");
  EXPECT_EQ(db.query("SELECT title FROM top_films ORDER BY title"), "Alpha\nDelta\n");
  ASSERT_EQ(p.dbmig("downgrade base").code, 0);
  EXPECT_EQ(db.schema_dump(), base);
}

TEST(PostgresViews, UndeclaredViewsAreLeftAlone) {
  Project p("postgresql");
  auto& db = p.db();
  db.query("CREATE TABLE t (id integer PRIMARY KEY, v integer); CREATE VIEW big AS SELECT id FROM t WHERE v > 10;"
           "INSERT INTO t VALUES (1, 20), (2, NULL)");
  write_text(p.dir() / "models.yaml", "tables:\n  t:\n    columns:\n      id: {type: integer, primary_key: true, autoincrement: false}\n"
                                      "      v: {type: integer}\n");
  auto r = p.dbmig("check");
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  write_text(p.dir() / "models.yaml", read_text(p.dir() / "models.yaml") + "views:\n  big: \"SELECT id FROM t WHERE v > 10;\"\n");
  r = p.dbmig("check");
  EXPECT_EQ(r.code, 0) << r.out << r.err;  // the server's spelling of the same view
  write_text(p.dir() / "models.yaml", read_text(p.dir() / "models.yaml").substr(0, read_text(p.dir() / "models.yaml").find("views:")) +
                                          "views: {}\n");
  r = p.dbmig("check");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("removed view 'big'"), std::string::npos) << r.out;
  EXPECT_EQ(db.query("SELECT id FROM big"), "1\n");
}

TEST(ModelViews, OnlyAMaterializedViewHasIndexes) {
  Project p("postgresql");
  write_text(p.dir() / "models.yaml", "tables: {}\nviews:\n  v: {sql: \"SELECT 1 AS one\", indexes: {ix: {columns: [one]}}}\n");
  auto r = p.dbmig("migrate -m v1");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("dbmig: error: models.yaml:3: view 'v': only a materialized view has indexes"), std::string::npos) << r.err;
}

TEST(ModelViews, SqliteRejectsMaterializedOnes) {
  Project p("sqlite");
  write_text(p.dir() / "models.yaml", "tables: {}\nviews:\n  v: {sql: \"SELECT 1\", materialized: true}\n");
  auto r = p.dbmig("migrate -m v1");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("dbmig: error: models.yaml: view 'v': materialized views are PostgreSQL only"), std::string::npos) << r.err;
  EXPECT_TRUE(p.db().tables().empty());
}

}  // namespace

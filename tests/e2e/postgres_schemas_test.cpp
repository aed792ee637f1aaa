// Tables in several PostgreSQL schemas (SPEC §7.2): ops carry the schema, a schema the model
// names is created when missing and dropped by the downgrade of the revision that created it,
// foreign keys reach across schemas; and the version table in a schema of its own.
#include "harness.hpp"

using namespace dbmig::test;

namespace {

const std::string kCustomer =
    "tables:\n  customer:\n    columns:\n      id: {type: integer, primary_key: true, autoincrement: false}\n"
    "      name: {type: text}\n";

std::string invoice(const std::string& more_columns, const std::string& checks) {
  return "  invoice:\n    schema: billing\n    comment: Invoices sent\n    columns:\n"
         "      id: {type: integer, primary_key: true, autoincrement: false}\n"
         "      customer_id: {type: integer, foreign_key: customer.id}\n"
         "      amount: {type: \"numeric(10,2)\", comment: in euros}\n" +
         more_columns + "    indexes:\n      ix_invoice_amount: {columns: [amount]}\n    checks:\n" + checks +
         "  entry:\n    schema: audit\n    columns:\n      id: {type: integer, primary_key: true, autoincrement: false}\n"
         "      invoice_id: {type: integer, foreign_key: billing.invoice.id}\n";
}

std::string schema_of(Database& db, const std::string& relation) {
  return db.query("SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relname = '" +
                  relation + "'");
}

TEST(PostgresSchemas, TablesInTheirSchemasGoUpAndComeBackWithRows) {
  Project p("postgresql");
  auto& db = p.db();
  ASSERT_EQ(p.dbmig("stamp base").code, 0);
  const std::string base = db.schema_dump();

  migrate_upgrade_check(p, "v1", kCustomer + invoice("", "      ck_invoice_amount: \"amount >= 0\"\n"));
  auto text = read_text(p.dir() / "migrations/versions/v1_v1.yaml");
  EXPECT_NE(text.find("- create_schema: {name: audit}\n  - create_schema: {name: billing}\n"), std::string::npos) << text;
  EXPECT_LT(text.find("create_schema: {name: billing}"), text.find("name: invoice"));
  EXPECT_NE(text.find("      name: invoice\n      schema: billing\n"), std::string::npos) << text;
  EXPECT_NE(text.find("drop_schema: {name: billing}"), std::string::npos) << text;
  EXPECT_EQ(schema_of(db, "invoice"), "billing\n");
  EXPECT_EQ(schema_of(db, "ix_invoice_amount"), "billing\n");
  EXPECT_EQ(schema_of(db, "entry"), "audit\n");
  EXPECT_EQ(schema_of(db, "customer"), "public\n");
  EXPECT_EQ(db.query("SELECT obj_description('billing.invoice'::regclass, 'pg_class'), "
                     "col_description('billing.invoice'::regclass, 3)"),
            "Invoices sent|in euros\n");
  EXPECT_EQ(db.query("SELECT confrelid::regclass FROM pg_constraint WHERE conrelid = 'audit.entry'::regclass AND contype = 'f'"),
            "billing.invoice\n");

  db.query("INSERT INTO customer VALUES (1, 'ann'), (2, NULL);"
           "INSERT INTO billing.invoice VALUES (1, 1, 10.50), (2, NULL, NULL), (3, 2, 0);"
           "INSERT INTO audit.entry VALUES (1, 1), (2, NULL)");
  const std::string rows = "1|1|10.50\n2||\n3|2|0.00\n";
  const std::string at_v1 = db.schema_dump();

  // A column, an index, a wider type and a changed check on the table in billing.
  migrate_upgrade_check(p, "v2",
                        kCustomer + invoice("      note: {type: text, index: true}\n",
                                            "      ck_invoice_amount: \"amount >= 0 AND amount < 1000000\"\n"));
  text = read_text(p.dir() / "migrations/versions/v2_v2.yaml");
  EXPECT_NE(text.find("add_column: {table: invoice, column: {name: note, type: text, nullable: true}, schema: billing}"), std::string::npos) << text;
  EXPECT_EQ(text.find("create_schema"), std::string::npos) << text;  // there already
  EXPECT_EQ(schema_of(db, "ix_invoice_note"), "billing\n");
  EXPECT_EQ(db.query("SELECT id, customer_id, amount FROM billing.invoice ORDER BY id"), rows);
  db.query("UPDATE billing.invoice SET note = 'paid' WHERE id = 1");
  EXPECT_EQ(db.query("SELECT id, note FROM billing.invoice ORDER BY id"), "1|paid\n2|\n3|\n");

  auto r = p.dbmig("downgrade -1");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(db.schema_dump(), at_v1);
  EXPECT_EQ(db.query("SELECT id, customer_id, amount FROM billing.invoice ORDER BY id"), rows);
  EXPECT_EQ(db.query("SELECT id, invoice_id FROM audit.entry ORDER BY id"), "1|1\n2|\n");

  r = p.dbmig("downgrade base");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(db.schema_dump(), base);
  EXPECT_EQ(db.query("SELECT count(*) FROM pg_namespace WHERE nspname IN ('billing', 'audit')"), "0\n");
}

TEST(PostgresSchemas, ASchemaThatExistsIsNotCreatedAndAMovedTableIsWarned) {
  Project p("postgresql");
  auto& db = p.db();
  db.query("CREATE SCHEMA billing; CREATE TABLE billing.invoice (id integer PRIMARY KEY, amount numeric(10,2));"
           "INSERT INTO billing.invoice VALUES (1, 2.5), (2, NULL)");
  const std::string model = "tables:\n  invoice:\n    schema: billing\n    columns:\n"
                            "      id: {type: integer, primary_key: true, autoincrement: false}\n"
                            "      amount: {type: \"numeric(10,2)\"}\n";
  write_text(p.dir() / "models.yaml", model);
  auto r = p.dbmig("check");
  EXPECT_EQ(r.code, 0) << r.out << r.err;  // billing is read because the model names it
  // Where billing is managed (in `schemas`), a table the model puts in another schema is the same
  // table: named, not dropped and created again.
  write_text(p.dir() / "dbmig.yaml", read_text(p.dir() / "dbmig.yaml") + "schemas: [public, billing]\n");
  write_text(p.dir() / "models.yaml", "tables:\n  invoice:\n    schema: sales\n" + model.substr(model.find("    columns:")));
  r = p.dbmig("check");
  EXPECT_EQ(r.code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("added schema 'sales'"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("table 'invoice'\n"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("table 'invoice' is in schema 'billing' in the database and 'sales' in models.yaml"), std::string::npos)
      << r.err;
  EXPECT_EQ(db.query("SELECT id, amount FROM billing.invoice ORDER BY id"), "1|2.50\n2|\n");
}

TEST(PostgresSchemas, TheVersionTableLivesInItsOwnSchema) {
  Project p("postgresql");
  auto& db = p.db();
  write_text(p.dir() / "dbmig.yaml", "database_url: ${TEST_DATABASE_URL}\nscript_location: migrations\nmodels: models.yaml\n"
                                     "version_table_schema: meta\n");
  auto r = p.dbmig("upgrade head --sql");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("CREATE SCHEMA IF NOT EXISTS \"meta\";\n\nCREATE TABLE IF NOT EXISTS \"meta\".\"alembic_version\""),
            std::string::npos) << r.out;
  migrate_upgrade_check(p, "v1", kCustomer);
  db.query("INSERT INTO customer VALUES (1, 'ann'), (2, NULL)");
  EXPECT_EQ(db.query("SELECT version_num FROM meta.alembic_version"), "v1\n");
  EXPECT_EQ(db.query("SELECT revision, direction FROM meta.dbmig_history"), "v1|upgrade\n");
  EXPECT_EQ(db.query("SELECT to_regclass('public.alembic_version') IS NULL"), "t\n");
  r = p.dbmig("current");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("v1 (head)"), std::string::npos) << r.out;
  migrate_upgrade_check(p, "v2", kCustomer + "  note:\n    columns:\n      id: {type: integer, primary_key: true}\n");
  r = p.dbmig("downgrade -1");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(db.query("SELECT version_num FROM meta.alembic_version"), "v1\n");
  EXPECT_EQ(db.query("SELECT id, name FROM customer ORDER BY id"), "1|ann\n2|\n");

  Project s("sqlite");
  write_text(s.dir() / "dbmig.yaml", read_text(s.dir() / "dbmig.yaml") + "version_table_schema: meta\n");
  r = s.dbmig("upgrade head");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("dbmig: error: dbmig.yaml: version_table_schema needs a PostgreSQL database"), std::string::npos) << r.err;
}

TEST(PostgresSchemas, SqliteRejectsASchema) {
  Project s("sqlite");
  write_text(s.dir() / "models.yaml", "tables:\n  invoice:\n    schema: billing\n    columns:\n      id: {type: integer, primary_key: true}\n");
  auto r = s.dbmig("migrate -m v1");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("dbmig: error: models.yaml: table 'invoice': schema 'billing': schemas are PostgreSQL only"), std::string::npos)
      << r.err;
  EXPECT_TRUE(s.db().tables().empty());
}

}  // namespace

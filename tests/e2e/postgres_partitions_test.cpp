// Partitioned tables (SPEC §7.2) on PostgreSQL: partition_by and partitions created with the
// table, their bounds compared as the server stores them, partitions added and dropped by name,
// each step exactly reversed, with rows in every partition.
#include "harness.hpp"

using namespace dbmig::test;

namespace {

std::string payment(const std::string& extra_partitions) {
  return "tables:\n  payment:\n    columns:\n      payment_id: {type: integer}\n"
         "      paid_at: {type: datetime(timezone), nullable: false}\n      amount: {type: \"numeric(5,2)\"}\n"
         "    primary_key: [payment_id, paid_at]\n"
         "    partition_by: RANGE (paid_at)\n"
         "    partitions:\n"
         "      payment_2022_01: \"FOR VALUES FROM ('2022-01-01') TO ('2022-02-01')\"\n"
         "      payment_2022_02: \"FOR VALUES FROM ('2022-02-01') TO ('2022-03-01')\"\n" +
         extra_partitions;
}

TEST(PostgresPartitions, CreatedAddedAndDroppedWithRowsInEachPartition) {
  Project p("postgresql");
  auto& db = p.db();
  ASSERT_EQ(p.dbmig("stamp base").code, 0);
  const std::string base = db.schema_dump();
  migrate_upgrade_check(p, "v1", payment(""));  // check clean: the bounds as the server spells them
  db.query("INSERT INTO payment VALUES (1, '2022-01-05', 2.99), (2, '2022-01-31 23:00', NULL), (3, '2022-02-10', 0.99)");
  EXPECT_EQ(db.query("SELECT tableoid::regclass, payment_id FROM payment ORDER BY payment_id"),
            "payment_2022_01|1\npayment_2022_01|2\npayment_2022_02|3\n");
  const std::string at_v1 = db.schema_dump();

  migrate_upgrade_check(p, "v2", payment("      payment_2022_03: \"FOR VALUES FROM ('2022-03-01') TO ('2022-04-01')\"\n"
                                         "      payment_other: DEFAULT\n"));
  auto text = read_text(p.dir() / "migrations/versions/v2_v2.yaml");
  EXPECT_NE(text.find("create_partition: {table: payment, name: payment_2022_03, bound: "), std::string::npos) << text;
  EXPECT_NE(text.find("drop_partition: {table: payment, name: payment_other, existing_bound: DEFAULT}"), std::string::npos) << text;
  db.query("INSERT INTO payment VALUES (4, '2022-03-02', 1.00), (5, '2030-01-01', NULL)");
  EXPECT_EQ(db.query("SELECT tableoid::regclass, payment_id FROM payment WHERE payment_id > 3 ORDER BY payment_id"),
            "payment_2022_03|4\npayment_other|5\n");

  // Taking payment_2022_02 out of the model would drop its rows: warned at migrate.
  write_text(p.dir() / "models.yaml", "tables:\n  payment:\n    columns:\n      payment_id: {type: integer}\n"
                                      "      paid_at: {type: datetime(timezone), nullable: false}\n      amount: {type: \"numeric(5,2)\"}\n"
                                      "    primary_key: [payment_id, paid_at]\n    partition_by: RANGE (paid_at)\n    partitions: {}\n");
  auto r = p.dbmig("check");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("dropping partition 'payment_2022_02' of 'payment' drops its rows"), std::string::npos) << r.err;

  r = p.dbmig("downgrade -1");  // the two new partitions go, with their rows
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(db.schema_dump(), at_v1);
  EXPECT_EQ(db.query("SELECT payment_id, amount FROM payment ORDER BY payment_id"), "1|2.99\n2|\n3|0.99\n");
  ASSERT_EQ(p.dbmig("downgrade base").code, 0);
  EXPECT_EQ(db.schema_dump(), base);
}

TEST(ModelPartitions, SqliteRejectsThemAndPartitionsNeedAKey) {
  Project s("sqlite");
  write_text(s.dir() / "models.yaml", "tables:\n  t:\n    columns:\n      d: {type: date}\n    partition_by: RANGE (d)\n");
  auto r = s.dbmig("migrate -m v1");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("dbmig: error: models.yaml: table 't': partitioned tables are PostgreSQL only"), std::string::npos) << r.err;
  write_text(s.dir() / "models.yaml", "tables:\n  t:\n    columns:\n      d: {type: date}\n    partitions: {p: DEFAULT}\n");
  r = s.dbmig("migrate -m v1");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("dbmig: error: models.yaml:5: table 't' has partitions but no partition_by"), std::string::npos) << r.err;
  EXPECT_TRUE(s.db().tables().empty());
}

}  // namespace

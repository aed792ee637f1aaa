// upgrade and downgrade running every op on both databases, checked through the database's own
// catalog; failures, offline scripts, dry runs and concurrent runs.
#include "harness.hpp"

#include <regex>

using namespace dbmig::test;
namespace fs = std::filesystem;

namespace {
using Vs = std::vector<std::string>;

class Upgrade : public DialectTest {};
DBMIG_DIALECTS(Upgrade);

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// A chain that uses every operation of the vocabulary.
void write_every_op_chain(const Project& p) {
  p.revision("r1", "", R"Y(upgrade:
  - create_table:
      name: user
      columns:
        - {name: id, type: integer, primary_key: true}
        - {name: username, type: string(80), nullable: false, unique: true}
        - {name: created_at, type: datetime, server_default: CURRENT_TIMESTAMP, comment: when it was made}
  - create_table:
      name: order
      columns:
        - {name: id, type: integer, primary_key: true}
        - {name: user_id, type: integer, nullable: false, foreign_key: {references: user.id, on_delete: cascade}}
        - {name: total, type: "numeric(10,2)", nullable: false}
        - {name: status, type: string(20), nullable: false, server_default: "'new'"}
      checks: {ck_order_total_positive: "total >= 0"}
  - create_index: {table: order, columns: [status], where: "status <> 'done'"}
  - execute: "INSERT INTO \"user\" (username) VALUES ('alice')"
  - execute: "INSERT INTO \"order\" (user_id, total) VALUES (1, 12.5)"
downgrade:
  - drop_index: {name: ix_order_status, table: order}
  - drop_table: {name: order}
  - drop_table: {name: user}
)Y");
  p.revision("r2", "\"r1\"", R"Y(upgrade:
  - add_column: {table: user, column: {name: email, type: string(120)}}
  - create_index: {name: ix_user_email, table: user, columns: [email], unique: true}
  - alter_column: {table: user, name: username, type: string(100), existing_type: string(80)}
  - alter_column: {table: user, name: email, server_default: "'nobody@example.com'", existing_server_default: null}
downgrade:
  - alter_column: {table: user, name: email, server_default: null}
  - alter_column: {table: user, name: username, type: string(80)}
  - drop_index: {name: ix_user_email, table: user}
  - drop_column: {table: user, name: email}
)Y");
  p.revision("r3", "\"r2\"", R"Y(upgrade:
  - rename_table: {name: order, new_name: purchase}
  - alter_column: {table: purchase, name: status, new_name: state}
  - create_unique_constraint: {name: uq_purchase_user_state, table: purchase, columns: [user_id, state]}
  - create_check_constraint: {name: ck_purchase_state, table: purchase, sql: "state <> ''"}
  - create_table:
      name: tag
      columns:
        - {name: id, type: integer, primary_key: true}
        - {name: purchase_id, type: integer}
        - {name: label, type: text, nullable: false, server_default: "'x'"}
  - create_foreign_key: {name: fk_tag_purchase, table: tag, columns: [purchase_id], ref_table: purchase, ref_columns: [id], on_delete: set null}
downgrade:
  - drop_table: {name: tag}
  - drop_constraint: {name: ck_purchase_state, table: purchase, type: check}
  - drop_constraint: {name: uq_purchase_user_state, table: purchase, type: unique}
  - alter_column: {table: purchase, name: state, new_name: status}
  - rename_table: {name: purchase, new_name: order}
)Y");
  p.revision("r4", "\"r3\"", R"Y(upgrade:
  - execute: "UPDATE \"user\" SET email = 'alice@example.com' WHERE email IS NULL"
  - alter_column: {table: user, name: email, nullable: false, existing_nullable: true}
  - drop_constraint: {name: ck_purchase_state, table: purchase, type: check, sql: "state <> ''"}
  - drop_index: {name: ix_order_status, table: purchase, columns: [state], where: "state <> 'done'"}
  - drop_column: {table: tag, name: label, existing: {type: text, nullable: false, server_default: "'x'"}}
  - execute: {postgresql: "COMMENT ON TABLE tag IS 'pg only'", sqlite: "SELECT 1"}
downgrade:
  - add_column: {table: tag, column: {name: label, type: text, nullable: false, server_default: "'x'"}}
  - create_index: {name: ix_order_status, table: purchase, columns: [state], where: "state <> 'done'"}
  - create_check_constraint: {name: ck_purchase_state, table: purchase, sql: "state <> ''"}
  - alter_column: {table: user, name: email, nullable: true}
  - execute: {postgresql: "COMMENT ON TABLE tag IS NULL", sqlite: "SELECT 1"}
)Y");
  p.revision("r5", "\"r4\"", R"Y(upgrade:
  - drop_constraint: {name: fk_tag_purchase, table: tag, type: foreignkey}
  - drop_table: {name: tag}
downgrade:
  - create_table:
      name: tag
      columns:
        - {name: id, type: integer, primary_key: true}
        - {name: purchase_id, type: integer}
  - create_foreign_key: {name: fk_tag_purchase, table: tag, columns: [purchase_id], ref_table: purchase, ref_columns: [id], on_delete: set null}
)Y");
}
}  // namespace

TEST_P(Upgrade, EveryOpUpToHeadAndExactlyBackToBase) {
  Project p(GetParam());
  auto& db = p.db();
  write_every_op_chain(p);
  ASSERT_EQ(p.dbmig("stamp base").code, 0);  // creates the version table, which downgrades keep
  // Step up one revision at a time, remembering the catalog at each revision.
  std::vector<std::string> catalogs{db.catalog()};
  for (int i = 1; i <= 5; ++i) {
    auto r = p.dbmig("upgrade +1");
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(db.versions(), Vs{"r" + std::to_string(i)});
    catalogs.push_back(db.catalog());
  }
  auto r = p.dbmig("upgrade head");
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(db.tables(), (Vs{"purchase", "user"}));
  // The data came through every rebuild and rename.
  EXPECT_EQ(db.query("SELECT u.username, u.email, p.total, p.state FROM \"user\" u JOIN purchase p ON p.user_id = u.id"),
            db.pg() ? "alice|alice@example.com|12.50|new\n" : "alice|alice@example.com|12.5|new\n");
  if (db.pg()) {
    EXPECT_EQ(db.query("SELECT column_name, data_type, character_maximum_length, is_nullable, column_default "
                       "FROM information_schema.columns WHERE table_name = 'user' ORDER BY ordinal_position"),
              "id|integer||NO|nextval('user_id_seq'::regclass)\n"
              "username|character varying|100|NO|\n"
              "created_at|timestamp without time zone||YES|CURRENT_TIMESTAMP\n"
              "email|character varying|120|NO|'nobody@example.com'::character varying\n");
    EXPECT_EQ(db.query("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'purchase'::regclass ORDER BY 1"),
              "ck_order_total_positive|CHECK ((total >= (0)::numeric))\n"
              "fk_order_user_id_user|FOREIGN KEY (user_id) REFERENCES \"user\"(id) ON DELETE CASCADE\n"
              "pk_order|PRIMARY KEY (id)\n"
              "uq_purchase_user_state|UNIQUE (user_id, state)\n");
    EXPECT_EQ(db.query("SELECT indexname FROM pg_indexes WHERE tablename = 'user' ORDER BY 1"),
              "ix_user_email\npk_user\nuq_user_username\n");
    EXPECT_EQ(db.query("SELECT col_description('user'::regclass, 3)"), "when it was made\n");
  } else {
    EXPECT_EQ(db.query("SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info('user')"),
              "id|INTEGER|1||1\nusername|VARCHAR(100)|1||0\ncreated_at|DATETIME|0|CURRENT_TIMESTAMP|0\n"
              "email|VARCHAR(120)|1|'nobody@example.com'|0\n");
    EXPECT_EQ(db.query("SELECT name, \"unique\", origin FROM pragma_index_list('user') ORDER BY name"),
              "ix_user_email|1|c\nsqlite_autoindex_user_1|1|u\n");
    EXPECT_EQ(db.query("SELECT \"table\", \"from\", \"to\", on_delete FROM pragma_foreign_key_list('purchase')"),
              "user|user_id|id|CASCADE\n");
    auto sql = db.query("SELECT sql FROM sqlite_master WHERE name = 'purchase'");
    EXPECT_TRUE(has(sql, "CONSTRAINT \"uq_purchase_user_state\" UNIQUE (\"user_id\", \"state\")")) << sql;
    EXPECT_TRUE(has(sql, "CONSTRAINT \"ck_order_total_positive\" CHECK (total >= 0)")) << sql;
    EXPECT_FALSE(has(sql, "ck_purchase_state")) << sql;
    EXPECT_EQ(db.query("PRAGMA foreign_key_check"), "");
  }
  // Down one revision at a time: each step gives back exactly the catalog of the revision before.
  for (int i = 5; i >= 1; --i) {
    r = p.dbmig("downgrade -1");
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(db.versions(), i > 1 ? Vs{"r" + std::to_string(i - 1)} : Vs{});
    EXPECT_EQ(db.catalog(), catalogs[i - 1]) << "after downgrading r" << i;
  }
  EXPECT_EQ(db.tables(true), (Vs{"alembic_version", "dbmig_history"}));
  // And all the way up and down in one run each.
  ASSERT_EQ(p.dbmig("upgrade head").code, 0);
  EXPECT_EQ(db.catalog(), catalogs[5]);
  r = p.dbmig("downgrade base");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(db.tables(true), (Vs{"alembic_version", "dbmig_history"}));
  EXPECT_TRUE(has(r.err, "Running downgrade r1 -> , rev r1")) << r.err;
}

TEST_P(Upgrade, ProgressLinesAndTargets) {
  Project p(GetParam());
  p.revision("a1", "", "upgrade:\n  - create_table: {name: t1, columns: [{name: id, type: integer, primary_key: true}]}\n"
                       "downgrade:\n  - drop_table: {name: t1}\n");
  p.revision("b2", "\"a1\"", "upgrade:\n  - create_table: {name: t2, columns: [{name: id, type: integer, primary_key: true}]}\n"
                             "downgrade:\n  - drop_table: {name: t2}\n");
  p.revision("c3", "\"b2\"", "upgrade: []\ndowngrade: []\n");
  auto r = p.dbmig("upgrade b2");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(std::regex_search(r.err, std::regex("INFO  \\[dbmig\\] Running upgrade  -> a1, rev a1 \\([0-9.]+ ms\\)\n"
                                                  "INFO  \\[dbmig\\] Running upgrade a1 -> b2, rev b2 \\([0-9.]+ ms\\)\n")))
      << r.err;
  EXPECT_EQ(p.db().tables(), (Vs{"t1", "t2"}));
  r = p.dbmig("downgrade a1");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(has(r.err, "Running downgrade b2 -> a1, rev b2")) << r.err;
  EXPECT_EQ(p.db().tables(), Vs{"t1"});
  r = p.dbmig("upgrade a1+2");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(p.db().versions(), Vs{"c3"});
  r = p.dbmig("downgrade -2");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(p.db().versions(), Vs{"a1"});
  r = p.dbmig("downgrade c3");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "dbmig: error: Destination c3 is not a valid downgrade target from current head(s) a1\n");
  r = p.dbmig("-q upgrade");  // quiet: no progress lines
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(p.db().versions(), Vs{"c3"});
}

TEST_P(Upgrade, AFailingStatementRollsTheWholeRunBack) {
  Project p(GetParam());
  p.revision("a1", "", "upgrade:\n  - create_table: {name: t1, columns: [{name: id, type: integer, primary_key: true}]}\n"
                       "downgrade:\n  - drop_table: {name: t1}\n");
  p.revision("b2", "\"a1\"",
             "upgrade:\n  - create_table: {name: t2, columns: [{name: id, type: integer, primary_key: true}]}\n"
             "  - add_column: {table: t1, column: {name: note, type: text}}\n"
             "  - execute: \"INSERT INTO missing_table VALUES (1)\"\n"
             "downgrade: []\n");
  auto r = p.dbmig("upgrade head");
  EXPECT_EQ(r.code, 1);
  auto err = lines(r.err).back();
  EXPECT_EQ(err.rfind("dbmig: error: revision b2 (migrations/versions/b2_rev.yaml), upgrade op 3 execute: ", 0), 0u) << err;
  EXPECT_TRUE(has(err, "missing_table")) << err;
  EXPECT_TRUE(has(err, "[SQL: INSERT INTO missing_table VALUES (1)]")) << err;
  // Nothing of either revision stayed, not even the version table.
  EXPECT_EQ(p.db().tables(true), Vs{});

  // One transaction per revision: the database stays at the last good revision.
  write_text(p.dir() / "dbmig.yaml", read_text(p.dir() / "dbmig.yaml") + "transaction_per_migration: true\n");
  r = p.dbmig("upgrade head");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(p.db().versions(), Vs{"a1"});
  EXPECT_EQ(p.db().tables(), Vs{"t1"});
  if (p.db().pg())
    EXPECT_EQ(p.db().query("SELECT count(*) FROM information_schema.columns WHERE table_name = 't1'"), "1\n");
  else
    EXPECT_EQ(p.db().query("SELECT count(*) FROM pragma_table_info('t1')"), "1\n");
}

TEST_P(Upgrade, NonTransactionalRevisionRunsInAutocommitAndIsRecordedAfter) {
  Project p(GetParam());
  p.revision("a1", "", "upgrade:\n  - create_table: {name: t1, columns: [{name: id, type: integer, primary_key: true}, {name: v, type: integer}]}\n"
                       "downgrade:\n  - drop_table: {name: t1}\n");
  std::string concurrently = p.db().pg() ? "CREATE INDEX CONCURRENTLY ix_t1_v ON t1 (v)" : "CREATE INDEX ix_t1_v ON t1 (v)";
  p.revision("b2", "\"a1\"", "transactional: false\nupgrade:\n  - execute: \"" + concurrently + "\"\n"
                             "downgrade:\n  - drop_index: {name: ix_t1_v, table: t1}\n");
  auto r = p.dbmig("upgrade head");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(p.db().versions(), Vs{"b2"});
  EXPECT_EQ(p.db().query(p.db().pg() ? "SELECT indexname FROM pg_indexes WHERE indexname = 'ix_t1_v'"
                                     : "SELECT name FROM sqlite_master WHERE name = 'ix_t1_v'"),
            "ix_t1_v\n");
}

TEST_P(Upgrade, OfflineScriptBuildsTheSameCatalogAsTheOnlineUpgrade) {
  Project p(GetParam());
  write_every_op_chain(p);
  auto r = p.dbmig("upgrade --sql head");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("BEGIN;\n\nCREATE TABLE IF NOT EXISTS \"alembic_version\"", 0), 0u) << r.out;
  EXPECT_TRUE(has(r.out, "-- Running upgrade r2 -> r3, rev r3\n"));
  EXPECT_TRUE(has(r.out, "UPDATE \"alembic_version\" SET version_num = 'r5' WHERE version_num = 'r4';\n\n"
                        "INSERT INTO \"dbmig_history\" (revision, direction, started_at, finished_at, duration_ms, checksum, "
                        "dbmig_version, db_user) VALUES ('r5', 'upgrade', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, NULL, '"));
  EXPECT_EQ(r.out.substr(r.out.size() - 9), "COMMIT;\n\n");
  write_text(p.dir() / "upgrade.sql", r.out);
  Database offline(GetParam(), p.dir(), "offline.db");
  auto applied = p.db().pg() ? offline.client("-1 -f " + shell_quote((p.dir() / "upgrade.sql").string()))
                             : offline.client("< " + shell_quote((p.dir() / "upgrade.sql").string()));
  ASSERT_EQ(applied.code, 0) << applied.err;
  ASSERT_EQ(p.dbmig("upgrade head").code, 0);
  EXPECT_EQ(offline.catalog(), p.db().catalog());
  EXPECT_EQ(offline.versions(), Vs{"r5"});

  // Downgrade scripts need a range and take the database back to base.
  r = p.dbmig("downgrade --sql");
  EXPECT_EQ(r.code, 2);
  r = p.dbmig("downgrade --sql head:base");
  ASSERT_EQ(r.code, 0) << r.err;
  write_text(p.dir() / "downgrade.sql", r.out);
  applied = p.db().pg() ? offline.client("-1 -f " + shell_quote((p.dir() / "downgrade.sql").string()))
                        : offline.client("< " + shell_quote((p.dir() / "downgrade.sql").string()));
  ASSERT_EQ(applied.code, 0) << applied.err;
  EXPECT_EQ(offline.tables(true), (Vs{"alembic_version", "dbmig_history"}));
  // A range from a middle revision follows the earlier revisions to know the tables.
  r = p.dbmig("upgrade --sql r3:r4");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_FALSE(has(r.out, "CREATE TABLE IF NOT EXISTS \"alembic_version\""));
  EXPECT_TRUE(has(r.out, "UPDATE \"alembic_version\" SET version_num = 'r4' WHERE version_num = 'r3';"));
}

TEST_P(Upgrade, DryRunPrintsTheSqlAndChangesNothing) {
  Project p(GetParam());
  write_every_op_chain(p);
  ASSERT_EQ(p.dbmig("upgrade r2").code, 0);
  auto before = p.db().catalog();
  auto r = p.dbmig("upgrade --dry-run head");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(has(r.out, "ALTER TABLE \"order\" RENAME TO \"purchase\";")) << r.out;
  EXPECT_TRUE(has(r.out, "UPDATE \"alembic_version\" SET version_num = 'r3' WHERE version_num = 'r2';"));
  EXPECT_EQ(p.db().catalog(), before);
  EXPECT_EQ(p.db().versions(), Vs{"r2"});
}

TEST_P(Upgrade, ConcurrentUpgradesRunEachRevisionOnce) {
  Project p(GetParam());
  p.revision("a1", "", "upgrade:\n  - create_table: {name: log, columns: [{name: rev, type: string(10)}]}\n"
                       "downgrade:\n  - drop_table: {name: log}\n");
  std::string prev = "a1";
  for (int i = 2; i <= 6; ++i) {
    std::string id = "r" + std::to_string(i);
    p.revision(id, "\"" + prev + "\"",
               "upgrade:\n  - execute: \"INSERT INTO log (rev) VALUES ('" + id + "')\"\n"
               "  - add_column: {table: log, column: {name: c" + std::to_string(i) + ", type: integer}}\n"
               "downgrade: []\n");
    prev = id;
  }
  std::string cmd = "cd " + shell_quote(p.dir().string()) + " && for i in 1 2 3 4 5 6 7 8; do (" DBMIG_BINARY
                    " upgrade head > out$i 2>&1; echo $? > rc$i) & done; wait; cat rc*";
  auto r = sh(cmd, {{"TEST_DATABASE_URL", p.db().url()}});
  EXPECT_EQ(r.out, "0\n0\n0\n0\n0\n0\n0\n0\n") << read_text(p.dir() / "out1") << read_text(p.dir() / "out2");
  EXPECT_EQ(p.db().query("SELECT rev, count(*) FROM log GROUP BY rev ORDER BY rev"), "r2|1\nr3|1\nr4|1\nr5|1\nr6|1\n");
  EXPECT_EQ(p.db().versions(), Vs{"r6"});
}

TEST_P(Upgrade, UnknownRevisionInTheDatabaseIsAnError) {
  Project p(GetParam());
  p.revision("a1", "", "upgrade: []\ndowngrade: []\n");
  ASSERT_EQ(p.dbmig("stamp a1").code, 0);
  p.db().query("UPDATE alembic_version SET version_num = 'gone99'");
  auto r = p.dbmig("upgrade head");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "dbmig: error: Can't locate revision identified by 'gone99'\n");
  r = p.dbmig("stamp --purge a1");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(p.db().versions(), Vs{"a1"});
}

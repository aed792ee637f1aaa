// The importer's pure parts: SQLAlchemy naming conventions, Python modules converted through
// Python's own parser, and what an imported revision file reads back as.
#include <dbmig/dialects/dialect.hpp>
#include <dbmig/importers/alembic.hpp>
#include <dbmig/importers/python_modules.hpp>
#include <dbmig/model/types.hpp>
#include <dbmig/revisions/script_directory.hpp>
#include <dbmig/run/schema_tracker.hpp>
#include <dbmig/util/error.hpp>
#include <gtest/gtest.h>

#include <fstream>

#include <unistd.h>

using namespace dbmig;
namespace fs = std::filesystem;

namespace {

TEST(AlembicNaming, SqlalchemyTokensAndWhenAGivenNameIsKept) {
  AlembicNaming n = parse_naming_option(
      "{uq: 'uq_%(table_name)s_%(column_0_N_name)s', ck: 'ck_%(table_name)s_%(constraint_name)s', "
      "fk: 'fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s'}");
  EXPECT_EQ(n.name("uq", "user", {"a", "b"}, "", std::nullopt, false), "uq_user_a_b");
  EXPECT_EQ(n.name("ix", "user", {"email"}, "", std::nullopt, false), "ix_user_email");  // SQLAlchemy's default
  EXPECT_EQ(n.name("fk", "order", {"user_id"}, "user", std::nullopt, false), "fk_order_user_id_user");
  EXPECT_EQ(n.name("ck", "order", {}, "", std::string("positive"), false), "ck_order_positive");
  EXPECT_EQ(n.name("ck", "order", {}, "", std::string("ck_order_positive"), true), "ck_order_positive");  // op.f()
  EXPECT_EQ(n.name("uq", "user", {"a"}, "", std::string("mine"), false), "mine");  // no %(constraint_name)s
  EXPECT_EQ(n.name("pk", "user", {"id"}, "", std::nullopt, false), "");            // no convention: the database names it
  EXPECT_THROW(parse_naming_option("{xx: 'a'}"), UsageError);
}

TEST(PythonModules, ALongListComesBackInOrderAndABadFileIsNamed) {
  fs::path dir = fs::temp_directory_path() / ("dbmig_pymods_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::vector<fs::path> files;
  for (int i = 0; i < 450; ++i) {  // more than one Python process's share
    files.push_back(dir / ("m" + std::to_string(i) + ".py"));
    std::ofstream(files.back()) << "revision = '" << i << "'\n";
  }
  auto modules = parse_python_modules(files);
  ASSERT_EQ(modules.size(), files.size());
  for (size_t i = 0; i < files.size(); ++i) {
    EXPECT_EQ(modules[i].file, files[i]);
    EXPECT_EQ(modules[i].body[0]["value"]["value"], std::to_string(i));
  }
  std::ofstream(files[400]) << "def broken(:\n";
  try {
    parse_python_modules(files);
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()).rfind(files[400].string() + ":1: not a valid Python module", 0), 0u) << e.what();
  }
  fs::remove_all(dir);
}

TEST(AlembicTypes, EnumSpellingOnBothDatabases) {
  auto e = parse_enum_type("enum(user_status: 'active', 'it''s')");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->name, "user_status");
  EXPECT_EQ(e->values, (std::vector<std::string>{"active", "it's"}));
  EXPECT_EQ(make_dialect(DialectKind::postgresql)->type_sql("enum(user_status: 'a')", false), "user_status");
  EXPECT_EQ(make_dialect(DialectKind::sqlite)->type_sql("enum(user_status: 'active', 'it''s')", false), "VARCHAR(6)");
}

class AlembicModule : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("dbmig_alembic_" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "versions");
  }
  void TearDown() override { fs::remove_all(dir_); }
  ImportedRevision convert(const std::string& text) {
    auto path = dir_ / "versions" / "m.py";
    std::ofstream(path) << text;
    auto modules = parse_python_modules({path});
    return convert_alembic_module(modules.at(0), "m.py", AlembicNaming());
  }
  fs::path dir_;
};

TEST_F(AlembicModule, UnnamedConstraintsAndUnconvertedCodeReadBack) {
  auto r = convert(R"PY("""add things

Create Date: 2020-01-02 03:04:05
"""
revision = 'abc'
down_revision = ('x', 'y')
branch_labels = 'lbl'
def upgrade():
    op.create_table('t', sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('v', sa.Integer()), sa.PrimaryKeyConstraint('id'), sa.UniqueConstraint('v'),
        sa.CheckConstraint('v > 0'))
    op.create_foreign_key(None, 't', 'u', ['v'], ['id'], ondelete='SET NULL')
    x = compute()
    op.execute(f"SELECT {x}")
)PY");
  EXPECT_EQ(r.revision.id, "abc");
  EXPECT_EQ(r.revision.down_revisions, (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(r.revision.branch_labels, std::vector<std::string>{"lbl"});
  EXPECT_EQ(r.revision.message, "add things");
  EXPECT_EQ(r.revision.create_date, "2020-01-02 03:04:05");
  ASSERT_EQ(r.upgrade.size(), 4u);
  ASSERT_EQ(r.notes.size(), 2u);
  EXPECT_EQ(r.notes[0].line, 13);
  EXPECT_EQ(r.notes[1].what, "an f-string");

  // The file dbmig writes reads back to the same ops, unnamed constraints included.
  auto file = parse_revision(revision_file_text(r), dir_ / "abc.yaml", NamingConvention());
  const auto& t = std::get<CreateTable>(file.upgrade.at(0)).table;
  EXPECT_EQ(t.primary_key_name, "");
  EXPECT_EQ(t.uniques.at(0).name, "");
  EXPECT_EQ(t.checks.at(0).name, "t_v_check");  // PostgreSQL's own name for it
  EXPECT_EQ(std::get<CreateForeignKey>(file.upgrade.at(1)).constraint.name, "");
  EXPECT_EQ(std::get<Unconverted>(file.upgrade.at(3)).line, 14);
  EXPECT_EQ(std::get<Unconverted>(file.upgrade.at(3)).source, "op.execute(f\"SELECT {x}\")");

  // Unnamed: no CONSTRAINT clause, so the database names it.
  SchemaTracker tracker(Schema{});
  auto sql = make_dialect(DialectKind::postgresql)->render({file.upgrade.at(0), file.upgrade.at(1)}, tracker);
  EXPECT_NE(sql.at(0).sql.find("\tPRIMARY KEY (\"id\")"), std::string::npos) << sql.at(0).sql;
  EXPECT_NE(sql.at(0).sql.find("\tUNIQUE (\"v\")"), std::string::npos) << sql.at(0).sql;
  EXPECT_EQ(sql.at(1).sql, "ALTER TABLE \"t\" ADD FOREIGN KEY (\"v\") REFERENCES \"u\" (\"id\") ON DELETE SET NULL");
}

TEST_F(AlembicModule, SchemaKeywordsBecomeTheOpsSchema) {
  auto r = convert(R"PY(revision = 'abc'
down_revision = None
def upgrade():
    op.add_column('invoice', sa.Column('note', sa.Text()), schema='billing')
    op.create_foreign_key('fk_x', 'invoice', 'customer', ['customer_id'], ['id'], source_schema='billing', referent_schema='sales')
    with op.batch_alter_table('invoice', schema='billing') as batch_op:
        batch_op.drop_column('note')
)PY");
  auto file = parse_revision(revision_file_text(r), dir_ / "abc.yaml", NamingConvention());
  ASSERT_EQ(file.upgrade.size(), 3u);
  for (const auto& op : file.upgrade) EXPECT_EQ(op_schema(op), "billing") << describe(op);
  EXPECT_EQ(std::get<CreateForeignKey>(file.upgrade[1]).constraint.ref_schema, "sales");
}

TEST_F(AlembicModule, ModuleThatDoesNotParseNamesFileAndLine) {
  try {
    convert("revision = 'a'\n\ndef upgrade(:\n    pass\n");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("m.py:3: not a valid Python module"), std::string::npos) << e.what();
  }
}

}  // namespace

// The model writer: what it writes loads back as the same schema, in a person's spelling.
#include <dbmig/model/model_loader.hpp>
#include <dbmig/model/model_writer.hpp>
#include <gtest/gtest.h>

using namespace dbmig;

namespace {

const char* kModels = R"Y(tables:
  order:
    columns:
      id: {type: integer, primary_key: true}
      user_id: {type: integer, nullable: false, foreign_key: {references: user.id, on_delete: cascade}}
      code: {type: "numeric(10,2)", unique: true, index: true, server_default: "0"}
      note: {type: text, comment: "a: note"}
    checks:
      ck_order_code: "code >= 0"
  user:
    columns:
      id: {type: biginteger, primary_key: true, autoincrement: false}
      "yes": {type: string(80), nullable: false}
      a: {type: integer}
      b: {type: integer}
    unique: [{columns: [a, b]}, {columns: [b], name: user_b_key}]
    foreign_keys: [{columns: [a, b], references: "pair(x, y)", on_update: set null, name: fk_pair}]
    indexes:
      ix_partial: {columns: [a], where: "a > 0"}
      ix_user_b: {columns: [b], unique: true}
  pair:
    primary_key: {name: pair_pkey, columns: [x, y]}
    columns:
      x: {type: integer, autoincrement: true}
      y: {type: integer}
)Y";

Schema load(const std::string& yaml, const NamingConvention& n = {}) { return parse_models(yaml, "models.yaml", n); }

}  // namespace

TEST(ModelWriter, WhatItWritesLoadsBackTheSame) {
  Schema first = load(kModels);
  std::string text = models_yaml(first, {});
  Schema second = load(text);
  ASSERT_EQ(second.tables.size(), first.tables.size());
  for (const auto& t : first.tables) {
    const Table* back = second.table(t.name);
    ASSERT_NE(back, nullptr) << t.name;
    EXPECT_EQ(*back, t) << text;
  }
  EXPECT_EQ(models_yaml(second, {}), text);  // and writing it again gives the same text
}

TEST(ModelWriter, TablesComeAfterTheTablesTheyReference) {
  std::string text = models_yaml(load(kModels), {});
  EXPECT_LT(text.find("\n  pair:"), text.find("\n  user:")) << text;
  EXPECT_LT(text.find("\n  user:"), text.find("\n  order:")) << text;
}

TEST(ModelWriter, LeavesOutWhatTheLoaderSupplies) {
  std::string text = models_yaml(load(kModels), {});
  EXPECT_NE(text.find("      id:      {type: integer, primary_key: true}\n"), std::string::npos) << text;
  EXPECT_NE(text.find("{type: biginteger, primary_key: true, autoincrement: false}"), std::string::npos) << text;
  EXPECT_NE(text.find("\"yes\": {type: string(80), nullable: false}"), std::string::npos) << text;
  EXPECT_NE(text.find("{type: \"numeric(10,2)\", unique: true, index: true, server_default: \"0\"}"), std::string::npos) << text;
  EXPECT_NE(text.find("foreign_key: {references: user.id, on_delete: cascade}"), std::string::npos) << text;
  EXPECT_NE(text.find("primary_key: {name: pair_pkey, columns: [x, \"y\"]}"), std::string::npos) << text;
  EXPECT_NE(text.find("- {columns: [a, b]}\n"), std::string::npos) << text;
  EXPECT_NE(text.find("- {columns: [b], name: user_b_key}"), std::string::npos) << text;
  EXPECT_EQ(text.find("nullable: true"), std::string::npos) << text;
  EXPECT_EQ(text.find("uq_"), std::string::npos) << text;
}

TEST(ModelWriter, DefaultsLoseTheCastToTheColumnsOwnType) {
  Schema s;
  Table t;
  t.name = "t";
  t.columns = {{"s", "string(20)", true, false, "'new'::character varying"},
               {"n", "biginteger", true, false, "'-1'::integer"},
               {"e", "text", true, false, "'a'::text || 'b'::text"}};
  s.tables.push_back(t);
  ModelWriterOptions o;
  o.same_type = [](const std::string& column, const std::string& cast) {
    return (column == "string(20)" && cast == "character varying") || (column == "text" && cast == "text");
  };
  std::string text = models_yaml(s, o);
  // Keys are aligned; "n" is quoted, as YAML 1.1 reads a bare n as false.
  EXPECT_NE(text.find("s:   {type: string(20), server_default: \"'new'\"}"), std::string::npos) << text;
  EXPECT_NE(text.find("\"n\": {type: biginteger, server_default: \"-1\"}"), std::string::npos) << text;
  EXPECT_NE(text.find("e:   {type: text, server_default: \"'a'::text || 'b'::text\"}"), std::string::npos) << text;
}

TEST(ModelWriter, SuggestsPostgresNamingWhenMostNamesFollowIt) {
  Table a;
  a.name = "actor";
  a.columns = {{"id", "integer"}, {"email", "text"}};
  a.primary_key = {"id"};
  a.primary_key_name = "actor_pkey";
  a.uniques = {{"actor_email_key", {"email"}}};
  Schema s{{a}};
  EXPECT_EQ(suggested_naming_convention(s, {}), "{pk: \"%(table)s_pkey\", uq: \"%(table)s_%(columns)s_key\"}");
  a.primary_key_name = "pk_actor";
  a.uniques[0].name = "uq_actor_email";
  EXPECT_EQ(suggested_naming_convention(Schema{{a}}, {}), "");
}

// The subset reader against yaml-cpp: where it reads a text, the tree (kinds, text, quoting,
// line numbers) must be yaml-cpp's; what it does not know it must leave to yaml-cpp.
#include <dbmig/util/error.hpp>
#include <dbmig/yaml/yaml_node.hpp>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace dbmig;

namespace {

// Reads `text` both ways; true when the subset reader took it (and then agreed).
bool same_as_yaml_cpp(const std::string& text) {
  auto fast = read_yaml_subset(text);
  if (!fast) return false;
  try {
    auto full = read_yaml_with_yaml_cpp(text, "t.yaml");
    EXPECT_EQ(describe(fast->root()), describe(full.root())) << "for:\n" << text;
    EXPECT_TRUE(fast->root() == full.root()) << "for:\n" << text;
  } catch (const Error& e) {
    ADD_FAILURE() << "the subset reader accepted what yaml-cpp rejects (" << e.what() << "):\n" << text;
  }
  return true;
}

const char* const kInSubset[] = {
    "",
    "# only a comment\n",
    "a: 1\n",
    "a: 1",
    "a:\n",
    "a:\n\n# c\n",
    "a: 1\na: 2\n",
    "a: b:c\n",
    "u: sqlite:///x.db\n",
    "u: postgresql://me@db:5432/app?sslmode=require\n",
    "a: -1\n",
    "a: x#y\n",
    "a: x # comment\n",
    "a:    # comment\n  b: 2\n",
    "a: null\nb: ~\nc: Null\nd: NULL\ne: \"null\"\nf: 'null'\n",
    "null: 1\n~: 2\n",
    "type: numeric(10,2)\nsql: a [b] {c}\n",
    "a: {x: 1}  # c\n",
    "a: {x: , y: [1, \"2\", null]}\n",
    "a: [x, {y: 1, z: [2]}]\n",
    "a: []\nb: {}\nc: [ ]\n",
    "a: [a:b]\nb: {k: v:w}\n",
    "- - a\n  - b\n- c\n",
    "-\n- x\n-\n",
    "- a: 1\n  b: 2\n- c: 3\n",
    "list:\n  - 1\n  - 2\nnext: 3\n",
    "a: 'it''s'\nb: \"q\\\"uote\\\\ \\n\\t\\/\"\n",
    "a: \"\\x41\\u00e9\\U0001F600\"\n",
    "\"quoted key\": 1\n'single': 2\n",
    "a: ----\nb: --\n",
    "  indented: 1\n  root: 2\n",
    "a:\n  hello\n",
    "a: caf\xc3\xa9 \xe2\x82\xac\n",
    "a:\n  b:\n    c:\n      - d: {e: [f]}\n",
    "# create\nrevision: \"c1\"\ndown_revision: null\nbranch_labels: null\ndepends_on: [\"a\", \"b\"]\n"
    "message: add email\ncreate_date: 2026-11-21T09:01:49Z\ntransactional: true\nupgrade:\n"
    "  - create_table:\n      name: t\n      columns:\n        - {name: id, type: integer, nullable: false}\n"
    "        - {name: price, type: \"numeric(10,2)\", nullable: true, server_default: \"0\"}\n"
    "      primary_key: {name: pk_t, columns: [id]}\n      indexes:\n        ix_t_p: {columns: [price]}\n"
    "  - execute: \"UPDATE t SET price = 0 WHERE price IS NULL\"\ndowngrade:\n  - drop_table: {name: t}\n",
    "tables:\n  user:\n    columns:\n      id:         {type: integer, primary_key: true}\n"
    "      username:   {type: string(80), unique: true, nullable: false}\n",
};

// Outside the subset: each goes to yaml-cpp (which reads some and rejects others).
const char* const kOutsideSubset[] = {
    "a: &x 1\nb: *x\n",
    "a: !!str 3\n",
    "a: |\n  text\n",
    "a: >\n  folded\n",
    "a: hello\n  world\n",
    "a: \"two\n  lines\"\n",
    "a: [1,\n  2]\n",
    "---\na: 1\n",
    "%YAML 1.2\n---\na: 1\n",
    "a:\n- 1\n- 2\n",
    "? a\n: b\n",
    "a: b: c\n",
    "a: {x}\n",
    "a: [a, b,]\n",
    "a:\tb\n",
    "a: 1\r\nb: 2\r\n",
    "\xef\xbb\xbf" "a: 1\n",
    "a: 1\n  b: 2\n",
    "a: {b: c:}\n",
    "a: \"\\q\"\n",
    "a: [x] y\n",
    "a: {x: tru?, y: 1}\n",  // yaml-cpp ends a flow scalar at '?'
};

}  // namespace

TEST(YamlReader, ReadsTheCommonSubsetAsYamlCppDoes) {
  for (const char* text : kInSubset) EXPECT_TRUE(same_as_yaml_cpp(text)) << "gave up on:\n" << text;
}

TEST(YamlReader, LeavesEverythingElseToYamlCpp) {
  for (const char* text : kOutsideSubset) {
    EXPECT_FALSE(read_yaml_subset(text)) << "read:\n" << text;
    // load_yaml still reads it, or names the line of the error.
    try {
      load_yaml(text, "t.yaml");
    } catch (const Error& e) {
      EXPECT_EQ(std::string(e.what()).rfind("t.yaml:", 0), 0u) << e.what();
    }
  }
}

TEST(YamlReader, AgreesOnEveryYamlFileInTheSourceTree) {
  namespace fs = std::filesystem;
  int read = 0, files = 0;
  for (const char* dir : {"tests", "migrations-template", "docs"}) {
    fs::path root = fs::path(DBMIG_SOURCE_DIR) / dir;
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
      auto ext = entry.path().extension();
      if (!entry.is_regular_file() || (ext != ".yaml" && ext != ".yml")) continue;
      std::ifstream in(entry.path(), std::ios::binary);
      std::stringstream ss;
      ss << in.rdbuf();
      ++files;
      read += same_as_yaml_cpp(ss.str());
    }
  }
  EXPECT_GT(files, 3);
  EXPECT_EQ(read, files) << "the subset reader gave up on some of dbmig's own files";
}

TEST(YamlReader, SyntaxErrorsNameTheLine) {
  try {
    load_yaml("a: 1\nb: [unclosed\n", "m.yaml");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()).rfind("m.yaml:", 0), 0u) << e.what();
  }
}

TEST(YamlReader, LookupGivesTheFirstEntryOrUndefined) {
  auto document = load_yaml("a: 1\na: 2\nb: [x]\n", "t.yaml");
  const YamlNode& doc = document.root();
  EXPECT_EQ(doc["a"].text(), "1");
  ASSERT_EQ(doc["b"].items().size(), 1u);
  EXPECT_EQ(doc["b"].items()[0].text(), "x");
  EXPECT_EQ(doc["b"].line(), 2);
  EXPECT_FALSE(doc["c"]);
  EXPECT_FALSE(doc["a"]["x"]);
}

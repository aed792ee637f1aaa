// Loading revision files: every file is read once, unchanged files come from the index, an
// edited file is read again, and operations are read only when asked for.
#include <dbmig/util/error.hpp>
#include <dbmig/revisions/script_directory.hpp>
#include <gtest/gtest.h>

#include <fstream>
#include <thread>

using namespace dbmig;
namespace fs = std::filesystem;

namespace {
class ScriptDirectoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("dbmig_sd_" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "versions");
    for (int i = 0; i < 50; ++i) write(i, "step " + std::to_string(i));
  }
  void TearDown() override { fs::remove_all(dir_); }
  void write(int i, const std::string& message) {
    std::string id = "r" + std::to_string(1000 + i);
    std::ofstream(dir_ / "versions" / (id + ".yaml"))
        << "revision: " << id << "\ndown_revision: " << (i ? "r" + std::to_string(999 + i) : "null") << "\nmessage: " << message
        << "\nupgrade:\n  - add_column: {table: t, column: {name: c" << i << ", type: integer}}\ndowngrade: []\n";
  }
  fs::path dir_;
};
}  // namespace

TEST_F(ScriptDirectoryTest, ReadsEachFileOnceThenUsesTheIndex) {
  {
    ScriptDirectory sd(dir_, {});
    EXPECT_EQ(sd.graph().revisions().size(), 50u);
    EXPECT_EQ(sd.files_read(), 50u);
    sd.graph();
    EXPECT_EQ(sd.files_read(), 50u);
    // Parsed while loading: asking for ops reads nothing more.
    EXPECT_EQ(sd.upgrade_ops(sd.graph().get("r1007")).size(), 1u);
    EXPECT_EQ(sd.files_read(), 50u);
  }
  EXPECT_TRUE(fs::exists(dir_ / ".dbmig-cache"));
  {
    ScriptDirectory sd(dir_, {});
    EXPECT_EQ(sd.graph().heads(), RevisionSet{"r1049"});
    EXPECT_EQ(sd.files_read(), 0u);  // all from the index
    EXPECT_EQ(sd.graph().get("r1010").message, "step 10");
    EXPECT_EQ(sd.graph().get("r1010").checksum.size(), 64u);
    // Operations come from the file, once.
    EXPECT_EQ(sd.upgrade_ops(sd.graph().get("r1010")).size(), 1u);
    sd.upgrade_ops(sd.graph().get("r1010"));
    EXPECT_EQ(sd.files_read(), 1u);
  }
  // An edited file is read again, and only that one.
  std::this_thread::sleep_for(std::chrono::milliseconds(10));
  write(10, "step ten, edited");
  {
    ScriptDirectory sd(dir_, {});
    EXPECT_EQ(sd.graph().get("r1010").message, "step ten, edited");
    EXPECT_EQ(sd.files_read(), 1u);
  }
  // A damaged index is ignored and rebuilt.
  std::ofstream(dir_ / ".dbmig-cache") << "dbmig revision index 1\ngarbage\tx\n";
  {
    ScriptDirectory sd(dir_, {});
    EXPECT_EQ(sd.graph().revisions().size(), 50u);
    EXPECT_EQ(sd.files_read(), 50u);
  }
  {
    ScriptDirectory sd(dir_, {});
    sd.graph();
    EXPECT_EQ(sd.files_read(), 0u);
  }
}

TEST_F(ScriptDirectoryTest, ABrokenNewFileIsReportedAndNotIndexed) {
  ScriptDirectory(dir_, {}).graph();
  std::ofstream(dir_ / "versions" / "zz.yaml") << "revision: zz\ndown_revision: r1049\nupgrade: [\n";
  EXPECT_THROW(ScriptDirectory(dir_, {}).graph(), Error);
  EXPECT_THROW(ScriptDirectory(dir_, {}).graph(), Error);  // still reported: never taken from the index
}

#include <dbmig/util/error.hpp>
#include <dbmig/revisions/revision.hpp>
#include <gtest/gtest.h>

using namespace dbmig;

namespace {
Revision rev(const std::string& id, std::vector<std::string> down = {}, std::vector<std::string> deps = {},
             std::vector<std::string> labels = {}) {
  Revision r;
  r.id = id;
  r.down_revisions = std::move(down);
  r.depends_on = std::move(deps);
  r.branch_labels = std::move(labels);
  return r;
}
std::vector<std::string> ids(const std::vector<const Revision*>& revs) {
  std::vector<std::string> out;
  for (auto* r : revs) out.push_back(r->id);
  return out;
}
std::string error_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}
// a -> b -> c, and b -> d (branch), and m merges c and d.
RevisionGraph branchy() {
  return RevisionGraph({rev("a1"), rev("b2", {"a1"}), rev("c3", {"b2"}), rev("d4", {"b2"}, {}, {"feature"}),
                        rev("m5", {"c3", "d4"})});
}
}  // namespace

TEST(RevisionGraph, LinearChainHeadsBasesAndPaths) {
  RevisionGraph g({rev("a"), rev("b", {"a"}), rev("c", {"b"})});
  EXPECT_EQ(g.heads(), RevisionSet{"c"});
  EXPECT_EQ(g.bases(), RevisionSet{"a"});
  EXPECT_EQ(ids(g.upgrade_path({}, {"c"})), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(ids(g.upgrade_path({"a"}, {"c"})), (std::vector<std::string>{"b", "c"}));
  EXPECT_EQ(ids(g.downgrade_path({"c"}, {})), (std::vector<std::string>{"c", "b", "a"}));
  EXPECT_EQ(ids(g.downgrade_path({"c"}, {"a"})), (std::vector<std::string>{"c", "b"}));
  EXPECT_TRUE(g.upgrade_path({"c"}, {"c"}).empty());
}

TEST(RevisionGraph, BranchAndMergePoints) {
  auto g = branchy();
  EXPECT_EQ(g.heads(), RevisionSet{"m5"});
  EXPECT_TRUE(g.is_branch_point("b2"));
  EXPECT_TRUE(g.is_merge_point("m5"));
  EXPECT_FALSE(g.is_merge_point("c3"));
  auto up = ids(g.upgrade_path({}, {"m5"}));
  ASSERT_EQ(up.size(), 5u);
  EXPECT_EQ(up.front(), "a1");
  EXPECT_EQ(up.back(), "m5");
  // From one branch head to the merge: only the other branch and the merge run.
  EXPECT_EQ(ids(g.upgrade_path({"c3"}, {"m5"})), (std::vector<std::string>{"d4", "m5"}));
  EXPECT_EQ(ids(g.downgrade_path({"m5"}, {"c3"})), (std::vector<std::string>{"m5", "d4"}));
}

TEST(RevisionGraph, HeadsAfterStepsFollowAlembic) {
  auto g = branchy();
  // Linear step: the parent is replaced.
  EXPECT_EQ(g.heads_after_upgrade({"a1"}, g.get("b2")), RevisionSet{"b2"});
  // Branch step: the parent is no longer a head, so the new revision is added.
  EXPECT_EQ(g.heads_after_upgrade({"c3"}, g.get("d4")), (RevisionSet{"c3", "d4"}));
  // Merge: both parents go, the merge stays.
  EXPECT_EQ(g.heads_after_upgrade({"c3", "d4"}, g.get("m5")), RevisionSet{"m5"});
  // Unmerge restores both parents.
  EXPECT_EQ(g.heads_after_downgrade({"m5"}, g.get("m5")), (RevisionSet{"c3", "d4"}));
  // Downgrading one branch leaves the branch point covered by the other head.
  EXPECT_EQ(g.heads_after_downgrade({"c3", "d4"}, g.get("d4")), RevisionSet{"c3"});
  EXPECT_EQ(g.heads_after_downgrade({"b2"}, g.get("b2")), RevisionSet{"a1"});
  EXPECT_EQ(g.heads_after_downgrade({"a1"}, g.get("a1")), RevisionSet{});
}

TEST(RevisionGraph, DependsOnOrdersAcrossBranches) {
  // Two independent bases; y2 depends on x1 of the other branch.
  RevisionGraph g({rev("x1"), rev("y1"), rev("y2", {"y1"}, {"x1"})});
  EXPECT_EQ(g.heads(), (RevisionSet{"x1", "y2"}));
  auto up = ids(g.upgrade_path({}, {"y2"}));
  EXPECT_EQ(up.size(), 3u);
  EXPECT_LT(std::find(up.begin(), up.end(), "x1") - up.begin(), std::find(up.begin(), up.end(), "y2") - up.begin());
  // Downgrading x1 takes y2 (which depends on it) down first.
  auto down = ids(g.downgrade_path({"x1", "y2"}, {"y1"}));
  EXPECT_EQ(down, (std::vector<std::string>{"y2", "x1"}));
}

TEST(RevisionGraph, ResolvesEveryTargetForm) {
  RevisionGraph g({rev("ae1d", {}, {}, {"core"}), rev("b7c2", {"ae1d"}), rev("b7d9", {"b7c2"}), rev("f00d", {"b7d9"})});
  EXPECT_EQ(g.resolve("head", {}), RevisionSet{"f00d"});
  EXPECT_EQ(g.resolve("heads", {}), RevisionSet{"f00d"});
  EXPECT_EQ(g.resolve("base", {"f00d"}), RevisionSet{});
  EXPECT_EQ(g.resolve("b7c2", {}), RevisionSet{"b7c2"});
  EXPECT_EQ(g.resolve("ae", {}), RevisionSet{"ae1d"});
  EXPECT_EQ(g.resolve("b7d", {}), RevisionSet{"b7d9"});
  EXPECT_EQ(g.resolve("+1", {}), RevisionSet{"ae1d"});
  EXPECT_EQ(g.resolve("+2", {"ae1d"}), RevisionSet{"b7d9"});
  EXPECT_EQ(g.resolve("-1", {"f00d"}), RevisionSet{"b7d9"});
  EXPECT_EQ(g.resolve("-4", {"f00d"}), RevisionSet{});
  EXPECT_EQ(g.resolve("b7c2+2", {}), RevisionSet{"f00d"});
  EXPECT_EQ(g.resolve("f00d-3", {}), RevisionSet{"ae1d"});
  EXPECT_EQ(g.resolve("core@head", {}), RevisionSet{"f00d"});
  EXPECT_EQ(g.resolve("core", {}), RevisionSet{"ae1d"});
  EXPECT_EQ(g.resolve("current", {"b7c2"}), RevisionSet{"b7c2"});
}

TEST(RevisionGraph, TargetErrors) {
  RevisionGraph g({rev("ab12"), rev("ab34", {"ab12"}), rev("cd56", {"ab12"})});
  EXPECT_NE(error_of([&] { g.resolve("ab", {}); }).find("ambiguous; it matches ab12, ab34"), std::string::npos);
  EXPECT_NE(error_of([&] { g.resolve("zz", {}); }).find("Can't locate revision identified by 'zz'"), std::string::npos);
  EXPECT_NE(error_of([&] { g.resolve("head", {}); }).find("Multiple head revisions are present"), std::string::npos);
  EXPECT_NE(error_of([&] { g.resolve("+1", {"ab12"}); }).find("ambiguous"), std::string::npos);
  EXPECT_NE(error_of([&] { g.resolve("-3", {"ab34"}); }).find("didn't produce 3 migrations"), std::string::npos);
  EXPECT_NE(error_of([&] { g.resolve("+5", {"ab34"}); }).find("didn't produce 5 migrations"), std::string::npos);
  EXPECT_NE(error_of([&] { g.downgrade_path({"ab34"}, {"cd56"}); }).find("not a valid downgrade target"), std::string::npos);
  EXPECT_EQ(g.resolve("heads", {}).size(), 2u);
}

TEST(RevisionGraph, GraphErrors) {
  EXPECT_NE(error_of([] { RevisionGraph({rev("a"), rev("a")}); }).find("duplicate revision id 'a'"), std::string::npos);
  EXPECT_NE(error_of([] { RevisionGraph({rev("a"), rev("b", {"zz"})}); }).find("down_revision 'zz' of revision b does not exist"),
            std::string::npos);
  EXPECT_NE(error_of([] { RevisionGraph({rev("a"), rev("b", {"a"}, {"qq"})}); }).find("depends_on 'qq'"), std::string::npos);
  auto cycle = error_of([] { RevisionGraph({rev("a", {"c"}), rev("b", {"a"}), rev("c", {"b"})}); });
  EXPECT_NE(cycle.find("cycle"), std::string::npos) << cycle;
  EXPECT_NE(error_of([] { RevisionGraph({rev("a", {}, {}, {"x"}), rev("b", {"a"}, {}, {"x"})}); }).find("branch label 'x'"),
            std::string::npos);
  EXPECT_NE(error_of([] { RevisionGraph({rev("a", {"a"})}); }).find("cycle"), std::string::npos);
}

TEST(RevisionGraph, LongChainIsLinear) {
  std::vector<Revision> revs;
  for (int i = 0; i < 10000; ++i) revs.push_back(rev("r" + std::to_string(i), i ? std::vector<std::string>{"r" + std::to_string(i - 1)} : std::vector<std::string>{}));
  RevisionGraph g(std::move(revs));
  EXPECT_EQ(g.heads(), RevisionSet{"r9999"});
  EXPECT_EQ(g.upgrade_path({}, g.heads()).size(), 10000u);
  EXPECT_EQ(g.topological().front()->id, "r0");
}

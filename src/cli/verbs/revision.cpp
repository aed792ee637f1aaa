// revision: an empty revision file to fill in by hand (--autogenerate makes it migrate).
#include <dbmig/cli/model_diff.hpp>
#include <dbmig/cli/verbs.hpp>
#include <dbmig/util/error.hpp>
#include <dbmig/util/output.hpp>

#include <iostream>
#include <memory>

namespace dbmig {
namespace {

struct RevisionOptions {
  std::string message;
  std::optional<std::string> rev_id;
  std::string head = "head";
  bool splice = false;
  std::vector<std::string> branch_labels;
  std::vector<std::string> depends_on;
  bool autogenerate = false;
  bool online = false;
};

int revision(const Globals& g, const RevisionOptions& o) {
  Project project(g);
  const auto& graph = project.graph();
  NewRevision rev;
  rev.message = o.message;
  if (o.rev_id) rev.id = *o.rev_id;
  rev.branch_labels = o.branch_labels;
  if (o.head != "base") {
    if (o.head == "head" && graph.heads().size() > 1)
      throw Error("Multiple heads are present (" + join(graph.heads()) +
                  "); please specify --head for the revision to build on, or run 'dbmig merge'");
    rev.down_revisions = graph.resolve(o.head, {});
    for (const auto& parent : rev.down_revisions)
      if (!graph.is_head(parent) && !o.splice)
        throw Error("Revision " + parent + " is not a head revision; use --splice to start a new branch from it");
  }
  for (const auto& d : o.depends_on) rev.depends_on.push_back(graph.resolve_one(d));
  announce_generated(project.scripts().write(rev));
  return 0;
}

}  // namespace

void add_revision(VerbRegistry& verbs) {
  auto o = std::make_shared<RevisionOptions>();
  auto* v = verbs.add("revision", "write a new, empty revision file to fill in by hand");
  v->add_option("-m,--message", o->message, "what the revision does")->required();
  v->add_option("--rev-id", o->rev_id, "use this revision id instead of a random one");
  v->add_option("--head", o->head, "the revision to build on (base starts a new branch)")->capture_default_str();
  v->add_flag("--splice", o->splice, "allow --head to name a revision that is not a head");
  v->add_option("--branch-label", o->branch_labels, "label the new revision's branch");
  v->add_option("--depends-on", o->depends_on, "revisions this one depends on");
  v->add_flag("--autogenerate", o->autogenerate, "compare models.yaml with the database (same as migrate)");
  v->add_flag("--online", o->online, "with --autogenerate: the forms that do not block writes (as migrate --online)");
  verbs.on_run(v, [o](const Globals& g) {
    if (o->online && !o->autogenerate) throw UsageError("--online goes with --autogenerate");
    if (!o->autogenerate) return revision(g, *o);
    if (o->splice || !o->branch_labels.empty() || !o->depends_on.empty())
      throw UsageError("--autogenerate takes -m, --rev-id and --head; --splice, --branch-label and --depends-on need a hand-written revision");
    return migrate(g, {.message = o->message, .rev_id = o->rev_id, .head = o->head, .online = o->online});
  });
}

}  // namespace dbmig

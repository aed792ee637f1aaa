// migrate (Flask-Migrate's name for revision --autogenerate): a revision from the models.
#include <dbmig/autogenerate/online_forms.hpp>
#include <dbmig/cli/model_diff.hpp>
#include <dbmig/cli/verbs.hpp>
#include <dbmig/revisions/op_yaml.hpp>
#include <dbmig/util/output.hpp>

#include <iostream>
#include <memory>

namespace dbmig {

int migrate(const Globals& g, const AutogenerateOptions& o) {
  Project project(g);
  RevisionSet parent = o.head == "base" ? RevisionSet{} : project.graph().resolve(o.head, {});
  if (!o.from_empty) require_database_at(project, parent, "; run 'dbmig upgrade' first");
  auto diff = diff_models(project, o.from_empty);
  if (o.online || project.config().online) diff.upgrade = online_forms(diff.upgrade, project.dialect());
  if (o.dry_run) {
    if (g.json) std::cout << "{" << json_changes(diff) << ", \"upgrade\": " << json_string(ops_yaml(diff.upgrade)) << "}\n";
    else std::cout << "upgrade:" << ops_yaml(diff.upgrade) << "downgrade:" << ops_yaml(reverse_all(diff.upgrade));
    return 0;
  }
  if (diff.empty() && !o.allow_empty) {
    log_info("No changes in schema detected.");
    return 0;
  }
  NewRevision rev;
  rev.message = o.message;
  if (o.rev_id) rev.id = *o.rev_id;
  rev.down_revisions = parent;
  rev.upgrade_ops = diff.upgrade;
  rev.downgrade_ops = reverse_all(diff.upgrade);
  announce_generated(project.scripts().write(rev));
  return 0;
}

void add_migrate(VerbRegistry& verbs) {
  auto o = std::make_shared<AutogenerateOptions>();
  auto* v = verbs.add("migrate", "write a revision from the difference between models.yaml and the database");
  v->add_option("-m,--message", o->message, "what the revision does")->required();
  v->add_option("--rev-id", o->rev_id, "use this revision id instead of a random one");
  v->add_option("--head", o->head, "the revision to build on; the database must be there")->capture_default_str();
  v->add_flag("--allow-empty", o->allow_empty, "write a revision even when nothing changed");
  v->add_flag("--from-empty", o->from_empty, "compare with an empty database (a baseline of an existing one)");
  v->add_flag("--dry-run", o->dry_run, "print the operations instead of writing a file");
  v->add_flag("--online", o->online, "write the forms that do not block writes on a busy PostgreSQL (as online: true)");
  verbs.on_run(v, [o](const Globals& g) { return migrate(g, *o); });
}

}  // namespace dbmig

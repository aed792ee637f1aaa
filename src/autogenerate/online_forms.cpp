#include <dbmig/autogenerate/online_forms.hpp>
#include <dbmig/lint/change.hpp>  // a later stage: lint's test of which defaults PostgreSQL evaluates per row
#include <dbmig/util/overloaded.hpp>

#include <set>

namespace dbmig {
namespace {

class OnlineRewriter {
 public:
  OnlineRewriter(const std::vector<Op>& ops, const Dialect& dialect) : dialect_(dialect) {
    for (const auto& op : ops) {
      if (auto* c = std::get_if<CreateTable>(&op)) no_rows_.insert(c->table.name);
      if (auto* d = std::get_if<DropTable>(&op)) no_rows_.insert(d->name);
    }
  }

  void add(const Op& op) {
    if (no_rows_.count(op_table(op))) {
      out_.push_back(op);
      return;
    }
    const size_t first = out_.size();
    rewrite(op);
    for (size_t i = first; i < out_.size(); ++i) set_op_schema(out_[i], op_schema(op));  // the forms act on its table
  }

  std::vector<Op> take() { return std::move(out_); }

 private:
  void rewrite(const Op& op) {
    std::visit(overloaded{
                   [&](CreateIndex o) {
                     o.concurrently = true;
                     out_.push_back(o);
                   },
                   [&](DropIndex o) {
                     o.concurrently = true;
                     out_.push_back(o);
                   },
                   [&](CreateUniqueConstraint o) {
                     if (o.constraint.name.empty()) o.constraint.name = default_name(o.table, o.constraint.columns, "key");
                     o.concurrently = true;
                     out_.push_back(o);
                   },
                   [&](CreateForeignKey o) {
                     if (o.constraint.name.empty()) o.constraint.name = default_name(o.table, o.constraint.columns, "fkey");
                     o.not_valid = true;
                     out_.push_back(o);
                     out_.push_back(ValidateConstraint{o.table, o.constraint.name});
                   },
                   [&](CreateCheckConstraint o) {
                     if (o.constraint.name.empty()) {  // PostgreSQL's name for it depends on the expression
                       out_.push_back(o);
                       return;
                     }
                     o.not_valid = true;
                     out_.push_back(o);
                     out_.push_back(ValidateConstraint{o.table, o.constraint.name});
                   },
                   [&](const AlterColumn& o) { alter_column(o); },
                   [&](const AddColumn& o) { add_column(o); },
                   [&](const auto& o) { out_.push_back(o); },
               },
               op);
  }

  std::string default_name(const std::string& table, const std::vector<std::string>& columns, const std::string& label) const {
    return dialect_.default_constraint_name(table, columns, label);
  }

  // NOT NULL without a scan under ACCESS EXCLUSIVE: the NULLs filled in batches, a check
  // added NOT VALID and validated, then SET NOT NULL (PostgreSQL 12+ trusts the check), and
  // the check dropped.
  void set_not_null(const std::string& table, const std::string& column, const std::optional<std::string>& fill,
                    const AlterColumn& existing) {
    if (fill) out_.push_back(Backfill{table, column, *fill});
    CheckConstraint check{default_name(table, {column}, "not_null_check"), dialect_.quote(column) + " IS NOT NULL"};
    out_.push_back(CreateCheckConstraint{table, check, true});
    out_.push_back(ValidateConstraint{table, check.name});
    AlterColumn nn = existing;
    nn.nullable = false;
    nn.existing_nullable = true;
    out_.push_back(nn);
    DropConstraint drop{table, check.name, ConstraintType::check};
    drop.sql = check.sql;
    out_.push_back(drop);
  }

  void alter_column(const AlterColumn& o) {
    if (o.nullable != false || o.existing_nullable == false) {
      out_.push_back(o);
      return;
    }
    // What the rows holding NULL get: as the plain form has it (the fill, else the default).
    std::optional<std::string> fill = o.fill;
    if (!fill && o.server_default && *o.server_default) fill = **o.server_default;
    if (!fill && !o.server_default && o.existing_server_default && *o.existing_server_default) fill = **o.existing_server_default;
    AlterColumn rest = o;  // type, default and comment first, the rename last
    rest.nullable.reset();
    rest.fill.reset();
    rest.new_name.reset();
    if (rest.type || rest.server_default || rest.comment) out_.push_back(rest);
    AlterColumn existing{.table = o.table, .name = o.name};
    existing.existing_type = o.type ? o.type : o.existing_type;
    existing.existing_server_default = o.server_default ? o.server_default : o.existing_server_default;
    set_not_null(o.table, o.name, fill, existing);
    if (o.new_name) {
      AlterColumn rename{.table = o.table, .name = o.name};
      rename.new_name = o.new_name;
      out_.push_back(rename);
    }
  }

  // A volatile default (evaluated per row) makes ADD COLUMN rewrite the table: add the column
  // bare, give it the default for new rows, backfill the old ones, then NOT NULL if wanted.
  void add_column(const AddColumn& o) {
    const Column& c = o.column;
    if (!c.server_default || c.autoincrement || !lint::expression_is_volatile(*c.server_default)) {
      out_.push_back(o);
      return;
    }
    Column bare = c;
    bare.server_default.reset();
    bare.nullable = true;
    out_.push_back(AddColumn{o.table, bare});
    AlterColumn with_default{.table = o.table, .name = c.name};
    with_default.server_default = OptionalText(c.server_default);
    with_default.existing_server_default = OptionalText(std::optional<std::string>());
    with_default.existing_type = c.type;
    with_default.existing_nullable = true;
    out_.push_back(with_default);
    if (c.nullable) {
      out_.push_back(Backfill{o.table, c.name, *c.server_default});
      return;
    }
    AlterColumn existing{.table = o.table, .name = c.name};
    existing.existing_type = c.type;
    existing.existing_server_default = OptionalText(c.server_default);
    set_not_null(o.table, c.name, c.server_default, existing);
  }

  const Dialect& dialect_;
  std::set<std::string> no_rows_;  // tables created or dropped in this revision
  std::vector<Op> out_;
};

}  // namespace

std::vector<Op> online_forms(const std::vector<Op>& ops, const Dialect& dialect) {
  if (!dialect.has_online_forms()) return ops;
  OnlineRewriter rewriter(ops, dialect);
  for (const auto& op : ops) rewriter.add(op);
  return rewriter.take();
}

}  // namespace dbmig

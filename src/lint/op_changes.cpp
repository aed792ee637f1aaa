#include <dbmig/lint/op_changes.hpp>
#include <dbmig/util/overloaded.hpp>

namespace dbmig::lint {

namespace {

Change change(ChangeKind kind, const std::string& table, const std::string& name = "") {
  Change c;
  c.kind = kind;
  c.table = table;
  c.name = name;
  return c;
}

Change column_added(const std::string& table, const Column& col) {
  Change c = change(ChangeKind::add_column, table, col.name);
  c.type = normal_type(col.type);
  c.not_null = !col.nullable;
  c.has_default = col.server_default.has_value();
  c.volatile_default = col.server_default && expression_is_volatile(*col.server_default);
  // An autoincrement column is a nextval() default, evaluated per row.
  auto t = c.type;
  if (col.autoincrement || t == "serial" || t == "bigserial") {
    c.has_default = true;
    c.volatile_default = true;
  }
  return c;
}

Change constraint_added(const std::string& table, const std::string& name, ConstraintKind kind) {
  Change c = change(ChangeKind::add_constraint, table, name);
  c.constraint = kind;
  return c;
}

Change index_change(ChangeKind kind, const std::string& table, const std::string& name, bool unique, bool concurrently) {
  Change c = change(kind, table, name);
  c.unique = unique;
  c.concurrently = concurrently;
  c.own_phase = concurrently;
  return c;
}

}  // namespace

std::vector<Change> op_changes(const Op& op) {
  using V = std::vector<Change>;
  return std::visit(
      overloaded{
          [](const CreateTable& o) {
            Change c = change(ChangeKind::create_table, o.table.name);
            for (const auto& col : o.table.columns) c.columns.emplace_back(col.name, normal_type(col.type));
            return V{c};
          },
          [](const DropTable& o) { return V{change(ChangeKind::drop_table, o.name)}; },
          [](const RenameTable& o) { return V{change(ChangeKind::rename_table, o.name, o.new_name)}; },
          [](const AddColumn& o) { return V{column_added(o.table, o.column)}; },
          [](const DropColumn& o) { return V{change(ChangeKind::drop_column, o.table, o.name)}; },
          [](const AlterColumn& o) {
            // In the order the PostgreSQL dialect runs them: type, nullability, default, rename.
            V out;
            if (o.type) {
              Change c = change(ChangeKind::alter_type, o.table, o.name);
              c.type = normal_type(*o.type);
              if (o.existing_type) c.old_type = normal_type(*o.existing_type);
              out.push_back(c);
            }
            if (o.nullable && !*o.nullable && o.existing_nullable.value_or(true))
              out.push_back(change(ChangeKind::set_not_null, o.table, o.name));
            if (o.server_default) out.push_back(change(ChangeKind::set_default, o.table, o.name));
            if (o.new_name) out.push_back(change(ChangeKind::rename_column, o.table, o.name));
            if (out.empty()) out.push_back(change(ChangeKind::other_ddl, o.table, o.name));  // a comment only
            return out;
          },
          [](const CreateIndex& o) {
            return V{index_change(ChangeKind::create_index, o.table, o.index.name, o.index.unique, o.concurrently)};
          },
          [](const DropIndex& o) { return V{index_change(ChangeKind::drop_index, o.table, o.name, false, o.concurrently)}; },
          [](const CreateUniqueConstraint& o) {
            Change c = constraint_added(o.table, o.constraint.name, ConstraintKind::unique);
            c.using_index = o.concurrently || !o.using_index.empty();
            if (!o.concurrently) return V{c};
            return V{index_change(ChangeKind::create_index, o.table, o.constraint.name, true, true), c};
          },
          [](const CreateForeignKey& o) {
            Change c = constraint_added(o.table, o.constraint.name, ConstraintKind::foreign_key);
            c.ref_table = o.constraint.ref_table;
            c.not_valid = o.not_valid;
            return V{c};
          },
          [](const CreateCheckConstraint& o) {
            Change c = constraint_added(o.table, o.constraint.name, ConstraintKind::check);
            c.not_valid = o.not_valid;
            c.not_null_of = not_null_check_column(o.constraint.sql);
            return V{c};
          },
          [](const CreatePrimaryKey& o) { return V{constraint_added(o.table, o.name, ConstraintKind::primary_key)}; },
          [](const DropConstraint& o) { return V{change(ChangeKind::drop_constraint, o.table, o.name)}; },
          [](const ValidateConstraint& o) {
            Change c = change(ChangeKind::validate_constraint, o.table, o.name);
            c.own_phase = true;
            return V{c};
          },
          [](const Backfill& o) { return V{change(ChangeKind::data, o.table, o.column)}; },
          // execute is read by the linter itself; ops added later default to "DDL no rule knows".
          [](const auto& o) {
            return V{change(std::is_same_v<std::decay_t<decltype(o)>, Execute> ? ChangeKind::data : ChangeKind::other_ddl,
                            op_table(Op{o}))};
          },
      },
      op);
}

}  // namespace dbmig::lint

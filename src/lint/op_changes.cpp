#include <dbmig/lint/op_changes.hpp>
#include <dbmig/util/overloaded.hpp>

namespace dbmig::lint {

namespace {

Change column_added(const std::string& table, const Column& col) {
  Change c;
  c.kind = ChangeKind::add_column;
  c.table = table;
  c.name = col.name;
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
  Change c;
  c.kind = ChangeKind::add_constraint;
  c.table = table;
  c.name = name;
  c.constraint = kind;
  return c;
}

}  // namespace

std::vector<Change> op_changes(const Op& op) {
  using V = std::vector<Change>;
  return std::visit(
      overloaded{
          [](const CreateTable& o) {
            Change c;
            c.kind = ChangeKind::create_table;
            c.table = o.table.name;
            for (const auto& col : o.table.columns) c.columns.emplace_back(col.name, normal_type(col.type));
            return V{c};
          },
          [](const DropTable& o) {
            Change c;
            c.kind = ChangeKind::drop_table;
            c.table = o.name;
            return V{c};
          },
          [](const RenameTable& o) {
            Change c;
            c.kind = ChangeKind::rename_table;
            c.table = o.name;
            c.name = o.new_name;
            return V{c};
          },
          [](const AddColumn& o) { return V{column_added(o.table, o.column)}; },
          [](const DropColumn& o) {
            Change c;
            c.kind = ChangeKind::drop_column;
            c.table = o.table;
            c.name = o.name;
            return V{c};
          },
          [](const AlterColumn& o) {
            // In the order the PostgreSQL dialect runs them: type, nullability, default, rename.
            V out;
            Change base;
            base.table = o.table;
            base.name = o.name;
            if (o.type) {
              Change c = base;
              c.kind = ChangeKind::alter_type;
              c.type = normal_type(*o.type);
              if (o.existing_type) c.old_type = normal_type(*o.existing_type);
              out.push_back(c);
            }
            if (o.nullable && !*o.nullable && o.existing_nullable.value_or(true)) {
              Change c = base;
              c.kind = ChangeKind::set_not_null;
              out.push_back(c);
            }
            if (o.server_default) {
              Change c = base;
              c.kind = ChangeKind::set_default;
              out.push_back(c);
            }
            if (o.new_name) {
              Change c = base;
              c.kind = ChangeKind::rename_column;
              out.push_back(c);
            }
            if (out.empty()) {  // a comment only
              Change c = base;
              c.kind = ChangeKind::other_ddl;
              out.push_back(c);
            }
            return out;
          },
          [](const CreateIndex& o) {
            Change c;
            c.kind = ChangeKind::create_index;
            c.table = o.table;
            c.name = o.index.name;
            c.unique = o.index.unique;
            c.concurrently = o.concurrently;
            return V{c};
          },
          [](const DropIndex& o) {
            Change c;
            c.kind = ChangeKind::drop_index;
            c.table = o.table;
            c.name = o.name;
            c.concurrently = o.concurrently;
            return V{c};
          },
          [](const CreateUniqueConstraint& o) { return V{constraint_added(o.table, o.constraint.name, ConstraintKind::unique)}; },
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
          [](const DropConstraint& o) {
            Change c;
            c.kind = ChangeKind::drop_constraint;
            c.table = o.table;
            c.name = o.name;
            return V{c};
          },
          // execute is read by the linter itself; ops added later default to "DDL no rule knows".
          [](const auto& o) {
            Change c;
            c.kind = std::is_same_v<std::decay_t<decltype(o)>, Execute> ? ChangeKind::data : ChangeKind::other_ddl;
            c.table = op_table(Op{o});
            return V{c};
          },
      },
      op);
}

}  // namespace dbmig::lint

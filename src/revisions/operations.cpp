#include <dbmig/util/error.hpp>
#include <dbmig/revisions/operations.hpp>
#include <dbmig/util/overloaded.hpp>

#include <algorithm>
#include <cctype>

namespace dbmig {
namespace {

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

Table& require_table(Schema& schema, const std::string& name, const std::string& what) {
  Table* t = schema.table(name);
  if (!t) throw Error(what + ": table '" + name + "' does not exist");
  return *t;
}
Column& require_column(Table& table, const std::string& name, const std::string& what) {
  Column* c = table.column(name);
  if (!c) throw Error(what + ": column '" + table.name + "." + name + "' does not exist");
  return *c;
}
void rename_in(std::vector<std::string>& cols, const std::string& from, const std::string& to) {
  std::replace(cols.begin(), cols.end(), from, to);
}

// Renames a column where it appears as a word in SQL text (index predicates, checks), outside
// string literals, as both databases do when a column is renamed.
std::string rename_in_sql(const std::string& sql, const std::string& from, const std::string& to) {
  auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  std::string out;
  for (size_t i = 0; i < sql.size();) {
    char c = sql[i];
    if (c == '\'') {
      size_t end = sql.find('\'', i + 1);
      end = end == std::string::npos ? sql.size() : end + 1;
      out += sql.substr(i, end - i);
      i = end;
    } else if (c == '"' && sql.compare(i + 1, from.size(), from) == 0 && i + from.size() + 1 < sql.size() &&
               sql[i + from.size() + 1] == '"') {
      out += "\"" + to + "\"";
      i += from.size() + 2;
    } else if (word(c) && (i == 0 || !word(sql[i - 1])) && sql.compare(i, from.size(), from) == 0 &&
               (i + from.size() == sql.size() || !word(sql[i + from.size()]))) {
      out += to;
      i += from.size();
    } else {
      out += c;
      ++i;
    }
  }
  return out;
}
template <class T>
void erase_named(std::vector<T>& v, const std::string& name) {
  v.erase(std::remove_if(v.begin(), v.end(), [&](const T& x) { return x.name == name; }), v.end());
}
}  // namespace

std::string op_name(const Op& op) {
  static const char* names[] = {"create_table", "drop_table", "rename_table", "add_column", "drop_column",
                                "alter_column", "create_index", "drop_index", "create_unique_constraint",
                                "create_foreign_key", "create_check_constraint", "create_primary_key", "drop_constraint",
                                "create_enum", "drop_enum", "alter_enum", "create_extension", "drop_extension", "create_schema", "drop_schema",
                                "create_sequence", "drop_sequence", "alter_sequence", "create_partition", "drop_partition", "create_domain", "drop_domain", "alter_domain", "create_view", "drop_view",
                                "create_object", "drop_object", "validate_constraint", "backfill",
                                "execute", "unconverted"};
  if (auto* c = std::get_if<CreateObject>(&op)) return (c->existing_sql ? "replace_" : "create_") + c->object.kind;
  if (auto* d = std::get_if<DropObject>(&op)) return "drop_" + d->kind;
  return names[op.index()];
}

std::string op_table(const Op& op) {
  return std::visit(overloaded{
                        [](const CreateTable& o) { return o.table.name; },
                        [](const DropTable& o) { return o.name; },
                        [](const RenameTable& o) { return o.name; },
                        [](const Execute&) { return std::string(); },
                        [](const CreateEnum&) { return std::string(); },
                        [](const DropEnum&) { return std::string(); },
                        [](const AlterEnum&) { return std::string(); },
                        [](const CreateExtension&) { return std::string(); },
                        [](const DropExtension&) { return std::string(); },
                        [](const CreateSchema&) { return std::string(); },
                        [](const DropSchema&) { return std::string(); },
                        [](const CreateSequence&) { return std::string(); },
                        [](const DropSequence&) { return std::string(); },
                        [](const AlterSequence&) { return std::string(); },
                        [](const CreateDomain&) { return std::string(); },
                        [](const DropDomain&) { return std::string(); },
                        [](const AlterDomain&) { return std::string(); },
                        [](const CreateView&) { return std::string(); },
                        [](const DropView&) { return std::string(); },
                        [](const CreateObject& o) { return o.object.table; },
                        [](const Unconverted&) { return std::string(); },
                        [](const auto& o) { return o.table; },
                    },
                    op);
}

std::string describe(const Op& op) {
  std::string detail = std::visit(
      overloaded{
          [](const CreateTable& o) { return o.table.name; },
          [](const DropTable& o) { return o.name; },
          [](const RenameTable& o) { return o.name + " -> " + o.new_name; },
          [](const AddColumn& o) { return o.table + "." + o.column.name; },
          [](const DropColumn& o) { return o.table + "." + o.name; },
          [](const AlterColumn& o) { return o.table + "." + o.name; },
          [](const CreateIndex& o) { return o.index.name + " on " + o.table; },
          [](const DropIndex& o) { return o.name; },
          [](const CreateUniqueConstraint& o) { return o.constraint.name + " on " + o.table; },
          [](const CreateForeignKey& o) { return o.constraint.name + " on " + o.table; },
          [](const CreateCheckConstraint& o) { return o.constraint.name + " on " + o.table; },
          [](const CreatePrimaryKey& o) { return o.name + " on " + o.table; },
          [](const DropConstraint& o) { return o.name + " on " + o.table; },
          [](const CreateEnum& o) { return o.type.name; },
          [](const DropEnum& o) { return o.name; },
          [](const AlterEnum& o) { return o.name; },
          [](const CreateExtension& o) { return o.name; },
          [](const DropExtension& o) { return o.name; },
          [](const CreateSchema& o) { return o.name; },
          [](const DropSchema& o) { return o.name; },
          [](const CreateSequence& o) { return o.sequence.name; },
          [](const DropSequence& o) { return o.name; },
          [](const AlterSequence& o) { return o.sequence.name; },
          [](const CreatePartition& o) { return o.partition.name + " of " + o.table; },
          [](const DropPartition& o) { return o.name + " of " + o.table; },
          [](const CreateDomain& o) { return o.domain.name; },
          [](const DropDomain& o) { return o.name; },
          [](const AlterDomain& o) { return o.domain.name; },
          [](const CreateView& o) { return o.view.name; },
          [](const DropView& o) { return o.name; },
          [](const CreateObject& o) { return o.object.table.empty() ? o.object.name : o.object.name + " on " + o.object.table; },
          [](const DropObject& o) { return o.table.empty() ? o.name : o.name + " on " + o.table; },
          [](const ValidateConstraint& o) { return o.name + " on " + o.table; },
          [](const Backfill& o) { return o.table + "." + o.column; },
          [](const Execute&) { return std::string(); },
          [](const Unconverted& o) { return o.file + ":" + std::to_string(o.line); },
      },
      op);
  const std::string& schema = op_schema(op);
  if (!schema.empty() && !detail.empty()) detail = schema + "." + detail;
  return detail.empty() ? op_name(op) : op_name(op) + " " + detail;
}

std::string unconverted_message(const Unconverted& o) {
  return o.file + ":" + std::to_string(o.line) + ": this code was not converted by 'dbmig import alembic' (" +
         o.source.substr(0, o.source.find('\n')) + (o.source.find('\n') == std::string::npos ? "" : " ...") +
         "); replace the unconverted op with operations or execute SQL by hand";
}

namespace {
const std::string kNoSchema;
}

const std::string& op_schema(const Op& op) {
  return std::visit(
      [](const auto& o) -> const std::string& {
        if constexpr (requires { o.table.schema; }) return o.table.schema;
        else if constexpr (requires { o.schema; }) return o.schema;
        else return kNoSchema;
      },
      op);
}

bool set_op_schema(Op& op, const std::string& schema) {
  return std::visit(
      [&](auto& o) {
        if constexpr (requires { o.table.schema; }) return o.table.schema = schema, true;
        else if constexpr (requires { o.schema; }) return o.schema = schema, true;
        else return false;
      },
      op);
}

namespace {
Op reverse_one(const Op& op) {
  auto cannot = [&](const std::string& why) -> Error {
    return Error("cannot reverse " + describe(op) + ": " + why);
  };
  return std::visit(
      overloaded{
          [](const CreateTable& o) -> Op { return DropTable{o.table.name, o.table}; },
          [&](const DropTable& o) -> Op {
            if (!o.existing) throw cannot("it does not carry the table's definition");
            return CreateTable{*o.existing};
          },
          [](const RenameTable& o) -> Op { return RenameTable{o.new_name, o.name}; },
          [](const AddColumn& o) -> Op { return DropColumn{o.table, o.column.name, o.column}; },
          [&](const DropColumn& o) -> Op {
            if (!o.existing) throw cannot("it does not carry the column's definition");
            return AddColumn{o.table, *o.existing};
          },
          [&](const AlterColumn& o) -> Op {
            AlterColumn r;
            r.table = o.table;
            r.name = o.new_name.value_or(o.name);
            if (o.new_name) r.new_name = o.name;
            if (o.type) {
              if (!o.existing_type) throw cannot("it changes the type without existing_type");
              r.type = o.existing_type;
            }
            if (o.nullable) {
              if (!o.existing_nullable) throw cannot("it changes nullability without existing_nullable");
              r.nullable = o.existing_nullable;
            }
            if (o.server_default) {
              if (!o.existing_server_default) throw cannot("it changes the default without existing_server_default");
              r.server_default = o.existing_server_default;
            }
            if (o.comment) {
              if (!o.existing_comment) throw cannot("it changes the comment without existing_comment");
              r.comment = o.existing_comment;
            }
            if (o.identity) r.identity = o.existing_identity;
            r.existing_identity = o.identity.value_or(o.existing_identity);
            r.existing_type = o.type ? o.type : o.existing_type;
            r.existing_nullable = o.nullable ? o.nullable : o.existing_nullable;
            r.existing_server_default = o.server_default ? o.server_default : o.existing_server_default;
            r.existing_comment = o.comment ? o.comment : o.existing_comment;
            r.existing_autoincrement = o.existing_autoincrement;
            return r;
          },
          [](const CreateIndex& o) -> Op { return DropIndex{o.table, o.index.name, o.index, o.concurrently}; },
          [&](const DropIndex& o) -> Op {
            if (!o.existing) throw cannot("it does not carry the index's columns");
            return CreateIndex{o.table, *o.existing, o.concurrently};
          },
          [&](const CreateUniqueConstraint& o) -> Op {
            if (!o.using_index.empty()) throw cannot("it is one step of a concurrent unique constraint");
            DropConstraint d{o.table, o.constraint.name, ConstraintType::unique};
            d.columns = o.constraint.columns;
            return d;
          },
          [](const CreateForeignKey& o) -> Op {
            DropConstraint d{o.table, o.constraint.name, ConstraintType::foreignkey};
            d.columns = o.constraint.columns;
            d.ref_table = o.constraint.ref_table;
            d.ref_columns = o.constraint.ref_columns;
            d.ref_schema = o.constraint.ref_schema;
            if (!o.constraint.on_delete.empty()) d.on_delete = o.constraint.on_delete;
            if (!o.constraint.on_update.empty()) d.on_update = o.constraint.on_update;
            return d;
          },
          [](const CreateCheckConstraint& o) -> Op {
            DropConstraint d{o.table, o.constraint.name, ConstraintType::check};
            d.sql = o.constraint.sql;
            return d;
          },
          [](const CreatePrimaryKey& o) -> Op {
            DropConstraint d{o.table, o.name, ConstraintType::primary};
            d.columns = o.columns;
            return d;
          },
          [&](const DropConstraint& o) -> Op {
            switch (o.type) {
              case ConstraintType::unique:
                if (!o.columns) throw cannot("it does not carry the constraint's columns");
                return CreateUniqueConstraint{o.table, UniqueConstraint{o.name, *o.columns}};
              case ConstraintType::check:
                if (!o.sql) throw cannot("it does not carry the constraint's sql");
                return CreateCheckConstraint{o.table, CheckConstraint{o.name, *o.sql}};
              case ConstraintType::foreignkey:
                if (!o.columns || !o.ref_table || !o.ref_columns)
                  throw cannot("it does not carry columns, ref_table and ref_columns");
                return CreateForeignKey{o.table, ForeignKey{o.name, *o.columns, *o.ref_table, *o.ref_columns,
                                                            o.on_delete.value_or(""), o.on_update.value_or(""), true,
                                                            o.ref_schema}};
              case ConstraintType::primary:
                if (!o.columns) throw cannot("it does not carry the key's columns");
                return CreatePrimaryKey{o.table, o.name, *o.columns};
            }
            throw cannot("unknown constraint type");
          },
          [](const CreateEnum& o) -> Op { return DropEnum{o.type.name, o.type.values}; },
          [&](const DropEnum& o) -> Op {
            if (!o.existing_values) throw cannot("it does not carry the type's existing_values");
            return CreateEnum{EnumType{o.name, *o.existing_values}};
          },
          [](const AlterEnum& o) -> Op {
            AlterEnum r{o.name, o.existing_values, o.values, {}};
            for (const auto& [now, before] : o.renamed) r.renamed[before] = now;
            return r;
          },
          [](const CreateExtension& o) -> Op { return DropExtension{o.name}; },
          [](const DropExtension& o) -> Op { return CreateExtension{o.name}; },
          [](const CreateSchema& o) -> Op { return DropSchema{o.name}; },
          [](const DropSchema& o) -> Op { return CreateSchema{o.name}; },
          [](const CreateSequence& o) -> Op { return DropSequence{o.sequence.name, o.sequence}; },
          [&](const DropSequence& o) -> Op {
            if (!o.existing) throw cannot("it does not carry the sequence's existing definition");
            return CreateSequence{*o.existing};
          },
          [](const AlterSequence& o) -> Op { return AlterSequence{o.existing, o.sequence}; },
          [](const CreatePartition& o) -> Op { return DropPartition{o.table, o.partition.name, o.partition.bound}; },
          [&](const DropPartition& o) -> Op {
            if (!o.existing_bound) throw cannot("it does not carry the partition's existing_bound");
            return CreatePartition{o.table, Partition{o.name, *o.existing_bound}};
          },
          [](const CreateDomain& o) -> Op { return DropDomain{o.domain.name, o.domain}; },
          [&](const DropDomain& o) -> Op {
            if (!o.existing) throw cannot("it does not carry the domain's existing definition");
            return CreateDomain{*o.existing};
          },
          [](const AlterDomain& o) -> Op { return AlterDomain{o.existing, o.domain}; },
          [](const CreateView& o) -> Op { return DropView{o.view.name, o.view.materialized, o.view.sql, o.view.indexes}; },
          [&](const DropView& o) -> Op {
            if (!o.existing_sql) throw cannot("it does not carry the view's existing_sql");
            return CreateView{View{o.name, *o.existing_sql, o.materialized, o.existing_indexes}};
          },
          [](const CreateObject& o) -> Op {
            const SqlObject& x = o.object;
            if (!o.existing_sql) return DropObject{x.kind, x.name, x.table, x.sql};
            return CreateObject{SqlObject{x.kind, x.name, x.table, *o.existing_sql}, x.sql};
          },
          [&](const DropObject& o) -> Op {
            if (!o.existing_sql) throw cannot("it does not carry the " + o.kind + "'s existing_sql");
            return CreateObject{SqlObject{o.kind, o.name, o.table, *o.existing_sql}, std::nullopt};
          },
          [&](const ValidateConstraint&) -> Op { throw cannot("validating has nothing to undo"); },
          [&](const Backfill&) -> Op { throw cannot("a backfill has nothing to undo"); },
          [&](const Execute&) -> Op { throw cannot("raw SQL has no inverse; write the downgrade by hand"); },
          [&](const Unconverted&) -> Op { throw cannot("it was not converted; convert it by hand"); },
      },
      op);
}
}  // namespace

Op reverse(const Op& op) {
  Op r = reverse_one(op);
  set_op_schema(r, op_schema(op));
  return r;
}

std::vector<Op> reverse_all(const std::vector<Op>& ops) {
  std::vector<Op> out;
  out.reserve(ops.size());
  for (auto it = ops.rbegin(); it != ops.rend(); ++it)
    if (!undoes_nothing(*it)) out.push_back(reverse(*it));
  return out;
}

bool undoes_nothing(const Op& op) {
  return std::holds_alternative<ValidateConstraint>(op) || std::holds_alternative<Backfill>(op);
}

void remove_column(Table& t, const std::string& column) {
  t.columns.erase(std::remove_if(t.columns.begin(), t.columns.end(), [&](const Column& c) { return c.name == column; }),
                  t.columns.end());
  auto mentions = [&](const auto& x) { return contains(x.columns, column); };
  std::erase_if(t.uniques, mentions);
  std::erase_if(t.foreign_keys, mentions);
  std::erase_if(t.indexes, mentions);
  if (contains(t.primary_key, column)) t.primary_key.clear(), t.primary_key_name.clear();
}

void apply(Schema& schema, const Op& op) {
  const std::string what = describe(op);
  std::visit(
      overloaded{
          [&](const CreateTable& o) {
            if (schema.table(o.table.name)) throw Error(what + ": table '" + o.table.name + "' already exists");
            schema.tables.push_back(o.table);
          },
          [&](const DropTable& o) {
            require_table(schema, o.name, what);
            erase_named(schema.tables, o.name);
          },
          [&](const RenameTable& o) {
            Table& t = require_table(schema, o.name, what);
            t.name = o.new_name;
            t.dependents.clear();  // their text names the old table
            for (auto& t : schema.tables)
              for (auto& fk : t.foreign_keys)
                if (fk.ref_table == o.name) fk.ref_table = o.new_name;
          },
          [&](const AddColumn& o) {
            Table& t = require_table(schema, o.table, what);
            if (t.column(o.column.name)) throw Error(what + ": column already exists");
            t.columns.push_back(o.column);
          },
          [&](const DropColumn& o) {
            Table& t = require_table(schema, o.table, what);
            require_column(t, o.name, what);
            remove_column(t, o.name);
          },
          [&](const AlterColumn& o) {
            Table& t = require_table(schema, o.table, what);
            Column& c = require_column(t, o.name, what);
            if (o.type) c.type = *o.type, c.autoincrement = false;
            if (o.nullable) c.nullable = *o.nullable;
            if (o.server_default) c.server_default = *o.server_default;
            if (o.comment) c.comment = *o.comment;
            if (o.identity) c.identity = *o.identity;
            if (o.new_name) {
              c.name = *o.new_name;
              rename_in(t.primary_key, o.name, *o.new_name);
              for (auto& u : t.uniques) rename_in(u.columns, o.name, *o.new_name);
              for (auto& fk : t.foreign_keys) rename_in(fk.columns, o.name, *o.new_name);
              for (auto& ix : t.indexes) {
                rename_in(ix.columns, o.name, *o.new_name);
                ix.where = rename_in_sql(ix.where, o.name, *o.new_name);
              }
              for (auto& ck : t.checks) ck.sql = rename_in_sql(ck.sql, o.name, *o.new_name);
              for (auto& other : schema.tables)
                for (auto& fk : other.foreign_keys)
                  if (fk.ref_table == o.table) rename_in(fk.ref_columns, o.name, *o.new_name);
            }
          },
          [&](const CreateIndex& o) { require_table(schema, o.table, what).indexes.push_back(o.index); },
          [&](const DropIndex& o) {
            Table& t = require_table(schema, o.table, what);
            erase_named(t.indexes, o.name);
          },
          [&](const CreateUniqueConstraint& o) { require_table(schema, o.table, what).uniques.push_back(o.constraint); },
          [&](const CreateForeignKey& o) {
            require_table(schema, o.table, what).foreign_keys.push_back(o.constraint);
          },
          [&](const CreateCheckConstraint& o) { require_table(schema, o.table, what).checks.push_back(o.constraint); },
          [&](const CreatePrimaryKey& o) {
            Table& t = require_table(schema, o.table, what);
            if (!t.primary_key.empty()) throw Error(what + ": table '" + o.table + "' already has a primary key");
            for (const auto& c : o.columns) require_column(t, c, what).nullable = false;
            t.primary_key = o.columns;
            t.primary_key_name = o.name;
          },
          [&](const DropConstraint& o) {
            Table& t = require_table(schema, o.table, what);
            size_t before = t.uniques.size() + t.foreign_keys.size() + t.checks.size() + (t.primary_key.empty() ? 0 : 1);
            erase_named(t.uniques, o.name);
            erase_named(t.foreign_keys, o.name);
            erase_named(t.checks, o.name);
            if (t.primary_key_name == o.name) t.primary_key.clear(), t.primary_key_name.clear();
            size_t after = t.uniques.size() + t.foreign_keys.size() + t.checks.size() + (t.primary_key.empty() ? 0 : 1);
            if (before == after) throw Error(what + ": table '" + o.table + "' has no constraint named '" + o.name + "'");
          },
          [&](const CreateEnum& o) {
            if (schema.enum_type(o.type.name)) throw Error(what + ": type '" + o.type.name + "' already exists");
            schema.enums.push_back(o.type);
          },
          [&](const DropEnum& o) { erase_named(schema.enums, o.name); },
          [&](const AlterEnum& o) {
            auto it = std::find_if(schema.enums.begin(), schema.enums.end(), [&](const EnumType& e) { return e.name == o.name; });
            if (it != schema.enums.end()) it->values = o.values;
          },
          // Extensions, sequences, domains, views, functions and triggers are not tracked: no later op of a
          // run reads them.
          [](const CreateExtension&) {},
          [](const DropExtension&) {},
          [](const CreateSchema&) {},
          [](const DropSchema&) {},
          [](const CreateSequence&) {},
          [](const DropSequence&) {},
          [](const AlterSequence&) {},
          [&](const CreatePartition& o) { require_table(schema, o.table, what).partitions.push_back(o.partition); },
          [&](const DropPartition& o) { erase_named(require_table(schema, o.table, what).partitions, o.name); },
          [](const CreateDomain&) {},
          [](const DropDomain&) {},
          [](const AlterDomain&) {},
          [](const CreateView&) {},
          [](const DropView&) {},
          [](const CreateObject&) {},
          [](const DropObject&) {},
          [&](const ValidateConstraint& o) { require_table(schema, o.table, what); },
          [&](const Backfill& o) { require_column(require_table(schema, o.table, what), o.column, what); },
          [](const Execute&) {},
          [](const Unconverted&) {},
      },
      op);
}

}  // namespace dbmig

#include <dbmig/util/error.hpp>
#include <dbmig/revisions/op_yaml.hpp>
#include <dbmig/util/overloaded.hpp>
#include <dbmig/model/table_yaml.hpp>

#include <cstdlib>

namespace dbmig {
namespace {

OptionalText optional_text(const YamlContext& ctx, const YamlNode& node, What what) {
  if (!node) return std::nullopt;
  return optional_scalar(ctx, node, what);
}

std::optional<std::string> text_if(const YamlContext& ctx, const YamlNode& node, What what) {
  if (!node) return std::nullopt;
  return scalar(ctx, node, what);
}

std::vector<std::string> columns_of(const YamlContext& ctx, const YamlNode& body, const std::string& what) {
  auto cols = string_list(ctx, body["columns"], {what, " columns"});
  if (cols.empty()) ctx.fail(body, what + " names no columns");
  return cols;
}

Op parse_op(const YamlContext& ctx, const std::string& kind, const YamlNode& b, const NamingConvention& naming) {
  const std::string what = kind;
  auto name_or = [&](const char* pattern_key, const std::string& table, const std::vector<std::string>& cols,
                     const std::string& ref = "") {
    if (b["name"] && b["name"].is_null() && std::string(pattern_key) != "ix") return std::string();  // unnamed
    if (b["name"]) return scalar(ctx, b["name"], {what, " name"});
    std::string pattern = std::string(pattern_key) == "ix" ? naming.ix : std::string(pattern_key) == "uq" ? naming.uq : naming.fk;
    return naming.name(pattern, table, cols, ref);
  };
  if (kind == "create_table") {
    if (!b.is_map() || !b["name"]) ctx.fail(b, "create_table is missing the required key 'name'");
    auto name = scalar(ctx, b["name"], "create_table name");  // parse_table checks the other keys
    return CreateTable{parse_table(ctx, b, name, TableSyntax::operation, naming, {"name"})};
  }
  if (kind == "drop_table") {
    check_keys(ctx, b, what, {"name", "existing"}, {"name"});
    DropTable op{scalar(ctx, b["name"], "drop_table name"), std::nullopt};
    if (b["existing"]) op.existing = parse_table(ctx, b["existing"], op.name, TableSyntax::operation, naming);
    if (op.existing) op.schema = op.existing->schema;
    return op;
  }
  if (kind == "rename_table") {
    check_keys(ctx, b, what, {"name", "new_name"}, {"name", "new_name"});
    return RenameTable{scalar(ctx, b["name"], "rename_table name"), scalar(ctx, b["new_name"], "rename_table new_name")};
  }
  if (kind == "add_column") {
    check_keys(ctx, b, what, {"table", "column"}, {"table", "column"});
    return AddColumn{scalar(ctx, b["table"], "add_column table"), parse_plain_column(ctx, b["column"], "add_column column", true)};
  }
  if (kind == "drop_column") {
    check_keys(ctx, b, what, {"table", "name", "existing"}, {"table", "name"});
    DropColumn op{scalar(ctx, b["table"], "drop_column table"), scalar(ctx, b["name"], "drop_column name"), std::nullopt};
    if (b["existing"]) {
      op.existing = parse_plain_column(ctx, b["existing"], "drop_column existing", false);
      op.existing->name = op.name;
    }
    return op;
  }
  if (kind == "alter_column") {
    check_keys(ctx, b, what,
               {"table", "name", "new_name", "type", "nullable", "server_default", "comment", "identity", "fill", "existing_type",
                "existing_nullable", "existing_server_default", "existing_comment", "existing_autoincrement", "existing_identity"},
               {"table", "name"});
    AlterColumn op;
    op.table = scalar(ctx, b["table"], "alter_column table");
    op.name = scalar(ctx, b["name"], "alter_column name");
    op.new_name = text_if(ctx, b["new_name"], "alter_column new_name");
    op.type = text_if(ctx, b["type"], "alter_column type");
    if (b["nullable"]) op.nullable = boolean(ctx, b["nullable"], "alter_column nullable");
    op.server_default = optional_text(ctx, b["server_default"], "alter_column server_default");
    op.comment = optional_text(ctx, b["comment"], "alter_column comment");
    auto identity = [&](const char* key) {
      std::string v = b[key].is_null() ? "" : scalar(ctx, b[key], {what, key});
      if (!v.empty() && v != "always" && v != "by_default") ctx.fail(b[key], "alter_column " + std::string(key) + " is always, by_default or null");
      return v;
    };
    if (b["identity"]) op.identity = identity("identity");
    if (b["existing_identity"]) op.existing_identity = identity("existing_identity");
    op.fill = text_if(ctx, b["fill"], "alter_column fill");
    if (op.fill && op.nullable != false)
      ctx.fail(b["fill"], "alter_column " + op.table + "." + op.name + ": fill is for nullable: false (it sets the NULLs first)");
    op.existing_type = text_if(ctx, b["existing_type"], "alter_column existing_type");
    if (b["existing_nullable"]) op.existing_nullable = boolean(ctx, b["existing_nullable"], "existing_nullable");
    op.existing_server_default = optional_text(ctx, b["existing_server_default"], "existing_server_default");
    op.existing_comment = optional_text(ctx, b["existing_comment"], "existing_comment");
    if (b["existing_autoincrement"]) op.existing_autoincrement = boolean(ctx, b["existing_autoincrement"], "existing_autoincrement");
    if (!op.new_name && !op.type && !op.nullable && !op.server_default && !op.comment && !op.identity)
      ctx.fail(b, "alter_column " + op.table + "." + op.name +
                      " changes nothing (give new_name, type, nullable, server_default, comment or identity)");
    return op;
  }
  if (kind == "create_index" || kind == "drop_index") {
    bool create = kind == "create_index";
    check_keys(ctx, b, what, {"name", "table", "columns", "expressions", "unique", "where", "using", "include", "concurrently"},
               create ? std::initializer_list<std::string_view>{"table"} : std::initializer_list<std::string_view>{"name", "table"});
    auto table = scalar(ctx, b["table"], {what, " table"});
    Index ix = parse_index(ctx, b, "", true);
    if (create && ix.columns.empty()) ctx.fail(b, what + " names no columns or expressions");
    ix.name = name_or("ix", table, ix.columns);
    bool concurrently = b["concurrently"] && boolean(ctx, b["concurrently"], {what, " concurrently"});
    if (create) return CreateIndex{table, ix, concurrently};
    DropIndex op{table, ix.name, std::nullopt, concurrently};
    if (!ix.columns.empty()) op.existing = ix;
    return op;
  }
  if (kind == "create_unique_constraint") {
    check_keys(ctx, b, what, {"name", "table", "columns", "concurrently"}, {"table", "columns"});
    auto table = scalar(ctx, b["table"], {what, " table"});
    auto cols = columns_of(ctx, b, what);
    CreateUniqueConstraint op{table, UniqueConstraint{name_or("uq", table, cols), cols}};
    op.concurrently = b["concurrently"] && boolean(ctx, b["concurrently"], {what, " concurrently"});
    if (op.concurrently && op.constraint.name.empty())
      ctx.fail(b, what + " on " + table + ": concurrently needs a name (the index is built under it first)");
    return op;
  }
  if (kind == "create_foreign_key") {
    check_keys(ctx, b, what, {"name", "table", "columns", "ref_table", "ref_schema", "ref_columns", "on_delete", "on_update", "not_valid"},
               {"table", "columns", "ref_table", "ref_columns"});
    auto table = scalar(ctx, b["table"], {what, " table"});
    ForeignKey fk;
    fk.columns = columns_of(ctx, b, what);
    fk.ref_table = scalar(ctx, b["ref_table"], {what, " ref_table"});
    if (b["ref_schema"]) fk.ref_schema = scalar(ctx, b["ref_schema"], {what, " ref_schema"});
    fk.ref_columns = string_list(ctx, b["ref_columns"], {what, " ref_columns"});
    if (fk.ref_columns.size() != fk.columns.size()) ctx.fail(b, what + ": columns and ref_columns differ in number");
    if (b["on_delete"]) fk.on_delete = normalize_fk_action(ctx, b["on_delete"]);
    if (b["on_update"]) fk.on_update = normalize_fk_action(ctx, b["on_update"]);
    fk.name = name_or("fk", table, fk.columns, fk.ref_table);
    return CreateForeignKey{table, fk, b["not_valid"] && boolean(ctx, b["not_valid"], {what, " not_valid"})};
  }
  if (kind == "create_check_constraint") {
    check_keys(ctx, b, what, {"name", "table", "sql", "not_valid"}, {"name", "table", "sql"});
    std::string name = b["name"].is_null() ? "" : scalar(ctx, b["name"], {what, " name"});  // null: unnamed
    return CreateCheckConstraint{scalar(ctx, b["table"], {what, " table"}),
                                 CheckConstraint{name, scalar(ctx, b["sql"], {what, " sql"})},
                                 b["not_valid"] && boolean(ctx, b["not_valid"], {what, " not_valid"})};
  }
  if (kind == "create_primary_key") {
    check_keys(ctx, b, what, {"name", "table", "columns"}, {"table", "columns"});
    auto table = scalar(ctx, b["table"], {what, " table"});
    auto cols = columns_of(ctx, b, what);
    std::string name = !b["name"] ? naming.name(naming.pk, table, cols) : b["name"].is_null() ? "" : scalar(ctx, b["name"], {what, " name"});
    return CreatePrimaryKey{table, name, cols};
  }
  if (kind == "drop_constraint") {
    check_keys(ctx, b, what, {"name", "table", "type", "columns", "sql", "ref_table", "ref_schema", "ref_columns", "on_delete", "on_update"},
               {"name", "table", "type"});
    DropConstraint op;
    op.name = scalar(ctx, b["name"], {what, " name"});
    op.table = scalar(ctx, b["table"], {what, " table"});
    auto type = scalar(ctx, b["type"], {what, " type"});
    if (type == "unique") op.type = ConstraintType::unique;
    else if (type == "foreignkey") op.type = ConstraintType::foreignkey;
    else if (type == "check") op.type = ConstraintType::check;
    else if (type == "primary") op.type = ConstraintType::primary;
    else ctx.fail(b["type"], "drop_constraint type must be unique, foreignkey, check or primary, not '" + type + "'");
    if (b["columns"]) op.columns = string_list(ctx, b["columns"], {what, " columns"});
    op.sql = text_if(ctx, b["sql"], {what, " sql"});
    op.ref_table = text_if(ctx, b["ref_table"], {what, " ref_table"});
    if (b["ref_schema"]) op.ref_schema = scalar(ctx, b["ref_schema"], {what, " ref_schema"});
    if (b["ref_columns"]) op.ref_columns = string_list(ctx, b["ref_columns"], {what, " ref_columns"});
    if (b["on_delete"]) op.on_delete = normalize_fk_action(ctx, b["on_delete"]);
    if (b["on_update"]) op.on_update = normalize_fk_action(ctx, b["on_update"]);
    return op;
  }
  if (kind == "create_enum") {
    check_keys(ctx, b, what, {"name", "values"}, {"name", "values"});
    return CreateEnum{EnumType{scalar(ctx, b["name"], "create_enum name"), string_list(ctx, b["values"], "create_enum values")}};
  }
  if (kind == "create_extension" || kind == "drop_extension" || kind == "create_schema" || kind == "drop_schema") {
    check_keys(ctx, b, what, {"name"}, {"name"});
    std::string name = scalar(ctx, b["name"], {what, " name"});
    if (kind == "create_extension") return CreateExtension{name};
    if (kind == "drop_extension") return DropExtension{name};
    if (kind == "create_schema") return CreateSchema{name};
    return DropSchema{name};
  }
  if (kind == "create_sequence" || kind == "drop_sequence" || kind == "alter_sequence") {
    check_keys(ctx, b, what, {"name", "start", "increment", "existing"}, {"name"});
    auto sequence = [&](const YamlNode& node, const std::string& name) {
      Sequence s{name};
      if (node["start"]) s.start = integer(ctx, node["start"], {what, " start"});
      if (node["increment"]) s.increment = integer(ctx, node["increment"], {what, " increment"});
      if (s.increment == 0) ctx.fail(node["increment"], what + " " + name + ": increment cannot be 0");
      return s;
    };
    std::string name = scalar(ctx, b["name"], {what, " name"});
    const YamlNode& existing = b["existing"];
    if (existing) check_keys(ctx, existing, {what, " existing"}, {"start", "increment"}, {});
    if (kind == "create_sequence") return CreateSequence{sequence(b, name)};
    if (kind == "alter_sequence") {
      if (!existing) ctx.fail(b, what + " " + name + " needs existing: {start, increment} for its downgrade");
      return AlterSequence{sequence(b, name), sequence(existing, name)};
    }
    DropSequence op{name, std::nullopt};
    if (existing) op.existing = sequence(existing, name);
    return op;
  }
  if (kind == "create_view" || kind == "drop_view") {
    const bool create = kind == "create_view";
    const char* indexes = create ? "indexes" : "existing_indexes";
    check_keys(ctx, b, what, {"name", create ? "sql" : "existing_sql", "materialized", indexes}, {"name", create ? "sql" : "name"});
    std::string name = scalar(ctx, b["name"], {what, " name"});
    bool materialized = b["materialized"] && boolean(ctx, b["materialized"], {what, " materialized"});
    auto view_indexes = parse_view_indexes(ctx, b[indexes], name, materialized);
    if (create) return CreateView{View{name, scalar(ctx, b["sql"], {what, " sql"}), materialized, view_indexes}};
    return DropView{name, materialized, text_if(ctx, b["existing_sql"], {what, " existing_sql"}), view_indexes};
  }
  if (kind == "create_partition" || kind == "drop_partition") {
    const bool create = kind == "create_partition";
    check_keys(ctx, b, what, {"table", "name", create ? "bound" : "existing_bound"}, {"table", "name", create ? "bound" : "name"});
    std::string table = scalar(ctx, b["table"], {what, " table"}), name = scalar(ctx, b["name"], {what, " name"});
    if (create) return CreatePartition{table, Partition{name, scalar(ctx, b["bound"], {what, " bound"})}};
    return DropPartition{table, name, text_if(ctx, b["existing_bound"], {what, " existing_bound"})};
  }
  if (kind == "create_domain" || kind == "drop_domain" || kind == "alter_domain") {
    const bool drop = kind == "drop_domain";
    const std::vector<std::string_view> body{"type", "nullable", "server_default", "check", "checks"};
    std::vector<std::string_view> keys{"name", "existing"};
    if (!drop) keys.insert(keys.end(), body.begin(), body.end());
    check_keys(ctx, b, what, keys, kind == "alter_domain" ? std::vector<std::string_view>{"name", "type", "existing"}
                                   : drop ? std::vector<std::string_view>{"name"} : std::vector<std::string_view>{"name", "type"});
    std::string name = scalar(ctx, b["name"], {what, " name"});
    std::optional<Domain> existing;
    if (const YamlNode& e = b["existing"]) {
      check_keys(ctx, e, {what, " existing"}, body, std::vector<std::string_view>{"type"});
      existing = parse_domain(ctx, e, name, true);
    }
    if (drop) return DropDomain{name, existing};
    if (kind == "create_domain") return CreateDomain{parse_domain(ctx, b, name, true)};
    return AlterDomain{parse_domain(ctx, b, name, true), *existing};
  }
  for (const char* object : {"function", "trigger"}) {
    const std::string verb = kind.substr(0, kind.find('_')), rest = kind.substr(kind.find('_') + 1);
    if (rest != object || (verb != "create" && verb != "replace" && verb != "drop")) continue;
    const bool trigger = rest == "trigger", has_sql = verb != "drop";
    std::vector<std::string_view> keys{"name", "existing_sql"}, required{"name"};
    if (trigger) keys.push_back("table"), required.push_back("table");
    if (has_sql) keys.push_back("sql"), required.push_back("sql");
    if (verb == "replace") required.push_back("existing_sql");
    check_keys(ctx, b, what, keys, required);
    SqlObject x{rest, scalar(ctx, b["name"], {what, " name"}), trigger ? scalar(ctx, b["table"], {what, " table"}) : ""};
    auto existing = text_if(ctx, b["existing_sql"], {what, " existing_sql"});
    if (!has_sql) return DropObject{x.kind, x.name, x.table, existing};
    x.sql = scalar(ctx, b["sql"], {what, " sql"});
    return CreateObject{x, existing};
  }
  if (kind == "drop_enum") {
    check_keys(ctx, b, what, {"name", "existing_values"}, {"name"});
    DropEnum op{scalar(ctx, b["name"], "drop_enum name"), std::nullopt};
    if (b["existing_values"]) op.existing_values = string_list(ctx, b["existing_values"], "drop_enum existing_values");
    return op;
  }
  if (kind == "alter_enum") {
    check_keys(ctx, b, what, {"name", "values", "existing_values", "renamed"}, {"name", "values", "existing_values"});
    AlterEnum op;
    op.name = scalar(ctx, b["name"], "alter_enum name");
    op.values = string_list(ctx, b["values"], "alter_enum values");
    op.existing_values = string_list(ctx, b["existing_values"], "alter_enum existing_values");
    if (const YamlNode& r = b["renamed"]) {
      if (!r.is_map()) ctx.fail(r, "alter_enum renamed must map each new label to its old label");
      for (auto [now, before] : r.entries())
        op.renamed[scalar(ctx, now, "alter_enum renamed")] = scalar(ctx, before, "alter_enum renamed");
    }
    return op;
  }
  if (kind == "validate_constraint") {
    check_keys(ctx, b, what, {"name", "table"}, {"name", "table"});
    return ValidateConstraint{scalar(ctx, b["table"], {what, " table"}), scalar(ctx, b["name"], {what, " name"})};
  }
  if (kind == "backfill") {
    check_keys(ctx, b, what, {"table", "column", "value", "batch_size"}, {"table", "column", "value"});
    Backfill op{scalar(ctx, b["table"], {what, " table"}), scalar(ctx, b["column"], {what, " column"}),
                scalar(ctx, b["value"], {what, " value"})};
    if (b["batch_size"]) {
      auto n = scalar(ctx, b["batch_size"], {what, " batch_size"});
      char* end = nullptr;
      op.batch_size = std::strtol(n.c_str(), &end, 10);
      if (n.empty() || *end || op.batch_size < 1) ctx.fail(b["batch_size"], what + " batch_size must be a whole number of rows, at least 1");
    }
    return op;
  }
  if (kind == "unconverted") {
    check_keys(ctx, b, what, {"file", "line", "source"}, {"file", "line", "source"});
    Unconverted op{scalar(ctx, b["file"], "unconverted file"), 0, scalar(ctx, b["source"], "unconverted source")};
    try {
      op.line = std::stol(scalar(ctx, b["line"], "unconverted line"));
    } catch (const std::exception&) {
      ctx.fail(b["line"], "unconverted line must be a number");
    }
    return op;
  }
  if (kind == "execute") {
    Execute op;
    if (b.is_scalar()) {
      op.sql = scalar(ctx, b, "execute");
      return op;
    }
    check_keys(ctx, b, what, {"sql", "postgresql", "sqlite"});
    if (b["sql"]) op.sql = scalar(ctx, b["sql"], "execute sql");
    for (const char* d : {"postgresql", "sqlite"})
      if (b[d]) op.per_dialect[d] = scalar(ctx, b[d], std::string("execute ") + d);
    if (op.sql.empty() && op.per_dialect.empty()) ctx.fail(b, "execute needs sql, or postgresql and/or sqlite");
    if (!op.sql.empty() && !op.per_dialect.empty()) ctx.fail(b, "execute takes either sql or per-dialect statements, not both");
    return op;
  }
  ctx.fail(b, "unknown operation '" + kind +
                  "' (expected create_table, drop_table, rename_table, add_column, drop_column, alter_column, "
                  "create_index, drop_index, create_unique_constraint, create_foreign_key, create_check_constraint, "
                  "create_primary_key, drop_constraint, create_enum, drop_enum, alter_enum, create_extension, "
                  "drop_extension, create_schema, drop_schema, create_sequence, drop_sequence, alter_sequence, create_partition, drop_partition, "
                  "create_domain, drop_domain, alter_domain, create_view, drop_view, create_function, replace_function, "
                  "drop_function, create_trigger, replace_trigger, drop_trigger, validate_constraint, backfill, execute "
                  "or unconverted)");
}

std::string flow(std::initializer_list<std::pair<std::string, std::string>> items) {
  std::string out = "{";
  for (const auto& [k, v] : items)
    if (!v.empty()) out += (out.size() > 1 ? ", " : "") + k + ": " + v;
  return out + "}";
}
std::string q(const std::string& s) { return yaml_quote(s); }
std::string q(const std::optional<std::string>& s) { return s ? q(*s) : ""; }
std::string q_if(const std::string& s) { return s.empty() ? "" : q(s); }  // left out when empty
std::string qn(const OptionalText& s) { return !s ? "" : *s ? q(**s) : "null"; }
std::string name_or_null(const std::string& name) { return name.empty() ? "null" : q(name); }
std::string b(const std::optional<bool>& v) { return !v ? "" : *v ? "true" : "false"; }
// {name, start, increment, existing: {...}}; a drop_sequence carries only its existing definition.
std::string sequence_flow(const Sequence& s, const Sequence* existing) {
  auto numbers = [](const Sequence& x) {
    return flow({{"start", std::to_string(x.start)}, {"increment", std::to_string(x.increment)}});
  };
  if (existing == &s) return flow({{"name", q(s.name)}, {"existing", numbers(s)}});
  std::string body = numbers(s);
  return "{name: " + q(s.name) + ", " + body.substr(1, body.size() - 2) + (existing ? ", existing: " + numbers(*existing) : "") + "}";
}
std::string index_flow(const std::string& name, const std::string& table, const Index* index, bool concurrently) {
  std::string out = "{name: " + q(name) + ", table: " + q(table);
  if (index) out += ", " + index_keys_yaml(*index);
  return out + (concurrently ? ", concurrently: true}" : "}");
}
const char* constraint_type_name(ConstraintType t) {
  switch (t) {
    case ConstraintType::unique: return "unique";
    case ConstraintType::foreignkey: return "foreignkey";
    case ConstraintType::check: return "check";
    case ConstraintType::primary: return "primary";
  }
  return "";
}

std::string op_body(const Op& op) {
  return std::visit(
      overloaded{
          [](const CreateTable& o) { return "\n      name: " + q(o.table.name) + "\n" + table_yaml(o.table, "      "); },
          [](const DropTable& o) {
            if (!o.existing) return flow({{"name", q(o.name)}, {"schema", q_if(o.schema)}});
            return "\n      name: " + q(o.name) + "\n      existing:\n" + table_yaml(*o.existing, "        ");  // with its schema
          },
          [](const RenameTable& o) { return flow({{"name", q(o.name)}, {"new_name", q(o.new_name)}}); },
          [](const AddColumn& o) { return flow({{"table", q(o.table)}, {"column", column_yaml(o.column, true)}}); },
          [](const DropColumn& o) {
            return flow({{"table", q(o.table)}, {"name", q(o.name)}, {"existing", o.existing ? column_yaml(*o.existing, false) : ""}});
          },
          [](const AlterColumn& o) {
            return flow({{"table", q(o.table)}, {"name", q(o.name)}, {"new_name", q(o.new_name)}, {"type", q(o.type)},
                         {"nullable", b(o.nullable)}, {"server_default", qn(o.server_default)}, {"comment", qn(o.comment)},
                         {"identity", !o.identity ? "" : o.identity->empty() ? "null" : *o.identity}, {"fill", q(o.fill)}, {"existing_type", q(o.existing_type)}, {"existing_nullable", b(o.existing_nullable)},
                         {"existing_server_default", qn(o.existing_server_default)},
                         {"existing_comment", qn(o.existing_comment)},
                         {"existing_autoincrement", o.existing_autoincrement ? "true" : ""},
                         {"existing_identity", o.existing_identity}});
          },
          [](const CreateIndex& o) { return index_flow(o.index.name, o.table, &o.index, o.concurrently); },
          [](const DropIndex& o) { return index_flow(o.name, o.table, o.existing ? &*o.existing : nullptr, o.concurrently); },
          [](const CreateUniqueConstraint& o) {
            return flow({{"name", name_or_null(o.constraint.name)}, {"table", q(o.table)}, {"columns", list_yaml(o.constraint.columns)},
                         {"concurrently", o.concurrently ? "true" : ""}});
          },
          [](const CreateForeignKey& o) {
            const auto& f = o.constraint;
            return flow({{"name", name_or_null(f.name)}, {"table", q(o.table)}, {"columns", list_yaml(f.columns)},
                         {"ref_table", q(f.ref_table)}, {"ref_schema", q_if(f.ref_schema)}, {"ref_columns", list_yaml(f.ref_columns)},
                         {"on_delete", q_if(f.on_delete)}, {"on_update", q_if(f.on_update)}, {"not_valid", o.not_valid ? "true" : ""}});
          },
          [](const CreateCheckConstraint& o) {
            return flow({{"name", name_or_null(o.constraint.name)}, {"table", q(o.table)}, {"sql", q(o.constraint.sql)},
                         {"not_valid", o.not_valid ? "true" : ""}});
          },
          [](const CreatePrimaryKey& o) {
            return flow({{"name", name_or_null(o.name)}, {"table", q(o.table)}, {"columns", list_yaml(o.columns)}});
          },
          [](const DropConstraint& o) {
            return flow({{"name", q(o.name)}, {"table", q(o.table)}, {"type", constraint_type_name(o.type)},
                         {"columns", o.columns ? list_yaml(*o.columns) : ""}, {"sql", q(o.sql)},
                         {"ref_table", q(o.ref_table)}, {"ref_schema", q_if(o.ref_schema)},
                         {"ref_columns", o.ref_columns ? list_yaml(*o.ref_columns) : ""},
                         {"on_delete", q(o.on_delete)}, {"on_update", q(o.on_update)}});
          },
          [](const CreateEnum& o) { return flow({{"name", q(o.type.name)}, {"values", list_yaml(o.type.values)}}); },
          [](const DropEnum& o) {
            return flow({{"name", q(o.name)}, {"existing_values", o.existing_values ? list_yaml(*o.existing_values) : ""}});
          },
          [](const AlterEnum& o) {
            std::string renamed;
            for (const auto& [now, before] : o.renamed) renamed += (renamed.empty() ? "{" : ", ") + q(now) + ": " + q(before);
            return flow({{"name", q(o.name)}, {"values", list_yaml(o.values)}, {"existing_values", list_yaml(o.existing_values)},
                         {"renamed", renamed.empty() ? "" : renamed + "}"}});
          },
          [](const CreateExtension& o) { return flow({{"name", q(o.name)}}); },
          [](const DropExtension& o) { return flow({{"name", q(o.name)}}); },
          [](const CreateSchema& o) { return flow({{"name", q(o.name)}}); },
          [](const DropSchema& o) { return flow({{"name", q(o.name)}}); },
          [](const CreateSequence& o) { return sequence_flow(o.sequence, nullptr); },
          [](const DropSequence& o) { return o.existing ? sequence_flow(*o.existing, &*o.existing) : flow({{"name", q(o.name)}}); },
          [](const AlterSequence& o) { return sequence_flow(o.sequence, &o.existing); },
          [](const CreatePartition& o) {
            return flow({{"table", q(o.table)}, {"name", q(o.partition.name)}, {"bound", q(o.partition.bound)}});
          },
          [](const DropPartition& o) { return flow({{"table", q(o.table)}, {"name", q(o.name)}, {"existing_bound", q(o.existing_bound)}}); },
          [](const CreateDomain& o) { return "{name: " + q(o.domain.name) + ", " + domain_keys_yaml(o.domain) + "}"; },
          [](const DropDomain& o) {
            return "{name: " + q(o.name) + (o.existing ? ", existing: {" + domain_keys_yaml(*o.existing) + "}}" : "}");
          },
          [](const AlterDomain& o) {
            return "{name: " + q(o.domain.name) + ", " + domain_keys_yaml(o.domain) + ", existing: {" + domain_keys_yaml(o.existing) + "}}";
          },
          [](const CreateView& o) {
            return flow({{"name", q(o.view.name)}, {"sql", q(o.view.sql)}, {"materialized", o.view.materialized ? "true" : ""},
                         {"indexes", view_indexes_yaml(o.view.indexes)}});
          },
          [](const DropView& o) {
            return flow({{"name", q(o.name)}, {"materialized", o.materialized ? "true" : ""}, {"existing_sql", q(o.existing_sql)},
                         {"existing_indexes", view_indexes_yaml(o.existing_indexes)}});
          },
          [](const CreateObject& o) {
            return flow({{"name", q(o.object.name)}, {"table", q_if(o.object.table)}, {"sql", q(o.object.sql)}, {"existing_sql", q(o.existing_sql)}});
          },
          [](const DropObject& o) { return flow({{"name", q(o.name)}, {"table", q_if(o.table)}, {"existing_sql", q(o.existing_sql)}}); },
          [](const ValidateConstraint& o) { return flow({{"name", q(o.name)}, {"table", q(o.table)}}); },
          [](const Backfill& o) {
            return flow({{"table", q(o.table)}, {"column", q(o.column)}, {"value", q(o.value)},
                         {"batch_size", o.batch_size == Backfill{}.batch_size ? "" : std::to_string(o.batch_size)}});
          },
          [](const Execute& o) {
            if (o.per_dialect.empty()) return q(o.sql);
            std::string out = "{";
            for (const auto& [d, sql] : o.per_dialect) out += (out.size() > 1 ? ", " : "") + d + ": " + q(sql);
            return out + "}";
          },
          [](const Unconverted& o) {
            return flow({{"file", q(o.file)}, {"line", std::to_string(o.line)}, {"source", q(o.source)}});
          },
      },
      op);
}

}  // namespace

std::vector<Op> parse_ops(const YamlContext& ctx, const YamlNode& list, const std::string& what,
                          const NamingConvention& naming) {
  std::vector<Op> ops;
  if (!list || list.is_null()) return ops;
  if (!list.is_sequence()) ctx.fail(list, what + " must be a list of operations");
  for (const auto& item : list.items()) {
    if (!item.is_map() || item.size() != 1)
      ctx.fail(item, "each entry of " + what + " must be one operation, e.g. - add_column: {table: ..., column: ...}");
    auto [name, body] = item.entries()[0];
    // lint_ignore is read by lint (SPEC 7.5); schema by every op on a table (create_table's own reader too).
    static constexpr std::string_view op_keys[] = {"lint_ignore", "schema"};
    ExtraKeys extra_keys(body, op_keys);
    const std::string kind = scalar(ctx, name, "operation name");
    Op op = parse_op(ctx, kind, body, naming);
    if (body.is_map() && body["schema"] && !set_op_schema(op, scalar(ctx, body["schema"], {kind, " schema"})))
      ctx.fail(body["schema"], kind + " takes no schema (it acts on the default schema)");
    ops.push_back(std::move(op));
  }
  return ops;
}

std::string ops_yaml(const std::vector<Op>& ops) {
  if (ops.empty()) return " []\n";
  std::string out = "\n";
  for (const auto& op : ops) {
    std::string body = op_body(op);
    // Every op on a table in another schema names it last; create_table's and drop_table's table does.
    if (!op_schema(op).empty() && body.front() == '{' && !std::holds_alternative<DropTable>(op))
      body.insert(body.size() - 1, ", schema: " + q(op_schema(op)));
    out += "  - " + op_name(op) + ":" + (body.front() == '\n' ? body : " " + body + "\n");
  }
  return out;
}

}  // namespace dbmig

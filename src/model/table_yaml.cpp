#include <dbmig/util/error.hpp>
#include <dbmig/model/table_yaml.hpp>
#include <dbmig/model/types.hpp>

#include <algorithm>
#include <cctype>

namespace dbmig {
namespace {

std::string trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t");
  auto e = s.find_last_not_of(" \t");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

void check_type_text(const YamlContext& ctx, const YamlNode& node) {
  // A type cut at a comma by flow-mapping syntax: "numeric(10" with "2)" as the next key.
  std::string_view t = node.text();
  if (std::count(t.begin(), t.end(), '(') != std::count(t.begin(), t.end(), ')'))
    ctx.fail(node, "type '" + std::string(t) + "' has unbalanced parentheses; quote the type, e.g. type: \"numeric(10,2)\"");
}

// identity and computed (SPEC §7.2): a column the database fills itself.
void read_generated(const YamlContext& ctx, const YamlNode& node, const std::string& what, Column& c) {
  if (const auto& v = node["identity"]) {
    c.identity = scalar(ctx, v, {what, " identity"});
    std::replace(c.identity.begin(), c.identity.end(), ' ', '_');
    if (c.identity != "always" && c.identity != "by_default")
      ctx.fail(v, what + ": identity is 'always' or 'by_default', not '" + std::string(v.text()) + "'");
    if (!is_integer_type(c.type)) ctx.fail(v, what + ": an identity column needs an integer type, not '" + c.type + "'");
    if (node["nullable"] && c.nullable) ctx.fail(node["nullable"], what + " is an identity column and cannot be nullable");
    c.nullable = false;
    c.autoincrement = false;  // an identity column, not a serial
  }
  if (const auto& v = node["computed"]) {
    c.computed = scalar(ctx, v, {what, " computed"});
    if (!c.identity.empty()) ctx.fail(v, what + " cannot be both computed and an identity column");
    if (c.server_default) ctx.fail(v, what + " cannot have both computed and server_default");
  }
}

}  // namespace

std::string normalize_fk_action(const YamlContext& ctx, const YamlNode& node) {
  std::string a = scalar(ctx, node, "a foreign key action");
  std::transform(a.begin(), a.end(), a.begin(), [](unsigned char c) { return std::toupper(c); });
  std::replace(a.begin(), a.end(), '_', ' ');
  static const char* ok[] = {"CASCADE", "SET NULL", "SET DEFAULT", "RESTRICT", "NO ACTION"};
  if (std::none_of(std::begin(ok), std::end(ok), [&](const char* x) { return a == x; }))
    ctx.fail(node, "unknown foreign key action '" + std::string(node.text()) +
                       "' (expected cascade, set null, set default, restrict or no action)");
  return a == "NO ACTION" ? "" : a;
}

namespace {
Reference parse_table_columns(const YamlContext& ctx, const YamlNode& node, const std::string& ref) {
  if (auto open = ref.find('('); open != std::string::npos) {
    auto close = ref.rfind(')');
    if (close == std::string::npos || close < open)
      ctx.fail(node, "foreign key reference '" + ref + "' must look like table(col1, col2)");
    std::vector<std::string> cols;
    std::string inner = ref.substr(open + 1, close - open - 1);
    size_t start = 0;
    while (start <= inner.size()) {
      auto comma = inner.find(',', start);
      std::string c = trim(inner.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
      if (c.empty()) ctx.fail(node, "foreign key reference '" + ref + "' has an empty column");
      cols.push_back(c);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    return {"", trim(ref.substr(0, open)), cols};
  }
  auto dot = ref.rfind('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 == ref.size())
    ctx.fail(node, "foreign key reference '" + ref + "' must look like table.column");
  return {"", ref.substr(0, dot), {ref.substr(dot + 1)}};
}
}  // namespace

Reference parse_reference(const YamlContext& ctx, const YamlNode& node) {
  const std::string ref = scalar(ctx, node, "a foreign key reference");
  Reference r = parse_table_columns(ctx, node, ref);
  if (auto dot = r.table.find('.'); dot != std::string::npos) {  // schema.table
    r.schema = r.table.substr(0, dot);
    r.table = r.table.substr(dot + 1);
    if (r.schema.empty() || r.table.empty()) ctx.fail(node, "foreign key reference '" + ref + "' must look like [schema.]table.column");
  }
  return r;
}

Column parse_plain_column(const YamlContext& ctx, const YamlNode& node, const std::string& what, bool needs_name) {
  if (needs_name)
    check_keys(ctx, node, what, {"name", "type", "nullable", "autoincrement", "server_default", "comment", "identity", "computed"},
               {"name", "type"});
  else check_keys(ctx, node, what, {"type", "nullable", "autoincrement", "server_default", "comment", "identity", "computed"}, {"type"});
  Column c;
  if (needs_name) c.name = scalar(ctx, node["name"], {what, " name"});
  const auto& type = node["type"];
  c.type = scalar(ctx, type, {what, " type"});
  check_type_text(ctx, type);
  if (const auto& v = node["nullable"]) c.nullable = boolean(ctx, v, {what, " nullable"});
  if (const auto& v = node["autoincrement"]) c.autoincrement = boolean(ctx, v, {what, " autoincrement"});
  if (const auto& v = node["server_default"]) c.server_default = optional_scalar(ctx, v, {what, " server_default"});
  if (const auto& v = node["comment"]) c.comment = optional_scalar(ctx, v, {what, " comment"});
  read_generated(ctx, node, what, c);
  return c;
}

void parse_column_into(const YamlContext& ctx, const YamlNode& node, const std::string& name, Table& table,
                       TableSyntax syntax, const NamingConvention& naming) {
  const std::string what = "column '" + name + "' of table '" + table.name + "'";
  if (syntax == TableSyntax::model) {
    check_keys(ctx, node, what, {"type", "nullable", "primary_key", "autoincrement", "unique", "index", "foreign_key",
                                 "server_default", "comment", "renamed_from", "identity", "computed"}, {"type"});
  } else {
    check_keys(ctx, node, what, {"name", "type", "nullable", "primary_key", "autoincrement", "unique", "foreign_key",
                                 "server_default", "comment", "identity", "computed"}, {"name", "type"});
  }
  Column c;
  c.name = name;
  const auto& type = node["type"];
  c.type = scalar(ctx, type, {what, " type"});
  check_type_text(ctx, type);
  const auto& primary_key = node["primary_key"];
  bool pk = primary_key && boolean(ctx, primary_key, {what, " primary_key"});
  c.nullable = !pk;
  if (const auto& nullable = node["nullable"]) {
    c.nullable = boolean(ctx, nullable, {what, " nullable"});
    if (pk && c.nullable) ctx.fail(nullable, what + " is a primary key and cannot be nullable");
  }
  if (pk) table.primary_key.push_back(name);
  if (const auto& v = node["autoincrement"]) c.autoincrement = boolean(ctx, v, {what, " autoincrement"});
  else c.autoincrement = pk && is_integer_type(c.type);  // settled in finish: only for a single-column key
  if (const auto& v = node["server_default"]) c.server_default = optional_scalar(ctx, v, {what, " server_default"});
  if (const auto& v = node["comment"]) c.comment = optional_scalar(ctx, v, {what, " comment"});
  if (const auto& v = node["renamed_from"]) c.renamed_from = scalar(ctx, v, {what, " renamed_from"});
  read_generated(ctx, node, what, c);
  if (const auto& v = node["unique"]; v && boolean(ctx, v, {what, " unique"}))
    table.uniques.push_back({naming.name(naming.uq, table.name, {name}), {name}, false});
  if (const auto& v = node["index"]; v && boolean(ctx, v, {what, " index"}))
    table.indexes.push_back({naming.name(naming.ix, table.name, {name}), {name}, false, "", false});
  if (const auto& fk = node["foreign_key"]) {
    ForeignKey f;
    f.columns = {name};
    f.name_given = false;
    const YamlNode* ref = &fk;
    if (fk.is_map()) {
      check_keys(ctx, fk, "foreign_key of " + what, {"references", "on_delete", "on_update", "name"}, {"references"});
      ref = &fk["references"];
      if (fk["on_delete"]) f.on_delete = normalize_fk_action(ctx, fk["on_delete"]);
      if (fk["on_update"]) f.on_update = normalize_fk_action(ctx, fk["on_update"]);
      if (fk["name"]) f.name = scalar(ctx, fk["name"], "foreign key name"), f.name_given = true;
    }
    Reference r = parse_reference(ctx, *ref);
    if (r.columns.size() != 1) ctx.fail(*ref, "a column's foreign_key references one column (table.column)");
    f.ref_schema = r.schema;
    f.ref_table = r.table;
    f.ref_columns = r.columns;
    if (!f.name_given) f.name = naming.name(naming.fk, table.name, f.columns, f.ref_table);
    table.foreign_keys.push_back(f);
  }
  table.columns.push_back(std::move(c));
}

Table parse_table(const YamlContext& ctx, const YamlNode& node, const std::string& name, TableSyntax syntax,
                  const NamingConvention& naming, std::initializer_list<std::string_view> extra_keys) {
  const std::string what = "table '" + name + "'";
  std::string_view allowed[12] = {"columns", "primary_key", "unique", "foreign_keys", "checks", "indexes", "comment", "schema",
                                  "partition_by", "partitions"};
  size_t n_allowed = 10;
  if (syntax == TableSyntax::model) allowed[n_allowed++] = "renamed_from";
  for (auto key : extra_keys) allowed[n_allowed++] = key;  // at most one: create_table's name
  static constexpr std::string_view required[] = {"columns"};
  check_keys(ctx, node, what, std::span(allowed, n_allowed), required);
  Table t;
  t.name = name;
  const auto& cols = node["columns"];
  if (syntax == TableSyntax::model) {
    if (!cols.is_map() || cols.size() == 0) ctx.fail(cols, what + ": columns must be a mapping of column name to column");
    for_each_entry(ctx, cols, "columns of " + what,
                   [&](const std::string& cname, const YamlNode& c) { parse_column_into(ctx, c, cname, t, syntax, naming); });
  } else {
    if (!cols.is_sequence() || cols.size() == 0) ctx.fail(cols, what + ": columns must be a list of columns");
    for (const auto& c : cols.items()) {
      if (!c.is_map() || !c["name"]) ctx.fail(c, "a column of " + what + " needs a name");
      auto cname = scalar(ctx, c["name"], "column name");
      if (t.column(cname)) ctx.fail(c, "column '" + cname + "' appears twice in " + what);
      parse_column_into(ctx, c, cname, t, syntax, naming);
    }
  }
  bool pk_unnamed = false;
  if (const auto& pk = node["primary_key"]) {
    if (!t.primary_key.empty())
      ctx.fail(pk, what + " declares its primary key twice (on a column and in primary_key)");
    if (pk.is_map()) {
      check_keys(ctx, pk, "primary_key of " + what, {"columns", "name"}, {"columns"});
      t.primary_key = string_list(ctx, pk["columns"], "primary_key columns");
      if (pk["name"] && pk["name"].is_null() && syntax == TableSyntax::operation) pk_unnamed = true;  // the database names it
      else if (pk["name"]) t.primary_key_name = scalar(ctx, pk["name"], "primary key name");
    } else {
      t.primary_key = string_list(ctx, pk, "primary_key");
    }
    for (const auto& c : t.primary_key) {
      Column* col = t.column(c);
      if (!col) ctx.fail(pk, "primary_key of " + what + " names unknown column '" + c + "'");
      col->nullable = false;
    }
  }
  if (t.primary_key_name.empty() && !t.primary_key.empty() && !pk_unnamed) t.primary_key_name = naming.name(naming.pk, name, t.primary_key);
  // autoincrement only holds for a single integer key column.
  for (auto& c : t.columns)
    if (c.autoincrement && !(t.primary_key.size() == 1 && t.primary_key[0] == c.name && is_integer_type(c.type)))
      c.autoincrement = false;
  auto check_cols = [&](const YamlNode& at, const std::vector<std::string>& cs, const std::string& w) {
    if (cs.empty()) ctx.fail(at, w + " of " + what + " names no columns");
    for (const auto& c : cs)
      if (!t.column(c)) ctx.fail(at, w + " of " + what + " names unknown column '" + c + "'");
  };
  if (const auto& uq = node["unique"]) {
    if (!uq.is_sequence()) ctx.fail(uq, "unique of " + what + " must be a list of {columns, name}");
    for (const auto& u : uq.items()) {
      check_keys(ctx, u, "a unique constraint of " + what, {"columns", "name"}, {"columns"});
      UniqueConstraint c{"", string_list(ctx, u["columns"], "unique columns"), static_cast<bool>(u["name"])};
      check_cols(u, c.columns, "a unique constraint");
      bool unnamed = syntax == TableSyntax::operation && u["name"] && u["name"].is_null();  // the database names it
      c.name = unnamed ? "" : c.name_given ? scalar(ctx, u["name"], "unique name") : naming.name(naming.uq, name, c.columns);
      t.uniques.push_back(c);
    }
  }
  if (const auto& fks = node["foreign_keys"]) {
    if (!fks.is_sequence()) ctx.fail(fks, "foreign_keys of " + what + " must be a list");
    for (const auto& f : fks.items()) {
      check_keys(ctx, f, "a foreign key of " + what, {"columns", "references", "on_delete", "on_update", "name"},
                 {"columns", "references"});
      ForeignKey fk;
      fk.columns = string_list(ctx, f["columns"], "foreign key columns");
      check_cols(f, fk.columns, "a foreign key");
      auto [rs, rt, rc] = parse_reference(ctx, f["references"]);
      if (rc.size() != fk.columns.size())
        ctx.fail(f["references"], "foreign key of " + what + " has " + std::to_string(fk.columns.size()) +
                                      " columns but references " + std::to_string(rc.size()));
      fk.ref_schema = rs;
      fk.ref_table = rt;
      fk.ref_columns = rc;
      if (f["on_delete"]) fk.on_delete = normalize_fk_action(ctx, f["on_delete"]);
      if (f["on_update"]) fk.on_update = normalize_fk_action(ctx, f["on_update"]);
      fk.name_given = static_cast<bool>(f["name"]);
      if (syntax == TableSyntax::operation && f["name"] && f["name"].is_null()) fk.name_given = false;  // unnamed
      else fk.name = fk.name_given ? scalar(ctx, f["name"], "foreign key name") : naming.name(naming.fk, name, fk.columns, rt);
      t.foreign_keys.push_back(fk);
    }
  }
  for_each_entry(ctx, node["checks"], "checks of " + what, [&](const std::string& cname, const YamlNode& sql) {
    t.checks.push_back({cname, scalar(ctx, sql, "check '" + cname + "'"), true});  // the key is the full name
  });
  for_each_entry(ctx, node["indexes"], "indexes of " + what, [&](const std::string& iname, const YamlNode& ix) {
    Index index = parse_index(ctx, ix, iname);
    for (const auto& c : index.columns)
      if (!is_index_expression(c) && !t.column(c)) ctx.fail(ix, "index '" + iname + "' of " + what + " names unknown column '" + c + "'");
    for (const auto& c : index.include)
      if (!t.column(c)) ctx.fail(ix, "index '" + iname + "' of " + what + " includes unknown column '" + c + "'");
    t.indexes.push_back(index);
  });
  if (node["comment"]) t.comment = optional_scalar(ctx, node["comment"], {what, " comment"});
  if (node["renamed_from"]) t.renamed_from = scalar(ctx, node["renamed_from"], {what, " renamed_from"});
  if (node["schema"]) t.schema = scalar(ctx, node["schema"], {what, " schema"});
  if (node["partition_by"]) t.partition_by = scalar(ctx, node["partition_by"], {what, " partition_by"});
  for_each_entry(ctx, node["partitions"], "partitions of " + what, [&](const std::string& partition, const YamlNode& bound) {
    t.partitions.push_back({partition, scalar(ctx, bound, "the bound of partition '" + partition + "'")});
  });
  if (!t.partitions.empty() && t.partition_by.empty()) ctx.fail(node["partitions"], what + " has partitions but no partition_by");
  return t;
}

bool is_index_expression(const std::string& key) { return !key.empty() && key.front() == '('; }

Index parse_index(const YamlContext& ctx, const YamlNode& node, const std::string& name, bool names_optional) {
  const std::string what = name.empty() ? std::string("the index") : "index '" + name + "'";
  if (!names_optional) check_keys(ctx, node, what, {"columns", "expressions", "unique", "where", "using", "include"}, {});
  Index ix;
  ix.name = name;
  if (node["columns"]) ix.columns = string_list(ctx, node["columns"], {what, " columns"});
  if (node["expressions"])
    for (const auto& e : string_list(ctx, node["expressions"], {what, " expressions"})) ix.columns.push_back("(" + e + ")");
  if (ix.columns.empty() && !names_optional) ctx.fail(node, what + " names no columns or expressions");
  if (node["unique"]) ix.unique = boolean(ctx, node["unique"], {what, " unique"});
  if (node["where"]) ix.where = scalar(ctx, node["where"], {what, " where"});
  if (node["using"]) ix.method = scalar(ctx, node["using"], {what, " using"});
  std::transform(ix.method.begin(), ix.method.end(), ix.method.begin(), [](unsigned char c) { return std::tolower(c); });
  if (ix.method == "btree") ix.method.clear();
  if (node["include"]) ix.include = string_list(ctx, node["include"], {what, " include"});
  return ix;
}

std::string index_keys_yaml(const Index& ix) {
  // Leading plain columns under columns, the rest (from the first expression on) under expressions.
  auto first_expression = std::find_if(ix.columns.begin(), ix.columns.end(), is_index_expression);
  std::vector<std::string> columns(ix.columns.begin(), first_expression), expressions;
  for (auto it = first_expression; it != ix.columns.end(); ++it)
    expressions.push_back(is_index_expression(*it) ? it->substr(1, it->size() - 2) : *it);
  std::string out;
  if (!columns.empty()) out += "columns: " + list_yaml(columns);
  if (!expressions.empty()) out += std::string(out.empty() ? "" : ", ") + "expressions: " + list_yaml(expressions);
  if (ix.unique) out += ", unique: true";
  if (!ix.where.empty()) out += ", where: " + yaml_quote(ix.where);
  if (!ix.method.empty()) out += ", using: " + yaml_quote(ix.method);
  if (!ix.include.empty()) out += ", include: " + list_yaml(ix.include);
  return out;
}

std::vector<Index> parse_view_indexes(const YamlContext& ctx, const YamlNode& node, const std::string& view, bool materialized) {
  std::vector<Index> out;
  if (node && !materialized) ctx.fail(node, "view '" + view + "': only a materialized view has indexes");
  for_each_entry(ctx, node, "indexes of view '" + view + "'",
                 [&](const std::string& name, const YamlNode& body) { out.push_back(parse_index(ctx, body, name)); });
  return out;
}

std::string view_indexes_yaml(const std::vector<Index>& indexes) {
  std::string out;
  for (const auto& ix : indexes) out += (out.empty() ? "{" : ", ") + yaml_quote(ix.name) + ": {" + index_keys_yaml(ix) + "}";
  return out.empty() ? out : out + "}";
}

Domain parse_domain(const YamlContext& ctx, const YamlNode& node, const std::string& name, bool keys_checked) {
  const std::string what = "domain '" + name + "'";
  if (!keys_checked) check_keys(ctx, node, what, {"type", "nullable", "server_default", "check", "checks"}, {"type"});
  Domain d{name, scalar(ctx, node["type"], {what, " type"})};
  if (node["nullable"]) d.nullable = boolean(ctx, node["nullable"], {what, " nullable"});
  if (node["server_default"]) d.server_default = scalar(ctx, node["server_default"], {what, " server_default"});
  if (node["check"] && node["checks"]) ctx.fail(node["checks"], what + ": write check or checks, not both");
  if (node["check"]) d.checks.push_back({name + "_check", scalar(ctx, node["check"], {what, " check"})});
  for_each_entry(ctx, node["checks"], what + " checks", [&](const std::string& check, const YamlNode& sql) {
    d.checks.push_back({check, scalar(ctx, sql, {what, " check"})});
  });
  return d;
}

std::string domain_keys_yaml(const Domain& d) {
  std::string out = "type: " + yaml_quote(d.type);
  if (!d.nullable) out += ", nullable: false";
  if (d.server_default) out += ", server_default: " + yaml_quote(*d.server_default);
  if (d.checks.size() == 1 && d.checks[0].name == d.name + "_check") return out + ", check: " + yaml_quote(d.checks[0].sql);
  for (size_t i = 0; i < d.checks.size(); ++i)
    out += (i ? ", " : ", checks: {") + yaml_quote(d.checks[i].name) + ": " + yaml_quote(d.checks[i].sql);
  return d.checks.empty() ? out : out + "}";
}

namespace {
std::string name_or_null(const std::string& name) { return name.empty() ? "null" : yaml_quote(name); }
}  // namespace

std::string list_yaml(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + yaml_quote(items[i]);
  return out + "]";
}

std::string column_yaml(const Column& c, bool with_name) {
  std::string out = "{";
  auto add = [&](const std::string& k, const std::string& v) { out += (out.size() > 1 ? ", " : "") + k + ": " + v; };
  if (with_name) add("name", yaml_quote(c.name));
  add("type", yaml_quote(c.type));
  add("nullable", c.nullable ? "true" : "false");
  if (c.autoincrement) add("autoincrement", "true");
  if (c.server_default) add("server_default", yaml_quote(*c.server_default));
  if (c.comment) add("comment", yaml_quote(*c.comment));
  if (!c.identity.empty()) add("identity", c.identity);
  if (c.computed) add("computed", yaml_quote(*c.computed));
  return out + "}";
}

std::string table_yaml(const Table& t, const std::string& in) {
  std::string out = t.schema.empty() ? "" : in + "schema: " + yaml_quote(t.schema) + "\n";
  out += in + "columns:\n";
  for (const auto& c : t.columns) out += in + "  - " + column_yaml(c, true) + "\n";
  if (!t.primary_key.empty())
    out += in + "primary_key: {name: " + name_or_null(t.primary_key_name) + ", columns: " + list_yaml(t.primary_key) + "}\n";
  if (!t.uniques.empty()) {
    out += in + "unique:\n";
    for (const auto& u : t.uniques)
      out += in + "  - {name: " + name_or_null(u.name) + ", columns: " + list_yaml(u.columns) + "}\n";
  }
  if (!t.foreign_keys.empty()) {
    out += in + "foreign_keys:\n";
    for (const auto& f : t.foreign_keys) {
      std::string ref = (f.ref_schema.empty() ? "" : f.ref_schema + ".") + f.ref_table + "(";
      for (size_t i = 0; i < f.ref_columns.size(); ++i) ref += (i ? ", " : "") + f.ref_columns[i];
      out += in + "  - {name: " + name_or_null(f.name) + ", columns: " + list_yaml(f.columns) +
             ", references: " + yaml_quote(ref + ")");
      if (!f.on_delete.empty()) out += ", on_delete: " + yaml_quote(f.on_delete);
      if (!f.on_update.empty()) out += ", on_update: " + yaml_quote(f.on_update);
      out += "}\n";
    }
  }
  if (!t.checks.empty()) {
    out += in + "checks:\n";
    for (const auto& c : t.checks) out += in + "  " + yaml_quote(c.name) + ": " + yaml_quote(c.sql) + "\n";
  }
  if (!t.indexes.empty()) {
    out += in + "indexes:\n";
    for (const auto& ix : t.indexes) {
      out += in + "  " + yaml_quote(ix.name) + ": {" + index_keys_yaml(ix) + "}\n";
    }
  }
  if (t.comment) out += in + "comment: " + yaml_quote(*t.comment) + "\n";
  return out + partitioning_yaml(t, in);
}

std::string partitioning_yaml(const Table& t, const std::string& in) {
  if (t.partition_by.empty()) return "";
  std::string out = in + "partition_by: " + yaml_quote(t.partition_by) + "\n";
  if (!t.partitions.empty()) out += in + "partitions:\n";
  for (const auto& p : t.partitions) out += in + "  " + yaml_quote(p.name) + ": " + yaml_quote(p.bound) + "\n";
  return out;
}

}  // namespace dbmig

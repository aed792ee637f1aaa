#include <dbmig/util/error.hpp>
#include <dbmig/model/model_loader.hpp>
#include <dbmig/model/schema_cache.hpp>
#include <dbmig/model/table_yaml.hpp>
#include <dbmig/model/types.hpp>
#include <dbmig/yaml/yaml_util.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <functional>
#include <fstream>
#include <map>
#include <sstream>

namespace dbmig {
namespace fs = std::filesystem;

namespace {

// Database type names accepted as they are; anything else outside dbmig's vocabulary is
// most likely a typo, and an error.
bool is_database_type(const std::string& base) {
  static const char* known[] = {
      "int", "int2", "int4", "int8", "bigint", "smallint", "tinyint", "mediumint", "serial", "bigserial", "smallserial",
      "varchar", "character varying", "char", "character", "nchar", "nvarchar", "bpchar", "clob", "blob", "real",
      "float4", "float8", "double precision", "decimal", "number", "money", "timestamp", "timestamptz",
      "timestamp without time zone", "timestamp with time zone", "time without time zone", "time with time zone",
      "timetz", "interval", "bool", "bytea", "inet", "cidr", "macaddr", "macaddr8", "bit", "bit varying", "varbit",
      "tsvector", "tsquery", "xml", "point", "line", "lseg", "box", "path", "polygon", "circle", "int4range",
      "int8range", "numrange", "tsrange", "tstzrange", "daterange", "oid", "citext", "hstore", "ltree",
      // Names SQLite schemas carry over from MySQL and SQLite's own documentation.
      "tinytext", "mediumtext", "longtext", "tinyblob", "mediumblob", "longblob", "unsigned big int",
      "varying character", "native character", "year"};
  return std::any_of(std::begin(known), std::end(known), [&](const char* k) { return base == k; });
}

bool all_digits(const std::string& s) { return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos; }

// The tables and enums read so far, with where each table was defined ("file:line"), and the
// column types that name no known type yet (an enum may be declared in a later file).
struct Models {
  Schema schema;
  std::map<std::string, std::string> defined_at;
  std::vector<std::pair<std::string, std::string>> unknown_types;  // enum name -> "file:line: message"
};

// `column` is the column's key in models.yaml; its type is already known to be text.
void check_type(Models& models, const YamlContext& ctx, const std::string& table, const YamlNode& column, const YamlNode& at) {
  const std::string type(at.text());
  auto what = [&] { return "column '" + table + "." + std::string(column.text()) + "'"; };
  auto t = parse_type(type);
  // An array of a type without arguments (`text[]`): the element type is what is checked.
  while (t.base.size() > 2 && t.base.compare(t.base.size() - 2, 2, "[]") == 0) {
    t.base.resize(t.base.size() - 2);
    t.suffix = "[]";
  }
  if (is_model_type(t.base)) {
    bool ok = t.suffix.empty() || t.suffix == "[]";
    if (t.base == "string") ok = ok && (t.args.empty() || all_digits(t.args));
    else if (t.base == "numeric") {
      auto comma = t.args.find(',');
      ok = ok && (t.args.empty() || (comma == std::string::npos ? all_digits(t.args)
                                                                 : all_digits(t.args.substr(0, comma)) && all_digits(t.args.substr(comma + 1))));
    } else if (t.base == "datetime") ok = ok && (t.args.empty() || t.args == "timezone");
    else if (t.base == "enum") ok = parse_enum_type(type).has_value();  // enum(name: 'a', 'b'), as imported from Alembic
    else ok = ok && t.args.empty();
    if (!ok) ctx.fail(at, "invalid type '" + type + "' for " + what());
    return;
  }
  if (is_database_type(t.base)) return;
  std::string name = t.base.size() > 2 && t.base.ends_with("[]") ? t.base.substr(0, t.base.size() - 2) : t.base;
  models.unknown_types.emplace_back(name, ctx.where(at) + ": unknown type '" + type + "' for " + what() +
                                              " (dbmig types: integer, biginteger, smallinteger, string(N), text, boolean, "
                                              "float, double, numeric(P,S), date, time, datetime, datetime(timezone), "
                                              "binary, json, jsonb, uuid; an enum or domain declared under 'enums' or "
                                              "'domains'; or a database type such as inet or varchar(20))");
}

// `enums: {name: [label, {label: {renamed_from: old}}, ...]}` (SPEC §7.2).
EnumType parse_enum(const YamlContext& ctx, const std::string& name, const YamlNode& node) {
  if (!node.is_sequence() || node.size() == 0) ctx.fail(node, "enum '" + name + "' must be a non-empty list of labels");
  EnumType e;
  e.name = name;
  e.defined_at = ctx.where(node);
  for (const auto& item : node.items()) {
    std::string label;
    if (item.is_map()) {
      if (item.size() != 1) ctx.fail(item, "enum '" + name + "': a label is written 'label' or 'label: {renamed_from: old}'");
      auto [key, body] = item.entries()[0];
      label = scalar(ctx, key, "enum label");
      check_keys(ctx, body, "enum label '" + label + "'", {"renamed_from"}, {"renamed_from"});
      e.renamed_from[label] = scalar(ctx, body["renamed_from"], "renamed_from");
    } else {
      label = scalar(ctx, item, "enum label");
    }
    if (std::find(e.values.begin(), e.values.end(), label) != e.values.end())
      ctx.fail(item, "enum '" + name + "' lists the label '" + label + "' twice");
    e.values.push_back(label);
  }
  return e;
}

// `kind: {name: body}` into a list that is managed because the key is there (SPEC §7.2).
template <class T>
void read_named(const YamlContext& ctx, const YamlNode& node, const std::string& kind, std::optional<std::vector<T>>& into,
                const std::function<void(T&, const YamlNode&, const std::string& what)>& parse) {
  if (!node) return;
  if (!into) into.emplace();
  for_each_entry(ctx, node, kind + "s", [&](const std::string& name, const YamlNode& body) {
    const std::string what = kind + " '" + name + "'";
    for (const auto& x : *into)
      if (x.name == name) ctx.fail(body, what + " is defined twice");
    T x{};
    x.name = name;
    parse(x, body, what);
    into->push_back(std::move(x));
  });
}

// The name a CREATE statement gives its object: the identifier after the first of `keywords`
// ("CREATE OR REPLACE FUNCTION app.touch() ..." -> "touch"), unquoted, or folded as PostgreSQL does.
std::string created_name(const std::string& sql, std::initializer_list<std::string_view> keywords) {
  std::istringstream words(sql);
  std::string word;
  while (words >> word) {
    std::string lower = word;
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (std::find(keywords.begin(), keywords.end(), lower) == keywords.end()) continue;
    std::string rest;
    std::getline(words >> std::ws, rest);
    std::string name;
    for (size_t i = 0; i < rest.size(); ++i) {
      if (rest[i] == '"') {
        for (++i; i < rest.size() && !(rest[i] == '"' && (i + 1 == rest.size() || rest[i + 1] != '"')); ++i)
          name += rest[i] == '"' ? rest[++i] : rest[i];
      } else if (rest[i] == '.') {
        name.clear();  // a schema's name
      } else if (std::isalnum(static_cast<unsigned char>(rest[i])) || rest[i] == '_' || rest[i] == '$') {
        name += static_cast<char>(std::tolower(static_cast<unsigned char>(rest[i])));
      } else {
        break;
      }
    }
    return name;
  }
  return "";
}

// A function's or trigger's whole CREATE statement, which must create the object named `name`.
std::string create_statement(const YamlContext& ctx, const YamlNode& node, const std::string& what,
                             std::initializer_list<std::string_view> keywords, const std::string& name) {
  std::string sql = statement_body(scalar(ctx, node, {what, " sql"}));
  std::string lower = sql.substr(0, 6);
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string created = created_name(sql, keywords);
  if (lower != "create" || created.empty())
    ctx.fail(node, what + ": write its whole " + (*keywords.begin() == "trigger" ? "CREATE TRIGGER" : "CREATE FUNCTION") + " statement");
  if (!name.empty() && created != name) ctx.fail(node, what + ": the SQL creates '" + created + "', not '" + name + "'");
  return sql;
}

void add_trigger(const YamlContext& ctx, Schema& schema, const YamlNode& node, const std::string& what,
                 const std::string& table, const std::string& name) {
  SqlObject t{"trigger", name, table, create_statement(ctx, node, what, {"trigger"}, name)};
  if (t.name.empty()) t.name = created_name(t.sql, {"trigger"});
  for (const auto& x : *schema.triggers)
    if (x.name == t.name && x.table == t.table) ctx.fail(node, "trigger '" + t.name + "' on table '" + table + "' is defined twice");
  schema.triggers->push_back(std::move(t));
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw Error("cannot read " + p.string() + (fs::exists(p) ? ": permission denied" : ": no such file"));
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void parse_into(Models& models, const std::string& text, const std::string& file, const NamingConvention& naming) {
  Schema& schema = models.schema;
  YamlContext ctx{file};
  // An empty file is far more likely a mistake than a wish to drop every table.
  if (text.find_first_not_of(" \t\r\n") == std::string::npos)
    throw Error(file + ": the models file is empty; declare the tables under 'tables:' (write 'tables: {}' for none)");
  auto doc = load_yaml(text, file);
  const YamlNode& root = doc.root();
  if (root.is_null()) return;
  check_keys(ctx, root, "the models file", {"extensions", "enums", "domains", "sequences", "tables", "views", "functions", "triggers"});
  if (const auto& node = root["extensions"]) {
    if (!schema.extensions) schema.extensions.emplace();
    for (const auto& item : node.items()) {
      std::string name = scalar(ctx, item, "extension name");
      if (std::find(schema.extensions->begin(), schema.extensions->end(), name) != schema.extensions->end())
        ctx.fail(item, "extension '" + name + "' is declared twice");
      schema.extensions->push_back(name);
    }
    if (!node.is_sequence() && !node.is_null()) ctx.fail(node, "extensions must be a list of extension names");
  }
  read_named<Sequence>(ctx, root["sequences"], "sequence", schema.sequences, [&](Sequence& s, const YamlNode& body, const std::string& what) {
    if (!body.is_null()) {
      check_keys(ctx, body, what, {"start", "increment"}, {});
      if (body["start"]) s.start = integer(ctx, body["start"], {what, " start"});
      if (body["increment"]) s.increment = integer(ctx, body["increment"], {what, " increment"});
      if (s.increment == 0) ctx.fail(body["increment"], what + ": increment cannot be 0");
    }
    if (!body["start"] && s.increment < 0) s.start = -1;  // PostgreSQL's default for a descending sequence
  });
  for_each_entry(ctx, root["enums"], "enums", [&](const std::string& name, const YamlNode& node) {
    if (const EnumType* e = schema.enum_type(name))
      ctx.fail(node, "enum '" + name + "' is defined twice (also at " + e->defined_at + ")");
    schema.enums.push_back(parse_enum(ctx, name, node));
  });
  read_named<Domain>(ctx, root["domains"], "domain", schema.domains, [&](Domain& d, const YamlNode& body, const std::string&) {
    d = parse_domain(ctx, body, d.name);
  });
  read_named<View>(ctx, root["views"], "view", schema.views, [&](View& v, const YamlNode& body, const std::string& what) {
    if (body.is_map()) {
      check_keys(ctx, body, what, {"sql", "materialized", "indexes"}, {"sql"});
      v.sql = statement_body(scalar(ctx, body["sql"], {what, " sql"}));
      if (body["materialized"]) v.materialized = boolean(ctx, body["materialized"], {what, " materialized"});
      v.indexes = parse_view_indexes(ctx, body["indexes"], v.name, v.materialized);
    } else {
      v.sql = statement_body(scalar(ctx, body, {what, " sql"}));  // the plain form: name: "SELECT ..."
    }
  });
  read_named<SqlObject>(ctx, root["functions"], "function", schema.functions, [&](SqlObject& f, const YamlNode& body, const std::string& what) {
    f.kind = "function";
    f.sql = create_statement(ctx, body, what, {"function", "procedure"}, f.name);
  });
  // Top level: {label: {table, sql}}, the SQL naming the trigger; under a table: {name: sql}.
  if (const auto& node = root["triggers"]) {
    if (!schema.triggers) schema.triggers.emplace();
    for_each_entry(ctx, node, "triggers", [&](const std::string& label, const YamlNode& body) {
      const std::string what = "trigger '" + label + "'";
      check_keys(ctx, body, what, {"table", "sql"}, {"table", "sql"});
      add_trigger(ctx, schema, body["sql"], what, scalar(ctx, body["table"], {what, " table"}), "");
    });
  }
  for_each_entry(ctx, root["tables"], "tables", [&](const std::string& name, const YamlNode& node) {
    if (schema.table(name))
      ctx.fail(node, "table '" + name + "' is defined twice (also at " + models.defined_at[name] + ")");
    Table t = parse_table(ctx, node, name, TableSyntax::model, naming, {"triggers"});
    if (const auto& triggers = node["triggers"]) {
      if (!schema.triggers) schema.triggers.emplace();
      for_each_entry(ctx, triggers, "triggers of table '" + name + "'", [&](const std::string& trigger, const YamlNode& sql) {
        add_trigger(ctx, schema, sql, "trigger '" + trigger + "'", name, trigger);
      });
    }
    for (auto [column, body] : node["columns"].entries()) check_type(models, ctx, name, column, body["type"]);
    models.defined_at[name] = ctx.where(node);
    schema.tables.push_back(std::move(t));
  });
}

// References between tables, checked once every file is read; a foreign key that does not name
// its table's schema gets the schema of the table of that name (table names are unique).
void check_references(Models& models) {
  Schema& schema = models.schema;
  auto is_domain = [&](const std::string& name) {
    return schema.domains && std::any_of(schema.domains->begin(), schema.domains->end(), [&](const Domain& d) { return d.name == name; });
  };
  for (const auto& [name, message] : models.unknown_types)
    if (!schema.enum_type(name) && !is_domain(name)) throw Error(message);
  for (auto& t : schema.tables) {
    const std::string& at = models.defined_at.at(t.name);
    for (auto& fk : t.foreign_keys) {
      const Table* ref = schema.table(fk.ref_table);
      if (ref && !fk.ref_schema.empty() && !ref->schema.empty() && ref->schema != fk.ref_schema) ref = nullptr;
      if (!ref)
        throw Error(at + ": table '" + t.name + "' has a foreign key to table '" +
                    (fk.ref_schema.empty() ? "" : fk.ref_schema + ".") + fk.ref_table + "', which is not defined");
      if (fk.ref_schema.empty()) fk.ref_schema = ref->schema;
      for (const auto& c : fk.ref_columns)
        if (!ref->column(c))
          throw Error(at + ": table '" + t.name + "' has a foreign key to column '" + fk.ref_table + "." + c +
                      "', which does not exist");
    }
  }
}

}  // namespace

Schema parse_models(const std::string& text, const std::string& file, const NamingConvention& naming) {
  Models models;
  parse_into(models, text, file, naming);
  check_references(models);
  return std::move(models.schema);
}

namespace {
std::vector<fs::path> model_files(const fs::path& path) {
  std::error_code ec;
  if (!fs::is_directory(path, ec)) return {path};
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(path, ec))
    if (e.path().extension() == ".yaml" || e.path().extension() == ".yml") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}
}  // namespace

Schema load_models(const fs::path& path, const NamingConvention& naming) {
  Models models;
  for (const auto& f : model_files(path)) parse_into(models, read_file(f), f.string(), naming);
  check_references(models);
  shrink_to_fit(models.schema);
  return std::move(models.schema);
}

Schema load_models(const fs::path& path, const NamingConvention& naming, const fs::path& cache) {
  // The key: every file's name, size and mtime, and the naming convention.
  std::string key = "dbmig models cache 8";
  for (const auto& f : model_files(path)) {
    struct stat st {};
    if (::stat(f.c_str(), &st) != 0) return load_models(path, naming);  // let the loader report it
    key += "\x1f" + f.string() + "\x1f" + std::to_string(st.st_size) + "\x1f" +
           std::to_string(int64_t(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec);
  }
  key += "\x1f" + naming.ix + "\x1f" + naming.uq + "\x1f" + naming.fk + "\x1f" + naming.ck + "\x1f" + naming.pk;
  {
    std::ifstream in(cache, std::ios::binary);
    std::string first;
    if (in && std::getline(in, first) && first == key) {
      std::stringstream rest;
      rest << in.rdbuf();
      if (auto schema = deserialize_schema(rest.str())) return std::move(*schema);
    }
  }
  Schema schema = load_models(path, naming);
  auto tmp = cache;
  tmp += "." + std::to_string(getpid());
  {
    std::ofstream out(tmp, std::ios::binary);
    if (out) out << key << "\n" << serialize_schema(schema);
  }
  std::error_code ec;
  fs::rename(tmp, cache, ec);  // a read-only folder just means no cache
  if (ec) fs::remove(tmp, ec);
  return schema;
}

}  // namespace dbmig

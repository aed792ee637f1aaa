#include <dbmig/lint/json.hpp>
#include <dbmig/lint/sql_changes.hpp>

#include <pg_query.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <string_view>

namespace dbmig::lint {

namespace {

// One libpg_query parse, freed on every path.
class PgParse {
 public:
  explicit PgParse(const std::string& sql) : result_(pg_query_parse(sql.c_str())) {}
  ~PgParse() { pg_query_free_parse_result(result_); }
  PgParse(const PgParse&) = delete;
  PgParse& operator=(const PgParse&) = delete;
  const PgQueryError* error() const { return result_.error; }
  const char* tree() const { return result_.parse_tree; }

 private:
  PgQueryParseResult result_;
};

std::string last_name(const Json& names) {
  if (!names.is_array() || names.items().empty()) return "";
  return names.items().back()["String"]["sval"].str();
}

// A TypeName node as type text ("varchar(20)", "int4[]").
std::string type_text(const Json& type_name) {
  std::string out = last_name(type_name["names"]);
  const auto& mods = type_name["typmods"].items();
  if (!mods.empty()) {
    out += "(";
    for (size_t i = 0; i < mods.size(); ++i)
      out += (i ? "," : "") + std::to_string(mods[i]["A_Const"]["ival"]["ival"].integer(0));
    out += ")";
  }
  if (type_name["arrayBounds"].is_array()) out += "[]";
  return normal_type(out);
}

// Functions a default may call without being evaluated per row (immutable or stable in
// PostgreSQL's catalog). Any other function counts as volatile, as PostgreSQL assumes for a
// function declared without a volatility.
bool is_non_volatile_function(const std::string& name) {
  static const std::set<std::string, std::less<>> names = {
      "now", "transaction_timestamp", "statement_timestamp", "current_setting", "lower", "upper", "length",
      "concat", "concat_ws", "btrim", "ltrim", "rtrim", "trim", "substring", "substr", "replace", "md5",
      "date_trunc", "to_char", "to_date", "to_timestamp", "make_date", "make_time", "make_timestamp",
      "make_timestamptz", "make_interval", "abs", "round", "floor", "ceil", "jsonb_build_object",
      "json_build_object", "jsonb_build_array", "json_build_array", "array_to_string", "timezone", "int4",
      "int8", "text", "numeric", "to_jsonb", "to_json", "left", "right", "format"};
  return names.count(name) > 0;
}

bool json_is_volatile(const Json& node) {
  if (node.is_array()) {
    for (const auto& item : node.items())
      if (json_is_volatile(item)) return true;
    return false;
  }
  if (!node.is_object()) return false;
  for (const auto& [key, value] : node.members()) {
    if (key == "FuncCall" && !is_non_volatile_function(last_name(value["funcname"]))) return true;
    if (key == "SubLink") return true;  // a subquery runs per row
    if (json_is_volatile(value)) return true;
  }
  return false;
}

const Json& select_expression(const Json& tree) {
  return tree["stmts"].items().at(0)["stmt"]["SelectStmt"]["targetList"].items().at(0)["ResTarget"]["val"];
}

std::string not_null_column_of(const Json& expr) {
  const Json& test = expr["NullTest"];
  if (!test.is_object() || test["nulltesttype"].str() != "IS_NOT_NULL") return "";
  const auto& fields = test["arg"]["ColumnRef"]["fields"].items();
  if (fields.size() != 1) return "";
  return fields[0]["String"]["sval"].str();
}

void column_constraints(const Json& column_def, Change& c, std::vector<Change>& extra, const std::string& table) {
  for (const auto& item : column_def["constraints"].items()) {
    const Json& con = item["Constraint"];
    const std::string& type = con["contype"].str();
    if (type == "CONSTR_NOTNULL" || type == "CONSTR_PRIMARY") c.not_null = true;
    if (type == "CONSTR_DEFAULT") {
      c.has_default = true;
      c.volatile_default = json_is_volatile(con["raw_expr"]);
    }
    if (type == "CONSTR_IDENTITY") {
      c.has_default = true;
      c.volatile_default = true;
    }
    if (type == "CONSTR_UNIQUE" || type == "CONSTR_PRIMARY") {
      Change u;
      u.kind = ChangeKind::add_constraint;
      u.table = table;
      u.name = con["conname"].str();
      u.constraint = type == "CONSTR_UNIQUE" ? ConstraintKind::unique : ConstraintKind::primary_key;
      extra.push_back(u);
    }
  }
  // serial / bigserial are a nextval() default.
  std::string t = last_name(column_def["typeName"]["names"]);
  if (t == "serial" || t == "bigserial" || t == "smallserial" || t == "serial4" || t == "serial8") {
    c.has_default = true;
    c.volatile_default = true;
  }
}

void alter_table(const Json& stmt, std::vector<Change>& out) {
  const std::string table = stmt["relation"]["relname"].str();
  for (const auto& item : stmt["cmds"].items()) {
    const Json& cmd = item["AlterTableCmd"];
    const std::string& sub = cmd["subtype"].str();
    Change c;
    c.table = table;
    c.name = cmd["name"].str();
    std::vector<Change> extra;
    if (sub == "AT_AddColumn") {
      const Json& def = cmd["def"]["ColumnDef"];
      c.kind = ChangeKind::add_column;
      c.name = def["colname"].str();
      c.type = type_text(def["typeName"]);
      column_constraints(def, c, extra, table);
    } else if (sub == "AT_DropColumn") {
      c.kind = ChangeKind::drop_column;
    } else if (sub == "AT_AlterColumnType") {
      c.kind = ChangeKind::alter_type;
      c.type = type_text(cmd["def"]["ColumnDef"]["typeName"]);
    } else if (sub == "AT_SetNotNull") {
      c.kind = ChangeKind::set_not_null;
    } else if (sub == "AT_ColumnDefault") {
      c.kind = ChangeKind::set_default;
    } else if (sub == "AT_AddConstraint") {
      const Json& con = cmd["def"]["Constraint"];
      const std::string& type = con["contype"].str();
      c.kind = ChangeKind::add_constraint;
      c.name = con["conname"].str();
      c.not_valid = con["skip_validation"].truthy();
      if (type == "CONSTR_FOREIGN") {
        c.constraint = ConstraintKind::foreign_key;
        c.ref_table = con["pktable"]["relname"].str();
      } else if (type == "CONSTR_CHECK") {
        c.constraint = ConstraintKind::check;
        c.not_null_of = not_null_column_of(con["raw_expr"]);
      } else if (type == "CONSTR_UNIQUE" || type == "CONSTR_PRIMARY") {
        c.constraint = type == "CONSTR_UNIQUE" ? ConstraintKind::unique : ConstraintKind::primary_key;
        c.using_index = con.has("indexname");
      } else {
        c.kind = ChangeKind::other_ddl;
      }
    } else if (sub == "AT_ValidateConstraint") {
      c.kind = ChangeKind::validate_constraint;
    } else if (sub == "AT_DropConstraint") {
      c.kind = ChangeKind::drop_constraint;
    } else {
      c.kind = ChangeKind::other_ddl;
    }
    out.push_back(std::move(c));
    for (auto& e : extra) out.push_back(std::move(e));
  }
}

std::vector<Change> changes_of(const Json& node) {
  std::vector<Change> out;
  if (!node.is_object() || node.members().empty()) return out;
  const auto& [kind, stmt] = node.members().front();
  Change c;
  if (kind == "CreateStmt") {
    c.kind = ChangeKind::create_table;
    c.table = stmt["relation"]["relname"].str();
    for (const auto& elt : stmt["tableElts"].items())
      if (const Json& def = elt["ColumnDef"]; def.is_object()) c.columns.emplace_back(def["colname"].str(), type_text(def["typeName"]));
  } else if (kind == "DropStmt") {
    const std::string& type = stmt["removeType"].str();
    if (type != "OBJECT_TABLE" && type != "OBJECT_INDEX") {
      c.kind = ChangeKind::other_ddl;
    } else {
      for (const auto& obj : stmt["objects"].items()) {
        Change d;
        d.kind = type == "OBJECT_TABLE" ? ChangeKind::drop_table : ChangeKind::drop_index;
        d.concurrently = stmt["concurrent"].truthy();
        const std::string name = last_name(obj["List"]["items"]);
        (type == "OBJECT_TABLE" ? d.table : d.name) = name;
        out.push_back(std::move(d));
      }
      return out;
    }
  } else if (kind == "RenameStmt") {
    const std::string& type = stmt["renameType"].str();
    c.table = stmt["relation"]["relname"].str();
    if (type == "OBJECT_TABLE") {
      c.kind = ChangeKind::rename_table;
      c.name = stmt["newname"].str();
    } else if (type == "OBJECT_COLUMN") {
      c.kind = ChangeKind::rename_column;
      c.name = stmt["subname"].str();
    } else {
      c.kind = ChangeKind::other_ddl;
    }
  } else if (kind == "AlterTableStmt") {
    alter_table(stmt, out);
    return out;
  } else if (kind == "IndexStmt") {
    c.kind = ChangeKind::create_index;
    c.table = stmt["relation"]["relname"].str();
    c.name = stmt["idxname"].str();
    c.concurrently = stmt["concurrent"].truthy();
    c.unique = stmt["unique"].truthy();
  } else if (kind == "VariableSetStmt") {
    if (stmt["name"].str() != "lock_timeout") return out;
    c.kind = ChangeKind::set_lock_timeout;
    const Json& arg = stmt["args"].items().empty() ? Json() : stmt["args"].items()[0]["A_Const"];
    bool zero = arg["ival"].is_object() && arg["ival"]["ival"].integer(0) == 0 && !arg.has("sval");
    if (arg["sval"].is_object()) {
      const std::string& v = arg["sval"]["sval"].str();
      zero = v.empty() || v.find_first_not_of("0 ") == std::string::npos || v.starts_with("0 ") || v.starts_with("0m") ||
             v.starts_with("0s");
    }
    c.timeout_off = stmt["kind"].str() != "VAR_SET_VALUE" || zero;
  } else if (kind == "SelectStmt" || kind == "InsertStmt" || kind == "UpdateStmt" || kind == "DeleteStmt" ||
             kind == "CopyStmt" || kind == "TransactionStmt" || kind == "VariableShowStmt") {
    c.kind = ChangeKind::data;
  } else {
    c.kind = ChangeKind::other_ddl;
  }
  out.push_back(std::move(c));
  return out;
}

std::string trimmed(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && (std::isspace(static_cast<unsigned char>(s[e - 1])) || s[e - 1] == ';')) --e;
  return std::string(s.substr(b, e - b));
}

}  // namespace

ParsedSql parse_postgres_sql(const std::string& sql) {
  ParsedSql out;
  PgParse parse(sql);
  if (parse.error()) {
    out.error = parse.error()->message;
    return out;
  }
  Json tree = Json::parse(parse.tree());
  for (const auto& s : tree["stmts"].items()) {
    // Offsets are bytes into the text; stmt_len 0 / absent means "to the end".
    size_t at = static_cast<size_t>(s["stmt_location"].integer(0));
    long len = s["stmt_len"].integer(0);
    std::string_view text(sql);
    text = at < text.size() ? text.substr(at, len > 0 ? static_cast<size_t>(len) : std::string_view::npos) : "";
    out.statements.push_back({trimmed(text), changes_of(s["stmt"])});
  }
  return out;
}

bool expression_is_volatile(const std::string& sql) {
  if (sql.find('(') == std::string::npos) return false;  // no call: a constant or CURRENT_TIMESTAMP-like keyword
  PgParse parse("SELECT (" + sql + ")");
  if (parse.error()) return false;  // the database will say; nothing to lint
  return json_is_volatile(select_expression(Json::parse(parse.tree())));
}

std::string not_null_check_column(const std::string& sql) {
  PgParse parse("SELECT (" + sql + ")");
  if (parse.error()) return "";
  return not_null_column_of(select_expression(Json::parse(parse.tree())));
}

}  // namespace dbmig::lint

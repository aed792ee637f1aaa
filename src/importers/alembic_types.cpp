// SQLAlchemy and dialect types -> dbmig's model vocabulary where one fits (so `dbmig check`
// and later autogenerate compare them like any model type), verbatim SQL otherwise.
#include <dbmig/importers/alembic.hpp>
#include <dbmig/dialects/dialect.hpp>

#include <algorithm>
#include <map>

namespace dbmig {
namespace {

std::string int_arg(const PyValue& call, size_t i, const std::string& name) {
  const PyValue* v = call.kind == PyValue::Kind::call ? call.arg(i, name) : nullptr;
  if (!v || v->is_none()) return "";
  if (v->kind != PyValue::Kind::integer) throw NotStatic(name + " of " + call.text + " that is not a number", call.line);
  return v->text;
}

std::string sql_literal(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

std::string enum_type(const PyValue& call) {
  std::vector<std::string> values;
  for (const auto& v : call.items) {
    if (!v.is_string()) throw NotStatic("an Enum over a Python enum class (list its values as strings)", call.line);
    values.push_back(v.text);
  }
  if (const PyValue* native = call.keyword("native_enum"); native && native->kind == PyValue::Kind::boolean && !native->flag) {
    std::string length = int_arg(call, 99, "length");
    if (length.empty()) {
      size_t longest = 0;
      for (const auto& v : values) longest = std::max(longest, v.size());
      length = std::to_string(longest);
    }
    return "string(" + length + ")";
  }
  const PyValue* name = call.keyword("name");
  if (!name || !name->is_string()) throw NotStatic("an Enum without name= (PostgreSQL needs the type's name)", call.line);
  if (values.empty()) throw NotStatic("an Enum without values", call.line);
  std::string out = "enum(" + name->text + ":";
  for (size_t i = 0; i < values.size(); ++i) out += (i ? ", " : " ") + sql_literal(values[i]);
  return out + ")";
}

}  // namespace

std::string alembic_type(const PyValue& t) {
  if (t.kind != PyValue::Kind::call && t.kind != PyValue::Kind::name) throw NotStatic("a type that is not a type", t.line);
  const std::string n = t.last_name();
  auto length = [&] { return int_arg(t, 0, "length"); };
  auto with = [](const std::string& base, const std::string& arg) { return arg.empty() ? base : base + "(" + arg + ")"; };
  if (t.keyword("collation")) throw NotStatic(n + " with a collation", t.line);
  if (n == "Integer" || n == "INTEGER" || n == "INT") return "integer";
  if (n == "BigInteger" || n == "BIGINT") return "biginteger";
  if (n == "SmallInteger" || n == "SMALLINT") return "smallinteger";
  if (n == "String" || n == "VARCHAR" || n == "Unicode" || n == "NVARCHAR") return with("string", length());
  if (n == "CHAR" || n == "NCHAR") return with("CHAR", length());
  if (n == "Text" || n == "TEXT" || n == "UnicodeText") return "text";
  if (n == "Boolean" || n == "BOOLEAN") return "boolean";
  if (n == "Float" || n == "FLOAT") {
    std::string p = int_arg(t, 0, "precision");
    return p.empty() ? "float" : "FLOAT(" + p + ")";
  }
  if (n == "Double" || n == "DOUBLE_PRECISION" || n == "DOUBLE") return "double";
  if (n == "REAL") return "REAL";
  if (n == "Numeric" || n == "NUMERIC" || n == "DECIMAL") {
    std::string p = int_arg(t, 0, "precision"), s = int_arg(t, 1, "scale");
    if (p.empty()) return "numeric";
    return "numeric(" + p + (s.empty() ? "" : "," + s) + ")";
  }
  if (n == "Date" || n == "DATE") return "date";
  if (n == "Time" || n == "TIME") {
    const PyValue* tz = t.keyword("timezone");
    return tz && tz->flag ? "TIME WITH TIME ZONE" : "time";
  }
  if (n == "DateTime" || n == "DATETIME") {
    const PyValue* tz = t.arg(0, "timezone");
    return tz && tz->kind == PyValue::Kind::boolean && tz->flag ? "datetime(timezone)" : "datetime";
  }
  if (n == "TIMESTAMP") {
    const PyValue* tz = t.arg(0, "timezone");
    return tz && tz->kind == PyValue::Kind::boolean && tz->flag ? "TIMESTAMP WITH TIME ZONE" : "TIMESTAMP";
  }
  if (n == "LargeBinary" || n == "BLOB" || n == "BYTEA" || n == "BINARY" || n == "VARBINARY") return "binary";
  if (n == "JSON") return "json";
  if (n == "JSONB") return "jsonb";
  if (n == "UUID" || n == "Uuid") return "uuid";
  if (n == "Enum" || n == "ENUM") return enum_type(t);
  if (n == "ARRAY") {
    const PyValue* item = t.arg(0, "item_type");
    if (!item) throw NotStatic("an ARRAY without its item type", t.line);
    std::string inner = alembic_type(*item);
    return make_dialect(DialectKind::postgresql)->type_sql(inner, false) + "[]";
  }
  if (n == "Interval" || n == "INTERVAL") return "INTERVAL";
  // Dialect types without arguments pass through by their SQL name (postgresql.INET, TSVECTOR, CITEXT ...).
  static const char* verbatim[] = {"INET", "CIDR", "MACADDR", "TSVECTOR", "CITEXT", "MONEY", "OID", "HSTORE", "INT4RANGE",
                                   "INT8RANGE", "NUMRANGE", "DATERANGE", "TSRANGE", "TSTZRANGE", "BIT", "XML"};
  bool known = std::any_of(std::begin(verbatim), std::end(verbatim), [&](const char* v) { return n == v; });
  if (known && (t.kind == PyValue::Kind::name || (t.items.empty() && t.keywords.empty()))) return n;
  throw NotStatic("the type " + t.text + " (no dbmig spelling known; write it as type text by hand)", t.line);
}

}  // namespace dbmig

#include <dbmig/dialects/postgres/postgres_catalog.hpp>

#include <map>

namespace dbmig {
namespace {

std::string fk_action(const std::optional<std::string>& code) {
  char c = code && !code->empty() ? (*code)[0] : 'a';
  switch (c) {
    case 'r': return "RESTRICT";
    case 'c': return "CASCADE";
    case 'n': return "SET NULL";
    case 'd': return "SET DEFAULT";
    default: return "";
  }
}


// Tables, with a partitioned table's key; and partitions, by their parent's oid with their bound.
const char* kTables = R"SQL(
SELECT c.oid, n.nspname, c.relname, pg_catalog.obj_description(c.oid, 'pg_class'),
  CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END, i.inhparent,
  CASE WHEN c.relispartition THEN pg_catalog.pg_get_expr(c.relpartbound, c.oid) END
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_inherits i ON i.inhrelid = c.oid AND c.relispartition
WHERE c.relkind IN ('r', 'p') AND n.nspname = ANY($1::text[])
ORDER BY n.nspname, c.relname)SQL";

const char* kColumns = R"SQL(
SELECT a.attrelid, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull,
       pg_catalog.pg_get_expr(d.adbin, d.adrelid), ds.description, a.attidentity, a.attgenerated
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
LEFT JOIN pg_catalog.pg_description ds  -- a join, not col_description() per column: half the time at 100,000 columns
  ON ds.objoid = a.attrelid AND ds.classoid = 'pg_catalog.pg_class'::regclass AND ds.objsubid = a.attnum
WHERE c.relkind IN ('r', 'p') AND n.nspname = ANY($1::text[]) AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attrelid, a.attnum)SQL";

// Key columns are unnested and aggregated once per schema, not by a subquery per constraint
// (a third of the time at 30,000 constraints).
const char* kConstraints = R"SQL(
WITH con AS (
  SELECT con.* FROM pg_catalog.pg_constraint con
  JOIN pg_catalog.pg_class c ON c.oid = con.conrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = ANY($1::text[]) AND con.contype IN ('p', 'u', 'f', 'c')),
keys AS (
  SELECT con.oid, string_agg(a.attname, chr(31) ORDER BY k.ord) AS cols
  FROM con CROSS JOIN LATERAL unnest(con.conkey) WITH ORDINALITY k(num, ord)
  JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num GROUP BY con.oid),
refs AS (
  SELECT con.oid, string_agg(a.attname, chr(31) ORDER BY k.ord) AS cols
  FROM con CROSS JOIN LATERAL unnest(con.confkey) WITH ORDINALITY k(num, ord)
  JOIN pg_catalog.pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num GROUP BY con.oid)
SELECT con.conrelid, con.conname, con.contype, keys.cols, fc.relname, refs.cols, con.confupdtype, con.confdeltype,
  CASE WHEN con.contype = 'c' THEN pg_catalog.pg_get_expr(con.conbin, con.conrelid) END, fn.nspname
FROM con
LEFT JOIN keys ON keys.oid = con.oid
LEFT JOIN refs ON refs.oid = con.oid
LEFT JOIN pg_catalog.pg_class fc ON fc.oid = con.confrelid
LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace
ORDER BY con.conrelid, con.conname)SQL";

// Indexes that do not back a primary key, unique or exclusion constraint.
const std::string kIndexes = R"SQL(
SELECT i.indrelid, ci.relname, i.indisunique, )SQL" + postgres_index_keys_sql("i") + R"SQL(,
  pg_catalog.pg_get_expr(i.indpred, i.indrelid), am.amname
FROM pg_catalog.pg_index i
JOIN pg_catalog.pg_class ci ON ci.oid = i.indexrelid
JOIN pg_catalog.pg_am am ON am.oid = ci.relam
JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = ANY($1::text[]) AND NOT EXISTS (
  SELECT 1 FROM pg_catalog.pg_constraint con WHERE con.conindid = i.indexrelid AND con.contype IN ('p', 'u', 'x'))
ORDER BY i.indrelid, ci.relname)SQL";

// Enum types of the schemas, one row per label in order.
const char* kEnums = R"SQL(
SELECT t.typname, e.enumlabel
FROM pg_catalog.pg_type t
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
JOIN pg_catalog.pg_enum e ON e.enumtypid = t.oid
WHERE n.nspname = ANY($1::text[])
ORDER BY n.nspname, t.typname, e.enumsortorder)SQL";

// Which of the schemas exist, the extensions installed into them, the sequences there that no
// column owns, the views, the functions and procedures, the triggers, and the domains with their checks.
const char* kSchemaObjects = R"SQL(
SELECT 'n', n.nspname, NULL, NULL FROM pg_catalog.pg_namespace n WHERE n.nspname = ANY($1::text[])
UNION ALL
SELECT 'x', e.extname, NULL, NULL FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
WHERE n.nspname = ANY($1::text[]) AND e.extname <> 'plpgsql'
UNION ALL
SELECT 's', c.relname, s.seqstart::text, s.seqincrement::text
FROM pg_catalog.pg_sequence s JOIN pg_catalog.pg_class c ON c.oid = s.seqrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = ANY($1::text[]) AND NOT EXISTS (
  SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid
    AND d.deptype IN ('a', 'i', 'e'))
UNION ALL
SELECT c.relkind::text, c.relname, pg_catalog.pg_get_viewdef(c.oid), c.oid::text
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('v', 'm') AND n.nspname = ANY($1::text[]) AND NOT EXISTS (
  SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
UNION ALL
SELECT 'f', p.proname, pg_catalog.pg_get_functiondef(p.oid), NULL
FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname = ANY($1::text[]) AND p.prokind IN ('f', 'p') AND NOT EXISTS (
  SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
  AND NOT EXISTS (  -- an overloaded name is not modelled: left alone
  SELECT 1 FROM pg_catalog.pg_proc o WHERE o.pronamespace = p.pronamespace AND o.proname = p.proname AND o.oid <> p.oid)
UNION ALL
SELECT 't', t.tgname, pg_catalog.pg_get_triggerdef(t.oid, true), c.relname::text
FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = ANY($1::text[]) AND NOT t.tgisinternal
UNION ALL
SELECT CASE WHEN t.typnotnull THEN 'D' ELSE 'd' END, t.typname, pg_catalog.format_type(t.typbasetype, t.typtypmod), t.typdefault
FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
WHERE t.typtype = 'd' AND n.nspname = ANY($1::text[]) AND NOT EXISTS (
  SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')
UNION ALL
SELECT 'k', t.typname, con.conname, pg_catalog.pg_get_expr(con.conbin, 0)
FROM pg_catalog.pg_constraint con JOIN pg_catalog.pg_type t ON t.oid = con.contypid
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
WHERE con.contype = 'c' AND n.nspname = ANY($1::text[])
ORDER BY 1, 2, 3)SQL";

}  // namespace

std::string postgres_index_keys_sql(const std::string& i) {
  // Key columns by name, expressions as "(text)" in the server's spelling; then the INCLUDE columns.
  auto keys = [&](const char* which) {
    return "pg_catalog.array_to_string(ARRAY(SELECT CASE WHEN k.num = 0 THEN '(' || pg_catalog.pg_get_indexdef(" + i +
           ".indexrelid, k.ord::int, true) || ')' ELSE a.attname END FROM unnest(" + i +
           ".indkey::int2[]) WITH ORDINALITY k(num, ord) LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = " + i +
           ".indrelid AND a.attnum = k.num WHERE k.ord " + which + " " + i + ".indnkeyatts ORDER BY k.ord), chr(31))";
  };
  return keys("<=") + ", " + keys(">");
}

std::vector<std::string> split_names(const std::optional<std::string>& text) {
  std::vector<std::string> out;
  if (!text || text->empty()) return out;
  size_t start = 0;
  while (true) {
    auto sep = text->find('\x1f', start);
    out.push_back(text->substr(start, sep == std::string::npos ? std::string::npos : sep - start));
    if (sep == std::string::npos) break;
    start = sep + 1;
  }
  return out;
}

std::string postgres_or_replace(const std::string& sql) {
  std::string body = statement_body(sql), lower = body;
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower.rfind("create", 0) != 0) return body;
  size_t next = lower.find_first_not_of(" \t\r\n", 6);
  if (next == std::string::npos || lower.compare(next, 2, "or") == 0) return body;
  return body.substr(0, 6) + " OR REPLACE" + body.substr(6);
}

std::string postgres_create_domain_sql(const Dialect& d, const Domain& domain, const std::string& qualified_name) {
  std::string out = "CREATE DOMAIN " + qualified_name + " AS " + d.type_sql(domain.type, false);
  if (domain.server_default) out += " DEFAULT " + d.default_sql(*domain.server_default);
  if (!domain.nullable) out += " NOT NULL";
  for (const auto& ck : domain.checks) out += " CONSTRAINT " + d.quote(ck.name) + " CHECK (" + ck.sql + ")";
  return out;
}

std::string postgres_text_array(const std::vector<std::string>& schemas) {
  std::string out = "{";
  for (size_t i = 0; i < schemas.size(); ++i) {
    out += i ? ",\"" : "\"";
    for (char c : schemas[i]) out += (c == '"' || c == '\\') ? std::string("\\") + c : std::string(1, c);
    out += "\"";
  }
  return out + "}";
}

Schema inspect_postgres(Connection& conn, const InspectOptions& options, const Dialect& dialect) {
  const std::vector<std::string> params{postgres_text_array(options.schemas)};
  Schema schema;
  std::map<std::string, size_t> by_oid;  // table oid -> index in schema.tables
  std::vector<std::pair<std::string, Partition>> partitions;  // parent oid, partition
  for (const auto& r : conn.query(kTables, params)) {
    std::string name = r[2].value_or("");
    if (options.excluded(name)) continue;
    if (r[5]) {  // a partition: its columns, keys and indexes are its parent's
      partitions.push_back({*r[5], Partition{name, r[6].value_or("")}});
      continue;
    }
    Table t;
    t.name = name;
    if (r[1] != options.schemas.front()) t.schema = r[1].value_or("");
    t.comment = r[3];
    t.partition_by = r[4].value_or("");
    by_oid[*r[0]] = schema.tables.size();
    schema.tables.push_back(std::move(t));
  }
  auto table_of = [&](const std::optional<std::string>& oid) -> Table* {
    auto it = by_oid.find(oid.value_or(""));
    return it == by_oid.end() ? nullptr : &schema.tables[it->second];
  };
  for (auto& [parent, partition] : partitions)
    if (Table* t = table_of(parent)) t->partitions.push_back(std::move(partition));
  conn.each_row(kColumns, params, [&](const Row& r) {
    Table* t = table_of(r[0]);
    if (!t) return;
    Column c;
    c.name = r[1].value_or("");
    c.type = dialect.model_type(r[2].value_or(""));
    c.nullable = r[3] != "t";
    c.server_default = r[4];
    c.comment = r[5];
    if (r[6] == "a" || r[6] == "d") c.identity = r[6] == "a" ? "always" : "by_default";
    if (r[7] == "s") c.computed = std::move(c.server_default), c.server_default.reset();
    t->columns.push_back(std::move(c));
  });
  conn.each_row(kConstraints, params, [&](const Row& r) {
    Table* t = table_of(r[0]);
    if (!t) return;
    std::string name = r[1].value_or(""), type = r[2].value_or("");
    auto cols = split_names(r[3]);
    if (type == "p") {
      t->primary_key = cols;
      t->primary_key_name = name;
    } else if (type == "u") {
      t->uniques.push_back({name, cols});
    } else if (type == "f") {
      t->foreign_keys.push_back({name, cols, r[4].value_or(""), split_names(r[5]), fk_action(r[7]), fk_action(r[6]), true,
                                 r[9] == options.schemas.front() ? "" : r[9].value_or("")});
    } else if (type == "c") {
      t->checks.push_back({name, r[8].value_or("")});
    }
  });
  // A serial is the model's autoincrement only as the single primary-key column; elsewhere its
  // nextval() stays a default.
  for (auto& t : schema.tables)
    for (auto& c : t.columns)
      if (t.primary_key.size() == 1 && t.primary_key[0] == c.name && c.server_default &&
          c.server_default->rfind("nextval(", 0) == 0) {
        c.autoincrement = true;
        c.server_default.reset();
      }
  for (const auto& r : conn.query(kEnums, params)) {
    std::string name = r[0].value_or("");
    if (schema.enums.empty() || schema.enums.back().name != name) schema.enums.push_back({name, {}});
    schema.enums.back().values.push_back(r[1].value_or(""));
  }
  schema.extensions.emplace();
  schema.sequences.emplace();
  schema.views.emplace();
  schema.functions.emplace();
  schema.triggers.emplace();
  schema.domains.emplace();
  std::vector<std::pair<std::string, CheckConstraint>> domain_checks;
  std::map<std::string, size_t> view_of;  // materialized view oid -> index in schema.views
  for (const auto& r : conn.query(kSchemaObjects, params)) {
    const std::string kind = r[0].value_or(""), name = r[1].value_or("");
    if (kind == "n") {
      schema.namespaces.push_back(name);
    } else if (kind == "x") {
      schema.extensions->push_back(name);
    } else if (kind == "s") {
      schema.sequences->push_back({name, std::stoll(r[2].value_or("1")), std::stoll(r[3].value_or("1"))});
    } else if (kind == "f") {
      schema.functions->push_back({"function", name, "", statement_body(r[2].value_or(""))});
    } else if (kind == "t" && !options.excluded(r[3].value_or(""))) {
      schema.triggers->push_back({"trigger", name, r[3].value_or(""), statement_body(r[2].value_or(""))});
    } else if (kind == "v" || kind == "m") {
      if (kind == "m") view_of[r[3].value_or("")] = schema.views->size();
      schema.views->push_back({name, statement_body(r[2].value_or("")), kind == "m"});
    } else if (kind == "d" || kind == "D") {
      schema.domains->push_back({name, dialect.model_type(r[2].value_or("")), kind == "d", r[3]});
    } else if (kind == "k") {
      domain_checks.push_back({name, {r[2].value_or(""), r[3].value_or("")}});
    }
  }
  for (auto& [domain, check] : domain_checks)
    for (auto& d : *schema.domains)
      if (d.name == domain) d.checks.push_back(std::move(check));
  conn.each_row(kIndexes, params, [&](const Row& r) {
    Table* t = table_of(r[0]);
    auto view = view_of.find(r[0].value_or(""));  // a materialized view's
    if (!t && view == view_of.end()) return;
    Index ix;
    ix.name = r[1].value_or("");
    ix.unique = r[2] == "t";
    ix.columns = split_names(r[3]);
    ix.include = split_names(r[4]);
    ix.where = r[5].value_or("");
    ix.method = r[6] == "btree" ? "" : r[6].value_or("");
    (t ? t->indexes : (*schema.views)[view->second].indexes).push_back(std::move(ix));
  });
  shrink_to_fit(schema);
  return schema;
}

}  // namespace dbmig

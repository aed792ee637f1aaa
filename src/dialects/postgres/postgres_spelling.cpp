#include <dbmig/dialects/postgres/postgres_catalog.hpp>

#include <dbmig/model/table_yaml.hpp>

#include <algorithm>
#include <map>
#include <string_view>
#include <unordered_map>

namespace dbmig {
namespace {

// What the server made of each expression: {temp table, kind, name} -> text.
using Spellings = std::map<std::tuple<std::string, char, std::string>, std::string>;

const std::string kReadBack = R"SQL(
SELECT c.relname, 'd', a.attname, pg_catalog.pg_get_expr(d.adbin, d.adrelid)
FROM pg_catalog.pg_attrdef d JOIN pg_catalog.pg_class c ON c.oid = d.adrelid
JOIN pg_catalog.pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
WHERE c.relnamespace = pg_catalog.pg_my_temp_schema() AND c.relname LIKE '\_dbmig\_spell\_%'
UNION ALL
SELECT c.relname, 'c', con.conname, pg_catalog.pg_get_expr(con.conbin, con.conrelid)
FROM pg_catalog.pg_constraint con JOIN pg_catalog.pg_class c ON c.oid = con.conrelid
WHERE c.relnamespace = pg_catalog.pg_my_temp_schema() AND c.relname LIKE '\_dbmig\_spell\_%' AND con.contype = 'c'
UNION ALL
SELECT c.relname, 'i', ci.relname, pg_catalog.pg_get_expr(i.indpred, i.indrelid)
FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class ci ON ci.oid = i.indexrelid JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
WHERE c.relnamespace = pg_catalog.pg_my_temp_schema() AND c.relname LIKE '\_dbmig\_spell\_%' AND i.indpred IS NOT NULL
UNION ALL
SELECT c.relname, 'e', ci.relname, keys
FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class ci ON ci.oid = i.indexrelid JOIN pg_catalog.pg_class c ON c.oid = i.indrelid,
  LATERAL (SELECT )SQL" + postgres_index_keys_sql("i") + R"SQL() AS k(keys, included)
WHERE c.relnamespace = pg_catalog.pg_my_temp_schema() AND c.relname LIKE '\_dbmig\_spell\_%' AND i.indexprs IS NOT NULL
UNION ALL
SELECT c.relname, 'v', c.relname, pg_catalog.pg_get_viewdef(c.oid)
FROM pg_catalog.pg_class c
WHERE c.relnamespace = pg_catalog.pg_my_temp_schema() AND c.relname LIKE '\_dbmig\_spell\_view\_%'
UNION ALL
SELECT c.relname, 'P', '', pg_catalog.pg_get_partkeydef(c.oid) FROM pg_catalog.pg_class c
WHERE c.relnamespace = pg_catalog.pg_my_temp_schema() AND c.relname LIKE '\_dbmig\_spell\_part\_%' AND c.relkind = 'p'
UNION ALL
SELECT c.relname, 'B', '', pg_catalog.pg_get_expr(c.relpartbound, c.oid) FROM pg_catalog.pg_class c
WHERE c.relnamespace = pg_catalog.pg_my_temp_schema() AND c.relname LIKE '\_dbmig\_spell\_part\_%' AND c.relispartition
UNION ALL
SELECT t.typname, 'k', con.conname, pg_catalog.pg_get_expr(con.conbin, 0)
FROM pg_catalog.pg_constraint con JOIN pg_catalog.pg_type t ON t.oid = con.contypid
WHERE t.typnamespace = pg_catalog.pg_my_temp_schema() AND t.typname LIKE '\_dbmig\_spell\_domain\_%' AND con.contype = 'c'
UNION ALL
SELECT t.typname, 'D', '', t.typdefault FROM pg_catalog.pg_type t
WHERE t.typnamespace = pg_catalog.pg_my_temp_schema() AND t.typname LIKE '\_dbmig\_spell\_domain\_%' AND t.typdefault IS NOT NULL
UNION ALL
SELECT '', 'f', p.proname, pg_catalog.pg_get_functiondef(p.oid)
FROM pg_catalog.pg_proc p WHERE p.proname = ANY($1::text[]) AND p.prokind IN ('f', 'p')
UNION ALL
SELECT c.relname, 't', t.tgname, pg_catalog.pg_get_triggerdef(t.oid, true)
FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
WHERE t.tgname = ANY($2::text[]) AND NOT t.tgisinternal)SQL";

}  // namespace

// Each table the database already has is built again as an empty temporary table with the
// model's columns and those defaults, checks and index expressions whose text differs from the
// live one, inside a transaction that is rolled back; so are domains (temporary domains) and
// views (temporary views), and functions and triggers are created over the live ones. The
// server's own text is read back with pg_get_expr and the pg_get_*def functions. Every statement
// is guarded, so an expression the server refuses keeps its text as written (and the upgrade will
// say why).
std::optional<Schema> spell_postgres(Connection& conn, const Schema& model, const Schema& database, const Dialect& d) {
  std::string script;
  auto run = [&](const std::string& sql) {
    script += "  BEGIN EXECUTE " + d.literal(sql) + "; EXCEPTION WHEN OTHERS THEN NULL; END;\n";
  };
  for (const auto& e : model.enums)
    if (!database.enum_type(e.name)) {
      std::string values;
      for (const auto& v : e.values) values += (values.empty() ? "" : ", ") + d.literal(v);
      run("CREATE TYPE " + d.quote(e.name) + " AS ENUM (" + values + ")");
    }
  auto same = [&](const std::string& a, const std::string& b) { return d.canonical_expression(a) == d.canonical_expression(b); };
  std::unordered_map<std::string_view, const Table*> live_tables;  // a linear lookup per table is quadratic
  for (const auto& t : database.tables) live_tables.emplace(t.name, &t);
  for (size_t i = 0; i < model.tables.size(); ++i) {
    const Table& t = model.tables[i];
    auto found = live_tables.find(t.name);
    if (found == live_tables.end()) continue;
    const Table* live = found->second;
    // Only what differs from the live text in a way folding cannot settle goes to the server:
    // a database that matches its model costs no statement.
    std::vector<std::string> statements;
    const std::string tmp = d.quote("_dbmig_spell_" + std::to_string(i));
    for (const auto& c : t.columns) {
      const Column* lc = live->column(c.name);
      if (c.computed && !(lc && lc->computed && same(*c.computed, *lc->computed)))  // alone: a refusal spoils nothing else
        statements.push_back("ALTER TABLE " + tmp + " DROP COLUMN " + d.quote(c.name) + ", ADD COLUMN " + d.quote(c.name) + " " +
                             d.type_sql(c.type, false) + " GENERATED ALWAYS AS (" + *c.computed + ") STORED");
      if (c.server_default && !c.autoincrement && !(lc && lc->server_default && same(*c.server_default, *lc->server_default)))
        statements.push_back("ALTER TABLE " + tmp + " ALTER COLUMN " + d.quote(c.name) + " SET DEFAULT " + d.default_sql(*c.server_default));
    }
    for (const auto& ck : t.checks) {
      auto lk = std::find_if(live->checks.begin(), live->checks.end(), [&](const CheckConstraint& k) { return k.name == ck.name; });
      if (lk == live->checks.end() || d.token_form(lk->sql) != d.token_form(ck.sql))
        statements.push_back("ALTER TABLE " + tmp + " ADD CONSTRAINT " + d.quote(ck.name) + " CHECK (" + ck.sql + ")");
    }
    for (size_t j = 0; j < t.indexes.size(); ++j) {
      Index ix = t.indexes[j];
      if (ix.where.empty() && std::none_of(ix.columns.begin(), ix.columns.end(), is_index_expression)) continue;
      auto li = std::find_if(live->indexes.begin(), live->indexes.end(), [&](const Index& x) { return x.name == ix.name; });
      if (li != live->indexes.end() && li->columns == ix.columns && same(li->where, ix.where)) continue;
      ix.name = "_dbmig_spell_" + std::to_string(i) + "_" + std::to_string(j);
      ix.unique = false;
      statements.push_back(d.create_index_sql("_dbmig_spell_" + std::to_string(i), ix));
    }
    // A partition key and bounds go on a temporary partitioned table of their own.
    bool partitions_differ = !t.partition_by.empty() && !same(t.partition_by, live->partition_by);
    for (const auto& p : t.partitions)
      for (const auto& lp : live->partitions) partitions_differ = partitions_differ || (lp.name == p.name && !same(lp.bound, p.bound));
    if (statements.empty() && !partitions_differ) continue;
    std::string columns;
    for (const auto& c : t.columns) columns += (columns.empty() ? "" : ", ") + d.quote(c.name) + " " + d.type_sql(c.type, false);
    if (!statements.empty()) run("CREATE TEMPORARY TABLE " + tmp + " (" + columns + ")");
    for (const auto& sql : statements) run(sql);
    if (!partitions_differ) continue;
    const std::string parent = "_dbmig_spell_part_" + std::to_string(i);
    run("CREATE TEMPORARY TABLE " + d.quote(parent) + " (" + columns + ") PARTITION BY " + t.partition_by);
    for (size_t j = 0; j < t.partitions.size(); ++j)
      run("CREATE TEMPORARY TABLE " + d.quote(parent + "_" + std::to_string(j)) + " PARTITION OF " + d.quote(parent) + " " +
          t.partitions[j].bound);
  }
  // A domain whose default or checks differ in text, as a temporary domain.
  for (size_t i = 0; model.domains && database.domains && i < model.domains->size(); ++i) {
    const Domain& m = (*model.domains)[i];
    auto live = std::find_if(database.domains->begin(), database.domains->end(), [&](const Domain& x) { return x.name == m.name; });
    if (live == database.domains->end()) continue;
    bool differs = m.server_default && !(live->server_default && same(*m.server_default, *live->server_default));
    for (const auto& ck : m.checks) {
      auto lk = std::find_if(live->checks.begin(), live->checks.end(), [&](const CheckConstraint& k) { return k.name == ck.name; });
      differs = differs || lk == live->checks.end() || d.token_form(lk->sql) != d.token_form(ck.sql);
    }
    if (differs) run(postgres_create_domain_sql(d, m, "pg_temp." + d.quote("_dbmig_spell_domain_" + std::to_string(i))));
  }
  // A view as a temporary view over the live tables: pg_get_viewdef gives the server's text.
  for (size_t i = 0; model.views && database.views && i < model.views->size(); ++i) {
    const View& v = (*model.views)[i];
    if (std::any_of(database.views->begin(), database.views->end(),
                    [&](const View& dv) { return dv.name == v.name && !same(dv.sql, v.sql); }))
      run("CREATE TEMPORARY VIEW " + d.quote("_dbmig_spell_view_" + std::to_string(i)) + " AS " + v.sql);
  }
  // A function or trigger is created over the live one (OR REPLACE) and read back by name; a
  // trigger's table lock is waited for briefly (the script's first line).
  std::vector<std::string> names[2];  // functions', triggers'
  std::map<std::string, std::string> live_functions;
  for (auto kind : {&Schema::functions, &Schema::triggers}) {
    const auto &objects = model.*kind, &live = database.*kind;
    for (size_t i = 0; objects && live && i < objects->size(); ++i) {
      const SqlObject& o = (*objects)[i];
      auto l = std::find_if(live->begin(), live->end(), [&](const SqlObject& x) { return x.name == o.name && x.table == o.table; });
      if (l == live->end() || same(l->sql, o.sql)) continue;
      run(postgres_or_replace(o.sql));
      names[kind == &Schema::triggers].push_back(o.name);
      if (kind == &Schema::functions) live_functions[o.name] = l->sql;
    }
  }
  if (script.empty()) return std::nullopt;  // nothing the folded text does not already settle
  script.insert(0, "  PERFORM pg_catalog.set_config('lock_timeout', '2s', true);\n");
  Schema stored = model;
  Spellings spelled;
  conn.begin();
  try {
    conn.execute("DO $dbmig_spell$ BEGIN\n" + script + "END $dbmig_spell$");
    for (const auto& r : conn.query(kReadBack, {postgres_text_array(names[0]), postgres_text_array(names[1])})) {
      std::string& text = spelled[{r[0].value_or(""), r[1].value_or(" ")[0], r[2].value_or("")}];
      // A model's function with other arguments is an overload beside the live one: the model's
      // is the one whose text differs from the live function's.
      if (text.empty() || (r[1] == "f" && statement_body(text) == live_functions[r[2].value_or("")])) text = r[3].value_or("");
    }
  } catch (...) {
    conn.rollback();
    throw;
  }
  conn.rollback();
  auto find = [&](const std::string& table, char kind, const std::string& name) -> const std::string* {
    auto it = spelled.find({table, kind, name});
    return it == spelled.end() ? nullptr : &it->second;
  };
  for (size_t i = 0; stored.views && i < stored.views->size(); ++i) {
    std::string tmp = "_dbmig_spell_view_" + std::to_string(i);
    if (auto* s = find(tmp, 'v', tmp)) (*stored.views)[i].sql = statement_body(*s);
  }
  for (size_t i = 0; stored.domains && i < stored.domains->size(); ++i) {
    Domain& domain = (*stored.domains)[i];
    const std::string tmp = "_dbmig_spell_domain_" + std::to_string(i);
    if (auto* s = find(tmp, 'D', "")) domain.server_default = *s;
    for (auto& ck : domain.checks)
      if (auto* s = find(tmp, 'k', ck.name)) ck.sql = *s;
  }
  for (auto kind : {&Schema::functions, &Schema::triggers})
    if (auto& objects = stored.*kind)
      for (auto& o : *objects)
        if (auto* s = find(o.table, o.kind[0], o.name)) o.sql = statement_body(*s);  // 'f' or 't'
  for (size_t i = 0; i < stored.tables.size(); ++i) {
    Table& t = stored.tables[i];
    std::string tmp = "_dbmig_spell_" + std::to_string(i);
    for (auto& c : t.columns)
      if (auto* s = find(tmp, 'd', c.name)) (c.computed ? c.computed : c.server_default) = *s;
    for (auto& ck : t.checks)
      if (auto* s = find(tmp, 'c', ck.name)) ck.sql = *s;
    const std::string parent = "_dbmig_spell_part_" + std::to_string(i);
    if (auto* s = find(parent, 'P', "")) t.partition_by = *s;
    for (size_t j = 0; j < t.partitions.size(); ++j)
      if (auto* s = find(parent + "_" + std::to_string(j), 'B', "")) t.partitions[j].bound = *s;
    for (size_t j = 0; j < t.indexes.size(); ++j) {
      if (auto* s = find(tmp, 'i', tmp + "_" + std::to_string(j))) t.indexes[j].where = *s;
      if (auto* s = find(tmp, 'e', tmp + "_" + std::to_string(j))) t.indexes[j].columns = split_names(*s);
    }
  }
  return stored;
}

}  // namespace dbmig

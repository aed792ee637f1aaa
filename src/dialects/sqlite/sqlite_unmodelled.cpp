// What a SQLite schema holds that models.yaml cannot express, for `models dump` to name: one
// query over sqlite_master and the table-valued pragmas, whatever the number of tables.
#include <dbmig/dialects/dialect.hpp>
#include <dbmig/dialects/sqlite/sqlite_catalog.hpp>

namespace dbmig {
namespace {

// Table options and clause keywords live only in the CREATE text (LIKE is case-blind here).
const char* kUnmodelled = R"SQL(
SELECT kind, name FROM (
  SELECT 'virtual table' AS kind, name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'
  UNION ALL SELECT 'AUTOINCREMENT keyword', name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%AUTOINCREMENT%'
  UNION ALL SELECT 'WITHOUT ROWID table', name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%WITHOUT%ROWID%'
  UNION ALL SELECT 'STRICT table', name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%)%STRICT'
  UNION ALL SELECT 'column collation', name FROM sqlite_master WHERE type = 'table' AND sql LIKE '% COLLATE %'
  UNION ALL SELECT 'deferrable foreign key', name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%DEFERRABLE%'
  UNION ALL SELECT 'ON CONFLICT clause', name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%ON CONFLICT%'
  UNION ALL
  SELECT 'generated column', m.name || '.' || p.name FROM sqlite_master m, pragma_table_xinfo(m.name) p
  WHERE m.type = 'table' AND p.hidden IN (2, 3)
  UNION ALL
  SELECT kind, name FROM (
    SELECT il.name AS name,
      CASE WHEN EXISTS (SELECT 1 FROM pragma_index_xinfo(il.name) x WHERE x.key AND x."desc") THEN 'index DESC order'
           WHEN EXISTS (SELECT 1 FROM pragma_index_xinfo(il.name) x WHERE x.key AND x.coll <> 'BINARY') THEN 'index collation'
      END AS kind
    FROM sqlite_master m, pragma_index_list(m.name) il WHERE m.type = 'table')
  WHERE kind IS NOT NULL
) WHERE name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY kind, name)SQL";

}  // namespace

std::vector<UnmodelledObject> unmodelled_sqlite(Connection& conn) {
  std::vector<UnmodelledObject> out;
  for (const auto& r : conn.query(kUnmodelled)) out.push_back({r[0].value_or(""), r[1].value_or("")});
  return out;
}

}  // namespace dbmig

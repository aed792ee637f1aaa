// What a PostgreSQL schema holds that models.yaml cannot express, for `models dump` to name:
// one query, whatever the number of tables.
#include <dbmig/dialects/postgres/postgres_catalog.hpp>

namespace dbmig {
namespace {

// $1: the schemas (a text[] literal), $2: the first of them, whose names go unqualified.
// Objects that belong to an extension are the extension's, and named once as the extension.
const char* kUnmodelled = R"SQL(
WITH ns AS (
  SELECT oid, CASE WHEN nspname = $2 THEN '' ELSE nspname || '.' END AS qual
  FROM pg_catalog.pg_namespace WHERE nspname = ANY($1::text[])),
ext AS (SELECT classid, objid FROM pg_catalog.pg_depend WHERE deptype = 'e'),
rel AS (
  SELECT c.*, ns.qual || c.relname AS qname FROM pg_catalog.pg_class c JOIN ns ON ns.oid = c.relnamespace
  WHERE NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_catalog.pg_class'::regclass AND ext.objid = c.oid)),
tbl AS (SELECT * FROM rel WHERE relkind IN ('r', 'p') AND NOT relispartition),
col AS (
  SELECT t.qname || '.' || a.attname AS qname, t.oid AS relid, a.* FROM tbl t
  JOIN pg_catalog.pg_attribute a ON a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped),
pk1 AS (  -- single-column primary keys: where a serial is the model's autoincrement
  SELECT conrelid, conkey[1] AS attnum FROM pg_catalog.pg_constraint WHERE contype = 'p' AND cardinality(conkey) = 1)
SELECT kind, name FROM (
  SELECT CASE relkind WHEN 'f' THEN 'foreign table' ELSE 'composite type' END AS kind, qname AS name
  FROM rel WHERE relkind IN ('f', 'c')
  UNION ALL SELECT 'sub-partitioning', qname FROM rel WHERE relispartition AND relkind = 'p'
  UNION ALL  -- what one partition has beside its parent's
  SELECT 'index of one partition', ci.qname FROM pg_catalog.pg_index i JOIN rel ci ON ci.oid = i.indexrelid
  JOIN rel p ON p.oid = i.indrelid WHERE p.relispartition AND NOT ci.relispartition
  UNION ALL
  SELECT 'constraint of one partition', p.qname || '.' || con.conname
  FROM pg_catalog.pg_constraint con JOIN rel p ON p.oid = con.conrelid
  WHERE p.relispartition AND con.conparentid = 0 AND con.conislocal
  UNION ALL SELECT 'table inheritance', t.qname FROM tbl t JOIN pg_catalog.pg_inherits i ON i.inhrelid = t.oid
  UNION ALL SELECT 'unlogged table', qname FROM tbl WHERE relpersistence = 'u'
  UNION ALL SELECT 'table storage parameters', qname FROM tbl WHERE reloptions IS NOT NULL
  UNION ALL SELECT 'tablespace', qname FROM tbl WHERE reltablespace <> 0
  UNION ALL SELECT 'row level security', qname FROM tbl WHERE relrowsecurity
  UNION ALL SELECT 'privileges', qname FROM tbl WHERE relacl IS NOT NULL
  UNION ALL
  SELECT 'column collation', c.qname FROM col c JOIN pg_catalog.pg_type ty ON ty.oid = c.atttypid
  WHERE c.attcollation <> 0 AND c.attcollation <> ty.typcollation
  UNION ALL
  SELECT 'sequence default', c.qname FROM col c
  JOIN pg_catalog.pg_attrdef d ON d.adrelid = c.attrelid AND d.adnum = c.attnum
  WHERE pg_catalog.pg_get_expr(d.adbin, d.adrelid) LIKE 'nextval(%'
    AND NOT EXISTS (SELECT 1 FROM pk1 WHERE pk1.conrelid = c.attrelid AND pk1.attnum = c.attnum)
    AND EXISTS (SELECT 1 FROM pg_catalog.pg_depend dep WHERE dep.refobjid = c.attrelid AND dep.refobjsubid = c.attnum
                AND dep.deptype = 'a' AND dep.classid = 'pg_catalog.pg_class'::regclass)  -- a serial, not a sequence of its own
  UNION ALL
  SELECT 'range type', ns.qual || ty.typname
  FROM pg_catalog.pg_type ty JOIN ns ON ns.oid = ty.typnamespace
  WHERE ty.typtype = 'r'
    AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_catalog.pg_type'::regclass AND ext.objid = ty.oid)
  UNION ALL
  SELECT CASE p.prokind WHEN 'a' THEN 'aggregate' WHEN 'w' THEN 'window function' ELSE 'overloaded function' END,
         ns.qual || p.proname || '(' || pg_catalog.pg_get_function_identity_arguments(p.oid) || ')'
  FROM pg_catalog.pg_proc p JOIN ns ON ns.oid = p.pronamespace
  WHERE NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_catalog.pg_proc'::regclass AND ext.objid = p.oid)
    AND (p.prokind IN ('a', 'w') OR EXISTS (  -- functions and procedures are modelled by a name of their own
      SELECT 1 FROM pg_catalog.pg_proc o WHERE o.pronamespace = p.pronamespace AND o.proname = p.proname AND o.oid <> p.oid))
  UNION ALL
  SELECT 'operator', ns.qual || o.oprname FROM pg_catalog.pg_operator o JOIN ns ON ns.oid = o.oprnamespace
  WHERE NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_catalog.pg_operator'::regclass AND ext.objid = o.oid)
  UNION ALL
  SELECT 'rule', t.qname || '.' || r.rulename FROM pg_catalog.pg_rewrite r JOIN tbl t ON t.oid = r.ev_class
  WHERE r.rulename <> '_RETURN'
  UNION ALL SELECT 'policy', t.qname || '.' || p.polname FROM pg_catalog.pg_policy p JOIN tbl t ON t.oid = p.polrelid
  UNION ALL
  SELECT CASE WHEN con.contype = 'x' THEN 'exclusion constraint'
              WHEN con.condeferrable THEN 'deferrable constraint'
              WHEN NOT con.convalidated THEN 'NOT VALID constraint'
              WHEN con.contype = 'f' AND con.confmatchtype = 'f' THEN 'MATCH FULL foreign key'
              WHEN con.contype = 'f' AND NOT EXISTS (SELECT 1 FROM tbl r WHERE r.oid = con.confrelid)
                THEN 'foreign key to a table outside the schemas'
              WHEN con.contype = 'c' AND con.connoinherit THEN 'NO INHERIT check' END,
         t.qname || '.' || con.conname
  FROM pg_catalog.pg_constraint con JOIN tbl t ON t.oid = con.conrelid
  WHERE con.contype = 'x' OR con.condeferrable OR NOT con.convalidated
     OR (con.contype = 'f' AND (con.confmatchtype = 'f' OR NOT EXISTS (SELECT 1 FROM tbl r WHERE r.oid = con.confrelid)))
     OR (con.contype = 'c' AND con.connoinherit)
  UNION ALL
  SELECT kind, qname FROM (
    SELECT ci.qname,
      CASE WHEN EXISTS (SELECT 1 FROM unnest(i.indoption::int2[]) o WHERE o <> 0) THEN 'index DESC or NULLS FIRST order'
           WHEN EXISTS (SELECT 1 FROM unnest(i.indclass::oid[]) k JOIN pg_catalog.pg_opclass oc ON oc.oid = k WHERE NOT oc.opcdefault)
             THEN 'index operator class'
           WHEN EXISTS (SELECT 1 FROM unnest(i.indcollation::oid[]) WITH ORDINALITY k(coll, ord)
                        JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[k.ord - 1]
                        WHERE k.coll <> 0 AND k.coll <> a.attcollation) THEN 'index collation'
           WHEN ci.reloptions IS NOT NULL THEN 'index storage parameters' END AS kind
    FROM pg_catalog.pg_index i JOIN rel ci ON ci.oid = i.indexrelid JOIN tbl t ON t.oid = i.indrelid
    WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint x WHERE x.conindid = i.indexrelid AND x.contype = 'x')
  ) ix WHERE kind IS NOT NULL
) u ORDER BY kind, name)SQL";

}  // namespace

std::vector<UnmodelledObject> unmodelled_postgres(Connection& conn, const InspectOptions& options) {
  std::vector<UnmodelledObject> out;
  const std::string first = options.schemas.empty() ? "public" : options.schemas.front();
  for (const auto& r : conn.query(kUnmodelled, {postgres_text_array(options.schemas), first})) {
    std::string name = r[1].value_or("");
    // Whatever belongs to the version table or an excluded table is none of the dump's business.
    if (options.excluded(name.substr(0, name.find('.')))) continue;
    out.push_back({r[0].value_or(""), std::move(name)});
  }
  return out;
}

}  // namespace dbmig

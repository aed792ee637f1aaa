#include <dbmig/autogenerate/data_checks.hpp>
#include <dbmig/revisions/revision.hpp>
#include <dbmig/util/error.hpp>
#include <dbmig/util/output.hpp>
#include <dbmig/util/overloaded.hpp>

#include <map>
#include <optional>
#include <set>

namespace dbmig {
namespace {

std::string plural(long n, const std::string& one, const std::string& many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

// Follows the ops' renames so every query names tables and columns as the database has them now.
class DataChecker {
 public:
  DataChecker(Connection& conn, const Dialect& dialect, const Schema& database)
      : conn_(conn), d_(dialect), db_(database) {
    for (const auto& t : db_.tables) {
      live_table_[t.name] = t.name;
      schema_of_[t.name] = t.schema;
      for (const auto& c : t.columns) live_column_[{t.name, c.name}] = c.name;
    }
  }

  std::vector<DataWarning> run(const std::vector<Op>& ops) {
    for (const auto& op : ops) {
      check(op);
      follow(op);
    }
    return std::move(out_);
  }

 private:
  // The table's name in the database now, or nullopt for a table the run creates.
  std::optional<std::string> table(const std::string& name) const {
    auto it = live_table_.find(name);
    return it == live_table_.end() ? std::nullopt : std::optional(it->second);
  }
  // The column's quoted name in the database now, or nullopt for a column the run adds.
  std::optional<std::string> column(const std::string& table, const std::string& name) const {
    auto it = live_column_.find({table, name});
    return it == live_column_.end() ? std::nullopt : std::optional(d_.quote(it->second));
  }
  std::optional<std::vector<std::string>> columns(const std::string& table, const std::vector<std::string>& names) const {
    std::vector<std::string> out;
    for (const auto& n : names) {
      auto c = column(table, n);
      if (!c) return std::nullopt;
      out.push_back(*c);
    }
    return out;
  }

  // One aggregate query; a query the database refuses (e.g. a check naming a column renamed in
  // the same revision) makes no warning rather than an error: the checks only advise.
  std::optional<long> count(const std::string& sql) {
    try {
      auto rows = conn_.query(sql);
      if (rows.empty() || !rows[0][0]) return 0;
      return std::stol(*rows[0][0]);
    } catch (const Error& e) {
      log_debug(std::string("data check skipped: ") + e.what());
      return std::nullopt;
    }
  }

  void warn(std::string kind, const std::string& table, std::vector<std::string> cols, const std::string& sql,
            const std::string& what) {
    auto n = count(sql);
    if (!n || *n == 0) return;
    std::string where = "'" + table + "'" + (cols.empty() ? "" : " (" + join(cols) + ")");
    out_.push_back({std::move(kind), table, std::move(cols), *n, where + ": " + plural(*n, "row ", "rows ") + what});
  }

  std::string relation(const std::string& live) const {
    auto it = schema_of_.find(live);
    return d_.qualified(live, it == schema_of_.end() ? "" : it->second);
  }
  std::string from(const std::string& live) const { return " FROM " + relation(live); }

  void check(const Op& op) {
    std::visit(
        overloaded{
            [&](const AddColumn& o) {
              auto t = table(o.table);
              if (!t || o.column.nullable || o.column.server_default) return;
              warn("not_null", o.table, {o.column.name}, "SELECT count(*)" + from(*t),
                   "would hold NULL in the new NOT NULL column without a server_default; the upgrade fails");
            },
            [&](const AlterColumn& o) {
              auto t = table(o.table);
              auto c = column(o.table, o.name);
              if (!t || !c) return;
              bool has_default = (o.server_default && *o.server_default) || (!o.server_default && o.existing_server_default && *o.existing_server_default);
              if (o.nullable == false && !o.fill && !has_default)
                warn("not_null", o.table, {o.name}, "SELECT count(*)" + from(*t) + " WHERE " + *c + " IS NULL",
                     "hold NULL under the new NOT NULL, without a server_default or fill; the upgrade fails");
              if (o.type && o.existing_type) {
                if (auto cut = d_.cut_by_type(*c, *o.existing_type, *o.type))
                  warn("type", o.table, {o.name}, "SELECT count(*)" + from(*t) + " WHERE " + *cut,
                       "hold values that do not fit the new type " + *o.type + " (from " + *o.existing_type + ")");
              }
            },
            [&](const CreateUniqueConstraint& o) { duplicates(o.table, o.constraint.columns, "", "unique constraint '" + o.constraint.name + "'"); },
            [&](const CreateIndex& o) {
              if (o.index.unique) duplicates(o.table, o.index.columns, o.index.where, "unique index '" + o.index.name + "'");
            },
            [&](const CreatePrimaryKey& o) { duplicates(o.table, o.columns, "", "primary key '" + o.name + "'"); },
            [&](const CreateForeignKey& o) { foreign_key(o.table, o.constraint); },
            [&](const CreateCheckConstraint& o) {
              auto t = table(o.table);
              if (!t) return;
              warn("check", o.table, {}, "SELECT count(*)" + from(*t) + " WHERE NOT (" + o.constraint.sql + ")",
                   "fail the new check '" + o.constraint.name + "' (" + o.constraint.sql + "); the upgrade fails");
            },
            [](const auto&) {},
        },
        op);
  }

  void duplicates(const std::string& tn, const std::vector<std::string>& names, const std::string& where, const std::string& what) {
    auto t = table(tn);
    auto cols = columns(tn, names);
    if (!t || !cols) return;
    std::string filter;
    for (const auto& c : *cols) filter += (filter.empty() ? " WHERE " : " AND ") + c + " IS NOT NULL";
    if (!where.empty()) filter += " AND (" + where + ")";
    warn("unique", tn, names,
         "SELECT sum(n) FROM (SELECT count(*) AS n" + from(*t) + filter + " GROUP BY " + join(*cols) +
             " HAVING count(*) > 1) AS duplicated",
         "share their values with another row, under the new " + what + "; the upgrade fails");
  }

  void foreign_key(const std::string& tn, const ForeignKey& fk) {
    auto t = table(tn);
    auto cols = columns(tn, fk.columns);
    if (!t || !cols) return;
    std::string filter;
    for (const auto& c : *cols) filter += (filter.empty() ? " WHERE " : " AND ") + ("c." + c) + " IS NOT NULL";
    std::string what = "reference no row of '" + fk.ref_table + "' (" + join(fk.ref_columns) + "), under the new foreign key '" +
                       fk.name + "'; the upgrade fails";
    auto ref = table(fk.ref_table);
    auto ref_cols = columns(fk.ref_table, fk.ref_columns);
    if (!ref || !ref_cols) {  // a table the run creates holds no rows yet
      warn("foreign_key", tn, fk.columns, "SELECT count(*) FROM " + relation(*t) + " AS c" + filter, what);
      return;
    }
    std::string match;
    for (size_t i = 0; i < cols->size(); ++i)
      match += (i ? " AND " : "") + ("p." + (*ref_cols)[i]) + " = " + ("c." + (*cols)[i]);
    warn("foreign_key", tn, fk.columns,
         "SELECT count(*) FROM " + relation(*t) + " AS c" + filter + " AND NOT EXISTS (SELECT 1 FROM " + relation(*ref) +
             " AS p WHERE " + match + ")",
         what);
  }

  // Moves the name maps through an op.
  void follow(const Op& op) {
    std::visit(overloaded{
                   [&](const RenameTable& o) {
                     if (auto live = table(o.name)) {
                       live_table_[o.new_name] = *live;
                       live_table_.erase(o.name);
                       std::map<std::pair<std::string, std::string>, std::string> moved;
                       for (auto it = live_column_.begin(); it != live_column_.end();) {
                         if (it->first.first == o.name) {
                           moved[{o.new_name, it->first.second}] = it->second;
                           it = live_column_.erase(it);
                         } else {
                           ++it;
                         }
                       }
                       live_column_.insert(moved.begin(), moved.end());
                     }
                   },
                   [&](const AlterColumn& o) {
                     auto it = live_column_.find({o.table, o.name});
                     if (!o.new_name || it == live_column_.end()) return;
                     std::string live = it->second;
                     live_column_.erase(it);
                     live_column_[{o.table, *o.new_name}] = live;
                   },
                   [&](const DropColumn& o) { live_column_.erase({o.table, o.name}); },
                   [&](const DropTable& o) { live_table_.erase(o.name); },
                   [](const auto&) {},
               },
               op);
  }

  Connection& conn_;
  const Dialect& d_;
  const Schema& db_;
  std::map<std::string, std::string> schema_of_;  // live name -> its schema ("" for the default)
  std::map<std::string, std::string> live_table_;                                 // name in the ops -> in the database
  std::map<std::pair<std::string, std::string>, std::string> live_column_;        // (table in the ops, column) -> column
  std::vector<DataWarning> out_;
};

}  // namespace

std::vector<DataWarning> check_data(Connection& conn, const Dialect& dialect, const Schema& database, const std::vector<Op>& ops) {
  return DataChecker(conn, dialect, database).run(ops);
}

std::string data_warnings_json(const std::vector<DataWarning>& warnings) {
  std::string out = "[";
  for (const auto& w : warnings) {
    out += (out.size() > 1 ? ", " : "") + std::string("{\"kind\": ") + json_string(w.kind) + ", \"table\": " + json_string(w.table) +
           ", \"columns\": " + json_string_array(w.columns) + ", \"rows\": " + std::to_string(w.rows) +
           ", \"message\": " + json_string(w.message) + "}";
  }
  return out + "]";
}

}  // namespace dbmig

// One Alembic revision module -> one dbmig revision: the header from the module variables and
// docstring, the ops from the statements of upgrade() and downgrade(). A statement that cannot
// be known without running Python becomes an `unconverted` op and a note.
#include <dbmig/importers/alembic.hpp>
#include <dbmig/model/types.hpp>
#include <dbmig/util/error.hpp>

#include <algorithm>
#include <cctype>
#include <set>

namespace dbmig {
namespace {

using nlohmann::json;
using Kind = PyValue::Kind;

[[noreturn]] void not_static(const std::string& what, long line) { throw NotStatic(what, line); }

std::string str(const PyValue* v, const std::string& what, long line) {
  if (!v || !v->is_string()) not_static(what + " that is not a literal string", v ? v->line : line);
  return v->text;
}
std::optional<std::string> opt_str(const PyValue* v, const std::string& what) {
  if (!v || v->is_none()) return std::nullopt;
  if (!v->is_string()) not_static(what + " that is not a literal string", v->line);
  return v->text;
}
bool truth(const PyValue* v, bool fallback) {
  if (!v) return fallback;
  if (v->kind == Kind::boolean) return v->flag;
  if (v->is_none()) return false;
  not_static("a flag that is not True or False", v->line);
}
std::vector<std::string> strings(const PyValue* v, const std::string& what, long line) {
  if (!v) not_static(what + " missing", line);
  if (v->is_string()) return {v->text};
  if (v->kind != Kind::list) not_static(what + " that is not a list of strings", v->line);
  std::vector<std::string> out;
  for (const auto& i : v->items) {
    if (i.sql_text) not_static("an expression in " + what, i.line);
    out.push_back(str(&i, what, line));
  }
  return out;
}

std::string sql_literal(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

// A server_default as SQL: sa.text() verbatim, a plain string as a string literal.
std::optional<std::string> server_default(const PyValue* v) {
  if (!v || v->is_none()) return std::nullopt;
  if (v->is_string()) return v->sql_text ? v->text : sql_literal(v->text);
  if (v->kind == Kind::call) {
    std::string n = v->last_name();
    if ((n == "now" || n == "current_timestamp") && v->items.empty()) return std::string("CURRENT_TIMESTAMP");
    if (n == "true" && v->items.empty()) return std::string("true");
    if (n == "false" && v->items.empty()) return std::string("false");
  }
  not_static("a server_default that is not a string or sa.text()", v->line);
}

// SQL from op.execute(): a string (quoted any way) or sa.text(); SQLAlchemy's text() reads
// "\:" as a literal colon.
std::string execute_sql(const PyValue* v, long line) {
  if (!v || !v->is_string()) not_static("op.execute() of something other than literal SQL", v ? v->line : line);
  std::string out;
  for (size_t i = 0; i < v->text.size(); ++i) {
    if (v->text[i] == '\\' && i + 1 < v->text.size() && v->text[i + 1] == ':') continue;
    out += v->text[i];
  }
  return out;
}

bool ignorable_dialect_keyword(const std::string& k) {
  for (const char* prefix : {"mysql_", "mariadb_", "mssql_", "oracle_", "info", "listeners", "keep_existing", "extend_existing"})
    if (k.rfind(prefix, 0) == 0) return true;
  return false;
}

std::string table_name_of(const std::string& ref, std::string* column) {
  // "table.column" or "schema.table.column"
  auto dot = ref.rfind('.');
  if (dot == std::string::npos) not_static("a foreign key reference '" + ref + "' without a column", 0);
  if (column) *column = ref.substr(dot + 1);
  std::string t = ref.substr(0, dot);
  auto sdot = t.rfind('.');
  return sdot == std::string::npos ? t : t.substr(sdot + 1);
}

// The name PostgreSQL gives an unnamed check constraint: table_column_check when the
// expression reads one column, table_check otherwise (numbered when taken).
std::string postgres_check_name(const Table& t, const std::string& sql) {
  std::set<std::string> used;
  for (const auto& c : t.columns) {
    for (size_t pos = sql.find(c.name); pos != std::string::npos; pos = sql.find(c.name, pos + 1)) {
      auto word = [](char ch) { return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_'; };
      bool start = pos == 0 || !word(sql[pos - 1]);
      bool end = pos + c.name.size() >= sql.size() || !word(sql[pos + c.name.size()]);
      if (start && end) used.insert(c.name);
    }
  }
  std::string base = t.name + (used.size() == 1 ? "_" + *used.begin() : "") + "_check";
  std::string name = base;
  for (int n = 1; std::any_of(t.checks.begin(), t.checks.end(), [&](const CheckConstraint& c) { return c.name == name; }); ++n)
    name = base + std::to_string(n);
  return name;
}

class ModuleConverter {
 public:
  ModuleConverter(const PythonModule& m, std::string display, const AlembicNaming& naming)
      : module_(m), file_(std::move(display)), naming_(naming) {}

  ImportedRevision convert() {
    read_header();
    for (const auto& stmt : module_.body) {
      const std::string& kind = stmt.at("_").get_ref<const std::string&>();
      if (kind == "FunctionDef" && (stmt.at("name") == "upgrade" || stmt.at("name") == "downgrade")) {
        if (!stmt.at("decorator_list").empty()) not_static_note(stmt, "a decorated upgrade/downgrade");
        auto& ops = stmt.at("name") == "upgrade" ? out_.upgrade : out_.downgrade;
        PyScope scope = module_scope_;
        statements(stmt.at("body"), ops, scope, nullptr);
      }
    }
    if (out_.revision.id.empty()) throw Error(file_ + ": no `revision = '...'` variable; not an Alembic revision module");
    return std::move(out_);
  }

 private:
  // Module level: the identifiers, and simple assignments the functions may use.
  void read_header() {
    if (module_.doc) {
      const std::string& doc = *module_.doc;
      std::string first = doc.substr(0, doc.find('\n'));
      out_.revision.message = trim(first);
      auto cd = doc.find("Create Date:");
      if (cd != std::string::npos) {
        auto end = doc.find('\n', cd);
        out_.revision.create_date = trim(doc.substr(cd + 12, end == std::string::npos ? std::string::npos : end - cd - 12));
      }
    }
    for (const auto& stmt : module_.body) {
      const std::string& kind = stmt.at("_").get_ref<const std::string&>();
      const json* target = nullptr;
      const json* value = nullptr;
      if (kind == "Assign" && stmt.at("targets").size() == 1) target = &stmt["targets"][0], value = &stmt["value"];
      if (kind == "AnnAssign" && !stmt.at("value").is_null()) target = &stmt["target"], value = &stmt["value"];
      if (!target || target->at("_") != "Name") continue;
      std::string name = target->at("id").get<std::string>();
      PyValue v;
      try {
        v = eval_python(*value, module_scope_);
      } catch (const NotStatic& e) {
        if (name == "revision" || name == "down_revision" || name == "branch_labels" || name == "depends_on")
          throw Error(file_ + ":" + std::to_string(stmt.value("line", 0L)) + ": " + name + " is " + e.what() +
                      "; the revision identifiers must be literals");
        continue;
      }
      if (name == "revision") out_.revision.id = ids(v, name, stmt, false).at(0);
      else if (name == "down_revision") out_.revision.down_revisions = ids(v, name, stmt, true);
      else if (name == "branch_labels") out_.revision.branch_labels = ids(v, name, stmt, true);
      else if (name == "depends_on") out_.revision.depends_on = ids(v, name, stmt, true);
      else module_scope_[name] = v;
    }
  }

  std::vector<std::string> ids(const PyValue& v, const std::string& name, const json& stmt, bool allow_none) {
    auto fail = [&] {
      throw Error(file_ + ":" + std::to_string(stmt.value("line", 0L)) + ": " + name + " must be " +
                  (allow_none ? "None, a string or a tuple of strings" : "a string"));
    };
    if (v.is_none() && allow_none) return {};
    if (v.is_string()) return {v.text};
    if (v.kind != Kind::list || !allow_none) fail();
    std::vector<std::string> out;
    for (const auto& i : v.items) {
      if (!i.is_string()) fail();
      out.push_back(i.text);
    }
    return out;
  }

  static std::string trim(const std::string& s) {
    auto b = s.find_first_not_of(" \t\r\n"), e = s.find_last_not_of(" \t\r\n");
    return b == std::string::npos ? "" : s.substr(b, e - b + 1);
  }

  std::string source_of(const json& node) const {
    long line = node.value("line", 0L), end_line = node.value("end_line", line);
    long col = node.value("col", 0L), end_col = node.value("end_col", 0L);
    const std::string& src = module_.source;
    auto line_start = [&](long n) {
      size_t pos = 0;
      for (long i = 1; i < n && pos != std::string::npos; ++i) pos = src.find('\n', pos) == std::string::npos ? std::string::npos : src.find('\n', pos) + 1;
      return pos;
    };
    size_t a = line_start(line), b = line_start(end_line);
    if (a == std::string::npos || b == std::string::npos) return "";
    return src.substr(a + static_cast<size_t>(col), b + static_cast<size_t>(end_col) - a - static_cast<size_t>(col));
  }

  void not_static_note(const json& stmt, const std::string& what, std::vector<Op>* ops = nullptr) {
    long line = stmt.value("line", 0L);
    if (ops) ops->push_back(Unconverted{file_, line, source_of(stmt)});
    out_.notes.push_back({file_, line, what});
  }

  static std::string statement_kind(const std::string& kind) {
    static const std::map<std::string, std::string> names = {
        {"If", "an if statement"}, {"For", "a for loop"}, {"While", "a while loop"}, {"Try", "a try block"},
        {"FunctionDef", "a function definition"}, {"ClassDef", "a class definition"}, {"Import", "an import"},
        {"ImportFrom", "an import"}, {"Return", "a return"}, {"AugAssign", "an assignment"}, {"Global", "a global statement"},
        {"Raise", "a raise"}, {"Assert", "an assert"}, {"Delete", "a del statement"}, {"With", "a with block"}};
    auto it = names.find(kind);
    return it == names.end() ? "a Python statement (" + kind + ")" : it->second;
  }

  // Statements of a function body or a batch block (`batch_table` set).
  void statements(const json& body, std::vector<Op>& ops, PyScope& scope, const std::string* batch_table,
                  const std::string& batch_alias = "") {
    for (const auto& stmt : body) {
      const std::string& kind = stmt.at("_").get_ref<const std::string&>();
      if (kind == "Pass") continue;
      if (kind == "Expr" && stmt.at("value").at("_") == "Constant") continue;  // a docstring or a bare literal
      try {
        if (kind == "Expr" && stmt.at("value").at("_") == "Call") {
          call(eval_python(stmt.at("value"), scope), ops, batch_table, batch_alias);
          continue;
        }
        if (kind == "With" && !batch_table) {
          batch_block(stmt, ops, scope);
          continue;
        }
        if ((kind == "Assign" && stmt.at("targets").size() == 1 && stmt.at("targets")[0].at("_") == "Name") ||
            (kind == "AnnAssign" && stmt.at("target").at("_") == "Name" && !stmt.at("value").is_null())) {
          const json& target = kind == "Assign" ? stmt.at("targets")[0] : stmt.at("target");
          PyValue v = eval_python(stmt.at("value"), scope);
          std::string called = v.kind == Kind::call ? v.last_name() : "";
          if (v.kind == Kind::call && called != "table" && called != "Table" && called != "column" && called != "MetaData")
            not_static("the result of " + v.text + "() kept in a variable", v.line);
          scope[target.at("id").get<std::string>()] = v;
          continue;
        }
        not_static_note(stmt, statement_kind(kind), &ops);
      } catch (const NotStatic& e) {
        not_static_note(stmt, e.what(), &ops);
      }
    }
  }

  void batch_block(const json& stmt, std::vector<Op>& ops, PyScope& scope) {
    if (stmt.at("items").size() != 1) not_static("a with block of several items", stmt.value("line", 0L));
    const json& item = stmt["items"][0];
    PyValue ctx = eval_python(item.at("context_expr"), scope);
    if (ctx.kind != Kind::call || ctx.last_name() != "batch_alter_table")
      not_static("a with block that is not op.batch_alter_table()", stmt.value("line", 0L));
    std::string table = str(ctx.arg(0, "table_name"), "batch_alter_table's table", ctx.line);
    for (const auto& [k, v] : ctx.keywords) {
      if (k == "table_name" || k == "schema" || k == "recreate" || k == "partial_reordering") continue;
      if (k == "naming_convention") continue;
      not_static("batch_alter_table(" + k + "=...)", ctx.line);
    }
    std::string alias = item.at("optional_vars").is_null() ? "" : dotted_name(item.at("optional_vars"));
    const size_t first = ops.size();
    statements(stmt.at("body"), ops, scope, &table, alias);
    set_schema(ctx.keyword("schema"), ops, first);
  }

  // schema="billing": the ops from `first` on act on a table of that schema.
  static void set_schema(const PyValue* schema, std::vector<Op>& ops, size_t first) {
    if (!schema || !schema->is_string()) return;
    for (size_t i = first; i < ops.size(); ++i)
      if (op_schema(ops[i]).empty()) set_op_schema(ops[i], schema->text);
  }

  // A Column(...) of create_table, add_column; constraints it implies go into `t`.
  Column column(const PyValue& c, Table* t) {
    if (c.kind != Kind::call || c.last_name() != "Column") not_static("a column that is not sa.Column(...)", c.line);
    Column col;
    col.name = str(c.arg(0, "name"), "a column name", c.line);
    const PyValue* type = c.items.size() > 1 && c.items[1].kind != Kind::call ? &c.items[1] : nullptr;
    size_t first_extra = 1;
    if (c.items.size() > 1 && (c.items[1].kind == Kind::name ||
                               (c.items[1].kind == Kind::call && c.items[1].last_name() != "ForeignKey" &&
                                c.items[1].last_name() != "Sequence" && c.items[1].last_name() != "Identity" &&
                                c.items[1].last_name() != "Computed"))) {
      type = &c.items[1];
      first_extra = 2;
    }
    if (!type) type = c.keyword("type_");
    if (!type) not_static("a column without a type", c.line);
    col.type = alembic_type(*type);
    bool pk = truth(c.keyword("primary_key"), false);
    col.nullable = truth(c.keyword("nullable"), !pk);
    col.server_default = server_default(c.keyword("server_default"));
    if (const PyValue* cm = c.keyword("comment")) col.comment = opt_str(cm, "a comment");
    if (const PyValue* ai = c.keyword("autoincrement"); ai && ai->kind == Kind::boolean) autoincrement_[col.name] = ai->flag;
    for (const auto& [k, v] : c.keywords) {
      static const std::set<std::string> known = {"name", "type_", "primary_key", "nullable", "server_default", "comment",
                                                  "autoincrement", "unique", "index", "default", "onupdate",
                                                  "server_onupdate", "doc", "key", "info", "quote", "system"};
      if (!known.count(k) && !ignorable_dialect_keyword(k)) not_static("Column(" + k + "=...)", c.line);
    }
    for (size_t i = first_extra; i < c.items.size(); ++i) {
      const PyValue& extra = c.items[i];
      std::string n = extra.kind == Kind::call ? extra.last_name() : "";
      if (n == "ForeignKey") {
        if (!t) not_static("a ForeignKey on a column added outside create_table", extra.line);
        ForeignKey fk;
        std::string ref_col;
        fk.ref_table = table_name_of(str(extra.arg(0, "column"), "a ForeignKey target", extra.line), &ref_col);
        fk.columns = {col.name};
        fk.ref_columns = {ref_col};
        fk_actions(extra, fk);
        const PyValue* name = extra.keyword("name");
        fk.name = naming_.name("fk", t->name, fk.columns, fk.ref_table, opt_str(name, "a constraint name"), name && name->f_name);
        t->foreign_keys.push_back(fk);
      } else {
        not_static("a column argument " + (n.empty() ? extra.text : n + "()") + " (Sequence, Identity and Computed have no op yet)", extra.line);
      }
    }
    if (t) {
      if (pk) t->primary_key.push_back(col.name);
      if (truth(c.keyword("unique"), false))
        t->uniques.push_back({naming_.name("uq", t->name, {col.name}, "", std::nullopt, false), {col.name}});
      if (truth(c.keyword("index"), false))
        t->indexes.push_back({naming_.name("ix", t->name, {col.name}, "", std::nullopt, false), {col.name}});
    } else if (pk || truth(c.keyword("unique"), false) || truth(c.keyword("index"), false)) {
      not_static("primary_key, unique or index on an added column", c.line);
    }
    return col;
  }

  void fk_actions(const PyValue& call, ForeignKey& fk) {
    auto action = [&](const char* key) -> std::string {
      auto a = opt_str(call.keyword(key), key);
      if (!a) return "";
      std::string up;
      for (char ch : *a) up += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      return up == "NO ACTION" ? "" : up;
    };
    fk.on_delete = action("ondelete");
    fk.on_update = action("onupdate");
    for (const char* k : {"deferrable", "initially", "match", "use_alter"})
      if (call.keyword(k) && !call.keyword(k)->is_none() && !(call.keyword(k)->kind == Kind::boolean && !call.keyword(k)->flag))
        not_static(std::string("a foreign key with ") + k + "=", call.line);
  }

  std::string name_of(const std::string& kind, const std::string& table, const std::vector<std::string>& cols,
                      const std::string& ref, const PyValue* name) {
    return naming_.name(kind, table, cols, ref, opt_str(name, "a constraint name"), name && name->f_name);
  }

  CreateTable create_table(const PyValue& c) {
    Table t;
    t.name = str(c.arg(0, "table_name"), "a table name", c.line);
    autoincrement_.clear();
    for (size_t i = 1; i < c.items.size(); ++i) {
      const PyValue& part = c.items[i];
      std::string n = part.kind == Kind::call ? part.last_name() : "";
      if (n == "Column") {
        t.columns.push_back(column(part, &t));
      } else if (n == "PrimaryKeyConstraint") {
        t.primary_key.clear();
        for (const auto& col : part.items) t.primary_key.push_back(str(&col, "a primary key column", part.line));
        t.primary_key_name = name_of("pk", t.name, t.primary_key, "", part.keyword("name"));
      } else if (n == "UniqueConstraint") {
        UniqueConstraint u;
        for (const auto& col : part.items) u.columns.push_back(str(&col, "a unique column", part.line));
        u.name = name_of("uq", t.name, u.columns, "", part.keyword("name"));
        t.uniques.push_back(u);
      } else if (n == "ForeignKeyConstraint") {
        ForeignKey fk;
        fk.columns = strings(part.arg(0, "columns"), "foreign key columns", part.line);
        for (const auto& ref : strings(part.arg(1, "refcolumns"), "foreign key references", part.line)) {
          std::string col;
          fk.ref_table = table_name_of(ref, &col);
          fk.ref_columns.push_back(col);
        }
        fk_actions(part, fk);
        fk.name = name_of("fk", t.name, fk.columns, fk.ref_table, part.keyword("name"));
        t.foreign_keys.push_back(fk);
      } else if (n == "CheckConstraint") {
        const PyValue* sql = part.arg(0, "sqltext");
        if (!sql || !sql->is_string()) not_static("a CheckConstraint over a Python expression", part.line);
        CheckConstraint ck{name_of("ck", t.name, {}, "", part.keyword("name")), sql->text};
        if (ck.name.empty()) ck.name = postgres_check_name(t, ck.sql);
        t.checks.push_back(ck);
      } else if (n == "Index") {
        Index ix = index_of(part, t.name, 1, true);
        t.indexes.push_back(ix);
      } else {
        not_static("a create_table argument " + (n.empty() ? part.text : n + "()"), part.line);
      }
    }
    if (t.columns.empty()) not_static("a create_table without columns", c.line);
    for (const auto& [k, v] : c.keywords) {
      if (k == "schema") t.schema = opt_str(&v, "schema").value_or("");
      else if (k == "comment") t.comment = opt_str(&v, "comment");
      else if (!ignorable_dialect_keyword(k)) not_static("create_table(" + k + "=...)", c.line);
    }
    if (!t.primary_key.empty()) {
      if (t.primary_key_name.empty()) t.primary_key_name = naming_.name("pk", t.name, t.primary_key, "", std::nullopt, false);
      for (const auto& pkc : t.primary_key)
        if (Column* col = t.column(pkc)) col->nullable = false;
    }
    // SQLAlchemy numbers a single integer primary key (SERIAL) unless autoincrement=False.
    if (t.primary_key.size() == 1) {
      Column* col = t.column(t.primary_key[0]);
      auto ai = autoincrement_.find(t.primary_key[0]);
      if (col && (col->type == "integer" || col->type == "biginteger" || col->type == "smallinteger") &&
          (ai == autoincrement_.end() || ai->second))
        col->autoincrement = true;
    }
    return CreateTable{t};
  }

  // sa.Index(name, *cols) (varargs) or create_index(name, [table,] [cols]) with the list at `first_column`.
  Index index_of(const PyValue& c, const std::string& table, size_t first_column, bool varargs = false) {
    Index ix;
    const PyValue* name = c.arg(0, "index_name");
    std::vector<std::string> cols;
    if (varargs) {
      for (size_t i = 1; i < c.items.size(); ++i) cols.push_back(str(&c.items[i], "an index column", c.line));
    } else {
      const PyValue* list = c.arg(first_column, "columns");
      if (list && list->kind == Kind::list)
        for (const auto& i : list->items)
          if (i.sql_text || !i.is_string()) not_static("an index over an expression", c.line);
      cols = strings(list, "index columns", c.line);
    }
    ix.columns = cols;
    ix.name = name_of("ix", table, cols, "", name);
    if (ix.name.empty()) not_static("an index without a name", c.line);
    ix.unique = truth(c.keyword("unique"), false);
    for (const auto& [k, v] : c.keywords) {
      if (k == "postgresql_where" || k == "sqlite_where") {
        if (!v.is_string()) not_static(k + " over a Python expression", v.line);
        if (!ix.where.empty() && ix.where != v.text) not_static("an index with different postgresql_where and sqlite_where", c.line);
        ix.where = v.text;
      } else if (k == "postgresql_using" && v.is_string() && v.text == "btree") {
      } else if (k != "unique" && k != "table_name" && k != "columns" && k != "index_name" && k != "schema" &&
                 k != "if_not_exists" && !ignorable_dialect_keyword(k)) {
        not_static("create_index(" + k + "=...)", c.line);
      }
    }
    return ix;
  }

  static ConstraintType constraint_type(const std::optional<std::string>& t, long line) {
    if (!t) return ConstraintType::unique;
    if (*t == "unique") return ConstraintType::unique;
    if (*t == "foreignkey") return ConstraintType::foreignkey;
    if (*t == "check") return ConstraintType::check;
    if (*t == "primary") return ConstraintType::primary;
    not_static("drop_constraint(type_='" + *t + "')", line);
  }

  // One op.X(...) / batch_op.X(...) call.
  void call(const PyValue& c, std::vector<Op>& ops, const std::string* batch, const std::string& alias) {
    const size_t first = ops.size();
    op_call(c, ops, batch, alias);
    set_schema(c.keyword(c.last_name() == "create_foreign_key" ? "source_schema" : "schema"), ops, first);
  }

  void op_call(const PyValue& c, std::vector<Op>& ops, const std::string* batch, const std::string& alias) {
    std::string target = c.text.substr(0, c.text.rfind('.') == std::string::npos ? 0 : c.text.rfind('.'));
    bool on_op = target == "op" || (batch && !alias.empty() && target == alias);
    if (!on_op) not_static("a call of " + c.text + "()", c.line);
    if (batch && target == "op") batch = nullptr;  // op.X inside a batch block acts on its own table
    const std::string n = c.last_name();
    size_t a = batch ? 0 : 1;  // batch ops take no table argument
    auto table = [&](const char* key = "table_name") { return batch ? *batch : str(c.arg(0, key), "a table name", c.line); };
    auto arg = [&](size_t i, const char* key) { return c.arg(i, key); };
    if (n == "create_table") {
      ops.push_back(create_table(c));
    } else if (n == "drop_table") {
      ops.push_back(DropTable{str(c.arg(0, "table_name"), "a table name", c.line), std::nullopt});
    } else if (n == "rename_table") {
      ops.push_back(RenameTable{str(c.arg(0, "old_table_name"), "a table name", c.line),
                                str(c.arg(1, "new_table_name"), "a table name", c.line)});
    } else if (n == "add_column") {
      const PyValue* col = arg(a, "column");
      if (!col) not_static("add_column without a column", c.line);
      autoincrement_.clear();
      ops.push_back(AddColumn{table(), column(*col, nullptr)});
    } else if (n == "drop_column") {
      ops.push_back(DropColumn{table(), str(arg(a, "column_name"), "a column name", c.line), std::nullopt});
    } else if (n == "alter_column") {
      ops.push_back(alter_column(c, table(), a));
    } else if (n == "create_index") {
      const std::string t = batch ? *batch : str(c.arg(1, "table_name"), "a table name", c.line);
      ops.push_back(CreateIndex{t, index_of(c, t, batch ? 1 : 2)});
    } else if (n == "drop_index") {
      std::string name = str(c.arg(0, "index_name"), "an index name", c.line);
      std::string t = batch ? *batch : opt_str(c.arg(1, "table_name"), "a table name").value_or("");
      ops.push_back(DropIndex{t, name, std::nullopt});
    } else if (n == "create_unique_constraint") {
      std::string t = table("table_name");
      auto cols = strings(c.arg(a + 1, "columns"), "unique columns", c.line);
      if (!batch) t = str(c.arg(1, "table_name"), "a table name", c.line);
      ops.push_back(CreateUniqueConstraint{t, UniqueConstraint{name_of("uq", t, cols, "", c.arg(0, "constraint_name")), cols}});
    } else if (n == "create_primary_key") {
      std::string t = batch ? *batch : str(c.arg(1, "table_name"), "a table name", c.line);
      auto cols = strings(c.arg(a + 1, "columns"), "primary key columns", c.line);
      ops.push_back(CreatePrimaryKey{t, name_of("pk", t, cols, "", c.arg(0, "constraint_name")), cols});
    } else if (n == "create_check_constraint") {
      std::string t = batch ? *batch : str(c.arg(1, "table_name"), "a table name", c.line);
      const PyValue* sql = c.arg(a + 1, "condition");
      if (!sql || !sql->is_string()) not_static("a check constraint over a Python expression", c.line);
      std::string name = name_of("ck", t, {}, "", c.arg(0, "constraint_name"));
      ops.push_back(CreateCheckConstraint{t, CheckConstraint{name, sql->text}});
    } else if (n == "create_foreign_key") {
      std::string t = batch ? *batch : str(c.arg(1, "source_table"), "a table name", c.line);
      ForeignKey fk;
      fk.ref_table = str(c.arg(a + 1, "referent_table"), "a referenced table", c.line);
      fk.columns = strings(c.arg(a + 2, "local_cols"), "foreign key columns", c.line);
      fk.ref_columns = strings(c.arg(a + 3, "remote_cols"), "referenced columns", c.line);
      fk_actions(c, fk);
      if (const PyValue* s = c.keyword("referent_schema"); s && s->is_string()) fk.ref_schema = s->text;
      fk.name = name_of("fk", t, fk.columns, fk.ref_table, c.arg(0, "constraint_name"));
      ops.push_back(CreateForeignKey{t, fk});
    } else if (n == "drop_constraint") {
      const PyValue* name = c.arg(0, "constraint_name");
      if (!name || name->is_none()) not_static("drop_constraint(None, ...) (Alembic cannot drop an unnamed constraint either)", c.line);
      std::string t = batch ? *batch : str(c.arg(1, "table_name"), "a table name", c.line);
      DropConstraint d;
      d.table = t;
      d.name = str(name, "a constraint name", c.line);
      d.type = constraint_type(opt_str(c.keyword("type_"), "type_"), c.line);
      ops.push_back(d);
    } else if (n == "execute") {
      ops.push_back(Execute{execute_sql(c.arg(0, "sqltext"), c.line), {}});
    } else if (n == "bulk_insert") {
      bulk_insert(c, ops);
    } else {
      not_static("op." + n + "()", c.line);
    }
  }

  AlterColumn alter_column(const PyValue& c, const std::string& table, size_t a) {
    AlterColumn op;
    op.table = table;
    op.name = str(c.arg(a, "column_name"), "a column name", c.line);
    // Alembic's "not given" is False for server_default and comment, absent for the rest.
    auto given = [&](const char* k) { const PyValue* v = c.keyword(k); return v && !(v->kind == Kind::boolean && !v->flag) ? v : nullptr; };
    for (const auto& [k, v] : c.keywords) {
      static const std::set<std::string> known = {"nullable", "comment", "server_default", "new_column_name", "type_",
                                                  "existing_type", "existing_server_default", "existing_nullable",
                                                  "existing_comment", "schema", "autoincrement", "existing_autoincrement",
                                                  "table_name", "column_name"};
      if (!known.count(k) && !ignorable_dialect_keyword(k)) not_static("alter_column(" + k + "=...)", c.line);
    }
    if (const PyValue* v = c.keyword("nullable"); v && !v->is_none()) op.nullable = truth(v, true);
    if (const PyValue* v = given("server_default")) op.server_default = server_default(v);
    if (const PyValue* v = given("comment")) op.comment = opt_str(v, "a comment");
    if (const PyValue* v = c.keyword("new_column_name"); v && !v->is_none()) op.new_name = str(v, "new_column_name", c.line);
    if (const PyValue* v = c.keyword("type_"); v && !v->is_none()) op.type = alembic_type(*v);
    if (const PyValue* v = c.keyword("existing_type"); v && !v->is_none()) {
      try {
        op.existing_type = alembic_type(*v);
      } catch (const NotStatic&) {  // only needed to reverse the op, which the import never does
      }
    }
    if (const PyValue* v = c.keyword("existing_nullable"); v && !v->is_none()) op.existing_nullable = truth(v, true);
    if (const PyValue* v = given("existing_server_default")) op.existing_server_default = server_default(v);
    if (const PyValue* v = given("existing_comment")) op.existing_comment = opt_str(v, "a comment");
    return op;
  }

  // op.bulk_insert(table, [{...}, ...]) -> INSERT statements with the literal rows.
  void bulk_insert(const PyValue& c, std::vector<Op>& ops) {
    const PyValue* t = c.arg(0, "table");
    if (!t || t->kind != Kind::call || (t->last_name() != "table" && t->last_name() != "Table"))
      not_static("bulk_insert into a table that is not sa.table(...) in this module", c.line);
    std::string table = str(t->arg(0, "name"), "a table name", c.line);
    if (const PyValue* s = t->keyword("schema"); s && s->is_string()) table = "\"" + s->text + "\".\"" + table + "\"";
    else table = quote_ident(table);
    const PyValue* rows = c.arg(1, "rows");
    if (!rows || rows->kind != Kind::list) not_static("bulk_insert rows that are not a literal list", c.line);
    std::vector<std::string> keys;
    std::string values;
    auto flush = [&] {
      if (values.empty()) return;
      std::string cols;
      for (const auto& k : keys) cols += (cols.empty() ? "" : ", ") + quote_ident(k);
      ops.push_back(Execute{"INSERT INTO " + table + " (" + cols + ") VALUES " + values, {}});
      values.clear();
    };
    for (const auto& row : rows->items) {
      if (row.kind != Kind::dict) not_static("a bulk_insert row that is not a literal dict", row.line);
      std::vector<std::string> row_keys;
      std::string tuple;
      for (const auto& [k, v] : row.keywords) {
        row_keys.push_back(k);
        tuple += (tuple.empty() ? "" : ", ") + literal(v);
      }
      if (row_keys != keys) flush(), keys = row_keys;
      values += (values.empty() ? "" : ", ") + ("(" + tuple + ")");
    }
    flush();
  }

  static std::string quote_ident(const std::string& s) {
    std::string out = "\"";
    for (char ch : s) out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
    return out + "\"";
  }

  static std::string literal(const PyValue& v) {
    switch (v.kind) {
      case Kind::none: return "NULL";
      case Kind::boolean: return v.flag ? "TRUE" : "FALSE";
      case Kind::integer:
      case Kind::floating: return v.text;
      case Kind::string: return v.sql_text ? v.text : sql_literal(v.text);
      default: not_static("a bulk_insert value that is not a literal (" + v.text + ")", v.line);
    }
  }

  const PythonModule& module_;
  std::string file_;
  const AlembicNaming& naming_;
  PyScope module_scope_;
  ImportedRevision out_;
  std::map<std::string, bool> autoincrement_;  // column -> autoincrement= given, within one table
};

}  // namespace

ImportedRevision convert_alembic_module(const PythonModule& module, const std::string& display, const AlembicNaming& naming) {
  ModuleConverter c(module, display, naming);
  ImportedRevision r = c.convert();
  r.revision.path = module.file;
  return r;
}

}  // namespace dbmig

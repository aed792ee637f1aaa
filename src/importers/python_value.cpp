#include <dbmig/importers/python_value.hpp>

namespace dbmig {

using nlohmann::json;

const PyValue* PyValue::keyword(const std::string& name) const {
  for (const auto& [k, v] : keywords)
    if (k == name) return &v;
  return nullptr;
}

const PyValue* PyValue::arg(size_t i, const std::string& name) const {
  if (i < items.size()) return &items[i];
  return keyword(name);
}

std::string PyValue::last_name() const {
  auto dot = text.rfind('.');
  return dot == std::string::npos ? text : text.substr(dot + 1);
}

std::string dotted_name(const json& node) {
  const std::string& kind = node.at("_").get_ref<const std::string&>();
  if (kind == "Name") return node.at("id").get<std::string>();
  if (kind == "Attribute") {
    std::string base = dotted_name(node.at("value"));
    return base.empty() ? "" : base + "." + node.at("attr").get<std::string>();
  }
  return "";
}

namespace {

const char* describe_node(const std::string& kind) {
  if (kind == "JoinedStr") return "an f-string";
  if (kind == "BinOp") return "an operator expression";
  if (kind == "BoolOp" || kind == "Compare" || kind == "IfExp") return "a condition";
  if (kind == "ListComp" || kind == "GeneratorExp" || kind == "DictComp" || kind == "SetComp") return "a comprehension";
  if (kind == "Lambda") return "a lambda";
  if (kind == "Subscript") return "a subscript";
  if (kind == "Starred") return "a starred argument";
  return "an expression that needs Python to evaluate";
}

}  // namespace

PyValue eval_python(const json& node, const PyScope& scope) {
  const std::string& kind = node.at("_").get_ref<const std::string&>();
  long line = node.value("line", 0L);
  PyValue v;
  v.line = line;
  if (kind == "Constant") {
    const std::string& k = node.at("kind").get_ref<const std::string&>();
    const json& value = node.at("value");
    if (k == "none") v.kind = PyValue::Kind::none;
    else if (k == "bool") v.kind = PyValue::Kind::boolean, v.flag = value.get<bool>();
    else if (k == "int") v.kind = PyValue::Kind::integer, v.text = std::to_string(value.get<long long>());
    else if (k == "float") v.kind = PyValue::Kind::floating, v.text = value.dump();
    else if (k == "str") v.kind = PyValue::Kind::string, v.text = value.get<std::string>();
    else throw NotStatic("the literal " + value.get<std::string>(), line);
    return v;
  }
  if (kind == "List" || kind == "Tuple") {
    v.kind = PyValue::Kind::list;
    for (const auto& e : node.at("elts")) v.items.push_back(eval_python(e, scope));
    return v;
  }
  if (kind == "Dict") {
    v.kind = PyValue::Kind::dict;
    const auto& keys = node.at("keys");
    const auto& values = node.at("values");
    for (size_t i = 0; i < keys.size(); ++i) {
      if (keys[i].is_null()) throw NotStatic("a ** entry in a dict", line);
      PyValue key = eval_python(keys[i], scope);
      if (!key.is_string()) throw NotStatic("a dict key that is not a string", line);
      v.keywords.push_back({key.text, eval_python(values[i], scope)});
    }
    return v;
  }
  if (kind == "UnaryOp" && node.at("op").at("_") == "USub") {
    PyValue inner = eval_python(node.at("operand"), scope);
    if (inner.kind != PyValue::Kind::integer && inner.kind != PyValue::Kind::floating)
      throw NotStatic("a negated expression", line);
    inner.text = "-" + inner.text;
    return inner;
  }
  if (kind == "BinOp" && node.at("op").at("_") == "Add") {  // "..." + "..." (long SQL split over lines)
    PyValue a = eval_python(node.at("left"), scope), b = eval_python(node.at("right"), scope);
    if (a.is_string() && b.is_string() && !a.f_name && !b.f_name) {
      a.text += b.text;
      a.sql_text = false;
      return a;
    }
    throw NotStatic("an operator expression", line);
  }
  if (kind == "Name" || kind == "Attribute") {
    std::string name = dotted_name(node);
    if (name.empty()) throw NotStatic("an attribute of an expression", line);
    if (auto it = scope.find(name); it != scope.end()) return it->second;
    v.kind = PyValue::Kind::name;
    v.text = name;
    return v;
  }
  if (kind == "Call") {
    std::string name = dotted_name(node.at("func"));
    if (name.empty()) throw NotStatic("a call of a computed function", line);
    v.kind = PyValue::Kind::call;
    v.text = name;
    for (const auto& a : node.at("args")) v.items.push_back(eval_python(a, scope));
    for (const auto& k : node.at("keywords")) {
      if (k.at("arg").is_null()) throw NotStatic("a **kwargs argument", line);
      v.keywords.push_back({k.at("arg").get<std::string>(), eval_python(k.at("value"), scope)});
    }
    // op.f('name') and sa.text('sql') become strings that remember what they were.
    std::string last = v.last_name();
    if ((last == "f" || last == "text" || last == "literal_column") && v.items.size() == 1 && v.items[0].is_string() &&
        v.keywords.empty()) {
      PyValue s = v.items[0];
      s.line = line;
      if (last == "f") s.f_name = true;
      else s.sql_text = true;
      return s;
    }
    return v;
  }
  throw NotStatic(describe_node(kind), line);
}

}  // namespace dbmig

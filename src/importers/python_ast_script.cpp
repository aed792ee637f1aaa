// The Python program dbmig runs to parse Alembic revision modules: Python's own parser (the
// `ast` module of the standard library), so every module is read exactly as Python reads it.
// It knows nothing of Alembic: it prints each module's syntax tree as JSON and dbmig converts.
#include <dbmig/importers/python_modules.hpp>

namespace dbmig {

const char* python_ast_script() {
  return R"PY(
import ast, json, sys

def node(n):
    if isinstance(n, ast.AST):
        out = {"_": type(n).__name__}
        for f, v in ast.iter_fields(n):
            if f not in ("ctx", "type_comment"):
                out[f] = node(v)
        if hasattr(n, "lineno"):
            out["line"] = n.lineno
            if isinstance(n, ast.stmt):  # statements carry their extent, for the source of unconverted code
                out["col"], out["end_line"], out["end_col"] = n.col_offset, n.end_lineno, n.end_col_offset
        if isinstance(n, ast.Constant):
            v = n.value
            out["kind"] = ("none" if v is None else "bool" if isinstance(v, bool) else "int" if isinstance(v, int)
                           else "float" if isinstance(v, float) else "str" if isinstance(v, str) else "other")
            if out["kind"] == "other" or (out["kind"] == "int" and abs(v) >= 2**53) or (out["kind"] == "float" and v != v):
                out["kind"], out["value"] = "other", repr(v)
        return out
    if isinstance(n, list):
        return [node(x) for x in n]
    if isinstance(n, (str, int, float, bool)) or n is None:
        return n
    return repr(n)

out = sys.stdout
out.write('{"modules": [')
first = True
for path in sys.argv[1:]:
    entry = {"file": path}
    try:
        with open(path, "rb") as f:
            source = f.read()
        tree = ast.parse(source, filename=path)
        entry["doc"] = ast.get_docstring(tree, clean=False)
        entry["body"] = node(tree.body)
    except SyntaxError as e:
        entry["error"] = {"line": e.lineno or 0, "message": e.msg or "invalid syntax"}
    except (OSError, ValueError, UnicodeDecodeError) as e:
        entry["error"] = {"line": 0, "message": str(e)}
    if not first:
        out.write(",\n")
    first = False
    json.dump(entry, out, separators=(",", ":"))
out.write("]}\n")
)PY";
}

}  // namespace dbmig

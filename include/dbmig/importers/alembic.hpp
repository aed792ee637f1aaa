#pragma once
// `dbmig import alembic DIR` (SPEC §7.4): Alembic / Flask-Migrate revision modules converted to
// dbmig revision files with the same ids, parents, labels, messages and create dates.
#include <dbmig/importers/python_modules.hpp>
#include <dbmig/importers/python_value.hpp>
#include <dbmig/revisions/revision.hpp>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace dbmig {

// SQLAlchemy's naming convention (keys ix, uq, ck, fk, pk) as the Alembic project's MetaData
// had it. Tokens: SQLAlchemy's (%(table_name)s, %(column_0_name)s, %(column_0_label)s,
// %(column_0N_name)s, %(column_0_N_name)s, %(referred_table_name)s, %(constraint_name)s) and
// dbmig's (%(table)s, %(columns)s, %(referred_table)s, %(name)s).
struct AlembicNaming {
  std::map<std::string, std::string> patterns;  // "ix" is always there: SQLAlchemy's default ix_%(column_0_label)s
  AlembicNaming();
  // The name SQLAlchemy gives a constraint of `kind` ("ix", "uq", "ck", "fk", "pk"): `given`
  // kept when it came from op.f() or the convention has no %(constraint_name)s; "" when
  // nothing names it (the database will).
  std::string name(const std::string& kind, const std::string& table, const std::vector<std::string>& columns,
                   const std::string& referred_table, const std::optional<std::string>& given, bool f_name) const;
};

// Reads a naming convention given as a YAML/JSON flow mapping, e.g. '{uq: "uq_%(table_name)s_%(column_0_name)s"}'.
AlembicNaming parse_naming_option(const std::string& text);

// Code that was not converted, for the closing summary.
struct UnconvertedNote {
  std::string file;
  long line = 0;
  std::string what;
};

struct ImportedRevision {
  Revision revision;  // id, parents, labels, depends_on, message, create_date
  std::vector<Op> upgrade, downgrade;
  std::vector<UnconvertedNote> notes;
};

// One module (its file named as `display` in notes and ops).
ImportedRevision convert_alembic_module(const PythonModule& module, const std::string& display, const AlembicNaming& naming);

// A SQLAlchemy type expression as a dbmig type; throws NotStatic for what has no dbmig spelling.
std::string alembic_type(const PyValue& type);

struct ImportResult {
  std::vector<std::filesystem::path> written;
  std::vector<UnconvertedNote> notes;
};

// Converts DIR/versions/*.py into `versions_out`; refuses to overwrite a file, and writes
// nothing when any module does not parse or a target file exists.
ImportResult import_alembic(const std::filesystem::path& alembic_dir, const std::filesystem::path& versions_out,
                            const AlembicNaming& naming);

// The text of a revision file (the layout of SPEC §4).
std::string revision_file_text(const ImportedRevision& r);

}  // namespace dbmig

// The man page and completions come from walking a CLI11 App: a verb nested under another (as
// `models dump` and `import alembic` will be), a hidden verb, choices and value kinds all show up
// without being listed anywhere.
#include <dbmig/cli/cli_model.hpp>
#include <dbmig/cli/completion_shells.hpp>
#include <dbmig/cli/help_formats.hpp>
#include <dbmig/util/error.hpp>

#include <CLI/CLI.hpp>
#include <gtest/gtest.h>

using namespace dbmig;

namespace {

struct Fixture {
  CLI::App app{"prog - a test program.\n\nIt has verbs.", "prog"};
  std::string config, format, target, out_file, secret;
  int verbose = 0;
  bool sql = false;
  std::vector<std::string> revs;

  Fixture() {
    app.footer("\nFILES\n  prog.yaml  the configuration\n\nEXAMPLES\n  prog up head\n");
    app.add_option("-c,--config", config, "configuration file");
    app.add_flag("-v,--verbose", verbose, "more output");
    app.add_option("--format", format, "output")->check(CLI::IsMember({"text", "json"}));
    auto* up = app.add_subcommand("up", "apply revisions");
    up->fallthrough();
    up->add_option("TARGET", target, "where to go");
    up->add_flag("--sql", sql, "print SQL");
    auto* models = app.add_subcommand("models", "work with the models");
    auto* dump = models->add_subcommand("dump", "write models.yaml from the database");
    dump->fallthrough();
    dump->add_option("-o,--output", out_file, "where to write")->type_name("FILE");
    auto* merge = app.add_subcommand("merge", "join heads");
    merge->add_option("REVISIONS", revs, "revisions")->required();
    auto* hidden = app.add_subcommand("secret", "not for users");
    hidden->group("");
    hidden->add_option("X", secret, "x");
  }
};

const CliCommand* find(const CliCommand& c, const std::string& name) {
  for (const auto& sub : c.commands)
    if (sub.name == name) return &sub;
  return nullptr;
}

}  // namespace

TEST(CliModel, WalksNestedVerbsAndSkipsHiddenOnes) {
  Fixture f;
  CliCommand cli = describe_cli(f.app);
  EXPECT_EQ(cli.name, "prog");
  ASSERT_NE(find(cli, "up"), nullptr);
  EXPECT_EQ(find(cli, "secret"), nullptr);
  const CliCommand* models = find(cli, "models");
  ASSERT_NE(models, nullptr);
  ASSERT_NE(find(*models, "dump"), nullptr);

  std::vector<std::string> paths;
  for (const auto& at : all_commands(cli)) {
    std::string p;
    for (const auto& w : at.path) p += (p.empty() ? "" : " ") + w;
    paths.push_back(p);
  }
  EXPECT_EQ(paths, (std::vector<std::string>{"", "up", "models", "models dump", "merge"}));
}

TEST(CliModel, ValueKindsFlagsAndInheritedOptions) {
  Fixture f;
  CliCommand cli = describe_cli(f.app);
  auto commands = all_commands(cli);
  auto option = [&](size_t at, const std::string& name) -> const CliOption* {
    for (const auto& o : commands[at].options)
      for (const auto& n : o.names)
        if (n == name) return &o;
    return nullptr;
  };
  ASSERT_NE(option(0, "--config"), nullptr);
  EXPECT_EQ(option(0, "--config")->value.kind, ValueKind::file);
  EXPECT_EQ(option(0, "--config")->value.name, "FILE");
  EXPECT_FALSE(option(0, "-v")->takes_value);
  EXPECT_TRUE(option(0, "-v")->repeatable);
  EXPECT_EQ(option(0, "--format")->value.kind, ValueKind::choices);
  EXPECT_EQ(option(0, "--format")->value.choices, (std::vector<std::string>{"text", "json"}));
  // "up" falls through to the program's options; "merge" does not.
  EXPECT_NE(option(1, "--config"), nullptr);
  EXPECT_FALSE(option(1, "--sql")->takes_value);
  EXPECT_EQ(option(4, "--config"), nullptr);
  EXPECT_EQ(commands[1].command->positionals.at(0).value.kind, ValueKind::revision);
  EXPECT_FALSE(commands[1].command->positionals.at(0).required);
  EXPECT_TRUE(commands[4].command->positionals.at(0).many);
  EXPECT_EQ(option(3, "--output")->value.kind, ValueKind::file);
}

TEST(ManPage, SectionsFromTheAppAndItsFooter) {
  Fixture f;
  std::string page = man_page(describe_cli(f.app), f.app.get_footer(), "1.2.3");
  for (const char* s : {".TH PROG 1", ".SH NAME\nprog \\- a test program.", ".SH SYNOPSIS", ".SH DESCRIPTION\n.PP\nIt has verbs.",
                        ".SH OPTIONS", ".SH COMMANDS", ".SS \"prog models dump [\\fIOPTIONS\\fR]\"",
                        "\\fB\\-o\\fR, \\fB\\-\\-output\\fR \\fIFILE\\fR", ".SS \"prog up [\\fIOPTIONS\\fR] [\\fITARGET\\fR]\"",
                        "\\fIREVISIONS\\fR...", ".SH FILES\n.TP\n\\fBprog.yaml\\fR\nthe configuration",
                        ".SH EXAMPLES\n.PP\n.nf\n.RS 4\nprog up head\n.RE\n.fi"})
    EXPECT_NE(page.find(s), std::string::npos) << s << "\n---\n" << page;
  EXPECT_EQ(page.find("secret"), std::string::npos);
}

TEST(Completion, EveryShellHasTheNestedVerbAndRejectsOthers) {
  Fixture f;
  CliCommand cli = describe_cli(f.app);
  EXPECT_NE(bash_completion(cli).find("\" models\") echo \"dump\""), std::string::npos);
  EXPECT_NE(bash_completion(cli).find("\" up|0\") echo \"revision\""), std::string::npos);
  EXPECT_NE(zsh_completion(cli).find("_prog__models__dump() {"), std::string::npos);
  EXPECT_NE(zsh_completion(cli).find("'--format=[output]:text|json:(text json)'"), std::string::npos);
  EXPECT_NE(fish_completion(cli).find("-n '__prog_at /models' -a 'dump'"), std::string::npos);
  for (const auto& script : {bash_completion(cli), zsh_completion(cli), fish_completion(cli)})
    EXPECT_EQ(script.find("secret"), std::string::npos);
  EXPECT_THROW(completion_script(cli, "tcsh"), UsageError);
}

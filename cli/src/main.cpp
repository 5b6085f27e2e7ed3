#include "commands.hpp"

#include <fmt/core.h>
#include <liner/credits/error.hpp>

int main(int argc, char** argv) {
  CLI::App app{"liner: carry music credits and splits from one attribution sheet into audio tags and "
               "DDEX deliveries"};
  app.name("liner");
  app.require_subcommand(1);
  app.set_version_flag("--version", "liner " LINER_VERSION);
  liner::cli::Context ctx;
  for (auto reg : liner::cli::kCommandFamilies)
    reg(app, ctx);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : liner::cli::kUsage;
  } catch (const liner::Error& e) {
    fmt::print(stderr, "liner: error: {}\n", e.what());
    return liner::cli::kUsage;
  }
  return ctx.exit_code;
}

#include "commands.hpp"

#include <fmt/core.h>
#include <liner/credits/error.hpp>
#include <malloc.h>

int main(int argc, char** argv) {
  // `liner tag` allocates and frees much the same per file on every thread. Keep freed memory for the next
  // file instead of giving it back and faulting it in again (mprotect and page faults, both under the
  // address-space lock the other threads' file mappings need).
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
  mallopt(M_TOP_PAD, 16 << 20);
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
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

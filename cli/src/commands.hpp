// liner CLI: every subcommand registers itself here. main() only builds the app and runs it.
#pragma once
#include <CLI/CLI.hpp>

namespace liner::cli {

// Exit codes shared by every command: 0 clean, 1 problems found in the input, 2 usage or I/O error.
enum Exit : int { kOk = 0, kProblems = 1, kUsage = 2 };

struct Context {
  int exit_code = kOk;
  void raise(int code) { exit_code = exit_code > code ? exit_code : code; }
};

using Register = void (*)(CLI::App& app, Context& ctx);

// One function per command family, each in its own cmd_<name>.cpp.
void register_sheet(CLI::App& app, Context& ctx); // cmd_sheet.cpp
#ifdef LINER_HAVE_TAGGING
void register_tagging(CLI::App& app, Context& ctx); // cmd_tag.cpp: tag, read, sheet from-files
#endif
#ifdef LINER_HAVE_DDEX
void register_ddex(CLI::App& app, Context& ctx); // cmd_ddex.cpp
#endif
void register_splits(CLI::App& app, Context& ctx); // cmd_splits.cpp (the engine is in liner::credits)
#ifdef LINER_HAVE_VERIFY
void register_verify(CLI::App& app, Context& ctx); // cmd_verify.cpp
#endif

// The table of command families, in --help order.
inline constexpr Register kCommandFamilies[] = {
    register_sheet,
#ifdef LINER_HAVE_TAGGING
    register_tagging,
#endif
#ifdef LINER_HAVE_DDEX
    register_ddex,
#endif
    register_splits,
#ifdef LINER_HAVE_VERIFY
    register_verify,
#endif
};

} // namespace liner::cli

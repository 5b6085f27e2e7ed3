// liner CLI: helpers shared by the commands.
#pragma once
#include <liner/credits/toml.hpp>
#include <string>

namespace liner::cli {

// Loads a sheet by extension: .csv (and .tsv) as the spreadsheet form, anything else as TOML.
// Throws liner::Error when the file cannot be read.
credits::LoadResult load_sheet(const std::string& path);

// Writes `content` to `path` atomically (temporary file in the same folder, fsync, rename).
// "-" writes to standard output. Throws liner::Error on failure.
void write_output(const std::string& path, const std::string& content);

} // namespace liner::cli

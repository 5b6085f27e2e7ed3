// liner ddex: a delivery folder: <out>/<ICPN>/<ICPN>.xml plus <out>/<ICPN>/resources/<file> for every
// audio master the message references (hard-linked when possible, else copied). Names and hashes in the
// message match the files placed.
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <liner/credits/error.hpp>
#include <liner/ddex/ddex.hpp>
#include <liner/validators/identifiers.hpp>

namespace liner::ddex {

namespace fs = std::filesystem;

PackageResult package(const credits::Sheet& sheet, BuildOptions options, const std::string& out_dir) {
  PackageResult out;
  options.technical_details = true;
  BuildResult b = build_ern43(sheet, options);
  out.diagnostics = std::move(b.diagnostics);
  for (std::size_t i = 0; i < sheet.tracks.size() && i < b.audio.size(); ++i)
    if (b.audio[i].path.empty())
      out.diagnostics.error(
          "ddex-package-missing-audio",
          fmt::format("track {} has no readable audio master to deliver", sheet.tracks[i].number),
          sheet.where.at(fmt::format("tracks[{}]", i)),
          "set file = \"...\" in the track and pass --audio DIR");
  if (!b.ok() || out.diagnostics.has_errors()) return out;

  auto icpn = validators::check_icpn(sheet.release.upc);
  std::string batch = icpn.ok ? icpn.normalized : sheet.release.upc;
  fs::path folder = fs::path(out_dir) / batch;
  fs::path resources = folder / options.uri_prefix;
  std::error_code ec;
  fs::create_directories(resources, ec);
  if (ec) throw Error(resources.string(), "cannot create folder: " + ec.message());
  for (const auto& a : b.audio) {
    fs::path dest = resources / fs::path(a.path).filename();
    fs::remove(dest, ec);
    fs::create_hard_link(a.path, dest, ec);
    if (ec) {
      ec.clear();
      fs::copy_file(a.path, dest, fs::copy_options::overwrite_existing, ec);
      if (ec) throw Error(dest.string(), "cannot copy audio master: " + ec.message());
    }
    if (fs::file_size(dest) != a.size) throw Error(dest.string(), "size differs from the hashed master");
    out.files.push_back(dest.string());
  }
  fs::path msg = folder / (batch + ".xml");
  fs::path tmp = msg;
  tmp += ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f) throw Error(tmp.string(), "cannot write");
    f << b.xml;
    f.flush();
    if (!f) throw Error(tmp.string(), "cannot write");
  }
  fs::rename(tmp, msg, ec);
  if (ec) throw Error(msg.string(), "cannot write: " + ec.message());
  out.folder = folder.string();
  out.message_path = msg.string();
  return out;
}

} // namespace liner::ddex

// The credits spreadsheet form: parsing with libcsv (quoted fields, separators and newlines inside quotes,
// CRLF), reading rows into the sheet model with a diagnostic and a file:row:column for every problem, and
// the deterministic RFC 4180 writer. Layout and rules: docs/csv-format.md.
#include "strings.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <csv.h>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <liner/credits/csv.hpp>
#include <liner/credits/error.hpp>
#include <liner/credits/roles.hpp>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <utf8proc.h>

namespace liner::credits {
namespace {

using detail::lower;
using detail::nearest;
using detail::trim;

// ---- columns ---------------------------------------------------------------------------------------
enum Col : std::size_t {
  kDisc,
  kTrack,
  kIsrc,
  kTitle,
  kVersion,
  kIswc,
  kDuration,
  kFile,
  kArtists,
  kFeatured,
  kExplicit,
  kPartyId,
  kParty,
  kLatin,
  kKind,
  kIsni,
  kIpi,
  kIpn,
  kDpid,
  kNotes,
  kRoles,
  kInstruments,
  kHours,
  kDeliverables,
  kTier,
  kContributions,
  kMaster,
  kPublishing,
  kCapacity,
  kColCount
};

constexpr std::string_view kColumns[kColCount] = {"disc",
                                                  "track",
                                                  "isrc",
                                                  "title",
                                                  "version",
                                                  "iswc",
                                                  "duration",
                                                  "file",
                                                  "artists",
                                                  "featured",
                                                  "explicit",
                                                  "party_id",
                                                  "party",
                                                  "latin_name",
                                                  "kind",
                                                  "isni",
                                                  "ipi",
                                                  "ipn",
                                                  "dpid",
                                                  "party_notes",
                                                  "roles",
                                                  "instruments",
                                                  "hours",
                                                  "deliverables",
                                                  "tier",
                                                  "contributions",
                                                  "master_share",
                                                  "publishing_share",
                                                  "publishing_capacity"};

// Other header spellings people use (normalised: lower case, no spaces, '_' or '-').
struct ColumnAlias {
  std::string_view typed;
  Col col;
};
constexpr ColumnAlias kColumnAliases[] = {{"discnumber", kDisc},
                                          {"tracknumber", kTrack},
                                          {"trackno", kTrack},
                                          {"tracktitle", kTitle},
                                          {"partyname", kParty},
                                          {"name", kParty},
                                          {"id", kPartyId},
                                          {"notes", kNotes},
                                          {"role", kRoles},
                                          {"instrument", kInstruments},
                                          {"deliverable", kDeliverables},
                                          {"contribution", kContributions},
                                          {"master", kMaster},
                                          {"publishing", kPublishing},
                                          {"capacity", kCapacity},
                                          {"featuredartists", kFeatured},
                                          {"explicitcontent", kExplicit}};

constexpr Col kTrackCols[] = {kDisc,     kIsrc, kTitle,   kVersion,  kIswc,
                              kDuration, kFile, kArtists, kFeatured, kExplicit};
constexpr Col kPartyCols[] = {kLatin, kKind, kIsni, kIpi, kIpn, kDpid, kNotes};
constexpr Col kCreditCols[] = {kRoles, kInstruments, kHours, kDeliverables, kTier, kContributions};

std::string normalise_header(std::string_view h) {
  std::string out;
  for (char c : lower(trim(h)))
    if (c != ' ' && c != '_' && c != '-') out += c;
  return out;
}

// Release-level keys of `#release` rows, in export order.
constexpr std::string_view kReleaseKeys[] = {
    "title",   "type",         "upc",   "grid",   "catalog_number", "label",           "distributor",
    "artists", "release_date", "genre", "p_line", "c_line",         "parental_warning"};
constexpr std::string_view kDeliveryKeys[] = {"sender", "recipients", "message_control", "language"};
constexpr std::string_view kDealKeys[] = {"territories", "start_date", "commercial_models", "use_types"};
constexpr std::string_view kDirectives[] = {"#sheet_version", "#release", "#delivery", "#deal",
                                            "#agreements"};

// ---- multi-valued cells: items joined with "; ", a literal ';' or '\' escaped with '\' --------------
std::string join_items(const std::vector<std::string>& items) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += "; ";
    for (char c : items[i]) {
      if (c == ';' || c == '\\') out += '\\';
      out += c;
    }
  }
  return out;
}

std::vector<std::string> split_items(std::string_view cell) {
  std::vector<std::string> out;
  std::string cur;
  auto flush = [&] {
    std::string_view t = trim(cur);
    if (!t.empty()) out.push_back(nfc(t));
    cur.clear();
  };
  for (std::size_t i = 0; i < cell.size(); ++i) {
    char c = cell[i];
    if (c == '\\' && i + 1 < cell.size())
      cur += cell[++i];
    else if (c == ';')
      flush();
    else
      cur += c;
  }
  flush();
  return out;
}

std::vector<std::string> term_strings(const std::vector<Term>& v) {
  std::vector<std::string> out;
  for (const Term& t : v)
    out.push_back(t.str());
  return out;
}

// A party id derived from a name: ASCII-folded, lower case, words joined with '-'.
std::string slug(std::string_view name) {
  std::string folded(name);
  utf8proc_uint8_t* mapped = nullptr;
  auto n =
      utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(name.data()),
                   static_cast<utf8proc_ssize_t>(name.size()), &mapped,
                   static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK |
                                                  UTF8PROC_COMPAT | UTF8PROC_CASEFOLD));
  if (n >= 0) folded.assign(reinterpret_cast<const char*>(mapped), static_cast<std::size_t>(n));
  std::free(mapped);
  std::string out;
  bool dash = false;
  for (char c : folded) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      if (dash && !out.empty()) out += '-';
      dash = false;
      out += c;
    } else if (c >= 'A' && c <= 'Z') {
      if (dash && !out.empty()) out += '-';
      dash = false;
      out += static_cast<char>(c - 'A' + 'a');
    } else {
      dash = true; // spaces, punctuation and non-ASCII letters (the latin form is preferred when given)
    }
  }
  return out.empty() ? std::string("party") : out;
}

// ---- the libcsv pass: records with the physical line where each starts -------------------------------
struct Record {
  std::uint32_t line = 0;
  std::vector<std::string> fields;
  bool too_many = false;      // more than kMaxCsvColumns fields
  std::size_t long_field = 0; // 1-based index of the first cell over kMaxCsvFieldBytes, else 0
};

struct Scan {
  std::vector<Record> records;
  Record cur;
  std::uint32_t start_line = 1;
  bool between = true; // no record in progress
};

void on_field(void* s, std::size_t len, void* data) {
  Scan& sc = *static_cast<Scan*>(data);
  Record& r = sc.cur;
  r.line = sc.start_line;
  if (r.fields.size() >= kMaxCsvColumns) {
    r.too_many = true;
    return;
  }
  if (len > kMaxCsvFieldBytes) {
    if (!r.long_field) r.long_field = r.fields.size() + 1;
    r.fields.emplace_back();
    return;
  }
  r.fields.push_back(len ? std::string(static_cast<const char*>(s), len) : std::string());
}

void on_row(int, void* data) {
  Scan& sc = *static_cast<Scan*>(data);
  bool blank = std::all_of(sc.cur.fields.begin(), sc.cur.fields.end(),
                           [](const std::string& f) { return trim(f).empty(); });
  if (!blank || sc.cur.long_field || sc.cur.too_many) sc.records.push_back(std::move(sc.cur));
  sc.cur = Record{};
  sc.between = true;
}

struct ParserDeleter {
  void operator()(csv_parser* p) const {
    csv_free(p);
    delete p;
  }
};

// The separator: `sep=X` on the first line (Excel), else the most frequent of ',' ';' and tab outside
// quotes on the header row (the first row not starting with '#').
char detect_separator(std::string_view body) {
  std::size_t i = 0;
  while (i < body.size()) {
    // One record, quote-aware.
    std::size_t start = i;
    bool quoted = false;
    std::array<std::size_t, 3> counts{};
    for (; i < body.size(); ++i) {
      char c = body[i];
      if (c == '"')
        quoted = !quoted;
      else if (!quoted && (c == '\n' || c == '\r'))
        break;
      else if (!quoted && c == ',')
        ++counts[0];
      else if (!quoted && c == ';')
        ++counts[1];
      else if (!quoted && c == '\t')
        ++counts[2];
    }
    std::string_view rec = trim(body.substr(start, i - start));
    while (i < body.size() && (body[i] == '\n' || body[i] == '\r'))
      ++i;
    if (rec.empty() || rec.front() == '#') continue;
    if (counts[1] > counts[0] && counts[1] >= counts[2]) return ';';
    if (counts[2] > counts[0] && counts[2] > counts[1]) return '\t';
    return ',';
  }
  return ',';
}

// ---- reading rows into the model -----------------------------------------------------------------------
class Reader {
public:
  Reader(std::string_view text, const std::string& path, LoadResult& out)
      : text_(text), path_(path), s_(out.sheet), d_(out.diagnostics), where_(out.sheet.where) {
    where_.set_file(path);
    s_.path = path;
  }

  void run() {
    if (text_.size() > kMaxSheetBytes) {
      d_.error(
          "file-too-large",
          fmt::format("the spreadsheet is {} bytes; the limit is {} bytes", text_.size(), kMaxSheetBytes),
          file_loc());
      return;
    }
    if (text_.find('\0') != std::string_view::npos) {
      d_.error("not-text", "the file contains NUL bytes: it is not a CSV text file", file_loc(),
               "export the spreadsheet as \"CSV UTF-8\"");
      return;
    }
    if (!valid_utf8(text_)) {
      d_.error("invalid-utf8", "the file is not valid UTF-8", first_invalid_utf8_loc(),
               "save the spreadsheet as \"CSV UTF-8\" (Excel) or with character set UTF-8 (LibreOffice)");
      return;
    }
    std::string_view body = text_;
    std::uint32_t first_line = 1;
    if (body.substr(0, 3) == "\xEF\xBB\xBF") body.remove_prefix(3);
    char sep = 0;
    if (body.size() >= 5 && lower(body.substr(0, 4)) == "sep=" && body[4] != '\r' && body[4] != '\n') {
      sep = body[4];
      auto nl = body.find('\n');
      body = nl == std::string_view::npos ? std::string_view() : body.substr(nl + 1);
      first_line = 2;
    }
    if (trim(body).empty()) {
      d_.error("empty-sheet", "the spreadsheet is empty", file_loc(),
               "export a sheet with `liner sheet export SHEET --to csv` for the layout");
      return;
    }
    sep_ = sep ? sep : detect_separator(body);
    if (!scan(body, first_line)) return;
    interpret();
  }

private:
  // ---- locations ----------------------------------------------------------------------------------
  Location file_loc() const {
    Location l;
    l.file = path_;
    return l;
  }
  Location at(std::uint32_t row, std::size_t col) const {
    Location l = file_loc();
    l.line = row;
    l.column = static_cast<std::uint32_t>(col);
    return l;
  }
  Location first_invalid_utf8_loc() const {
    Location l = file_loc();
    std::uint32_t line = 1;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= text_.size(); ++i)
      if (i == text_.size() || text_[i] == '\n') {
        if (!valid_utf8(text_.substr(start, i - start))) {
          l.line = line;
          return l;
        }
        ++line;
        start = i + 1;
      }
    return l;
  }

  bool full() const { return d_.count(Severity::Error) >= kMaxCsvDiagnostics; }
  void error(std::string code, std::string message, Location loc, std::string hint = {}) {
    if (stopped_) return;
    if (full()) {
      d_.error("too-many-errors", fmt::format("more than {} errors; stopping here", kMaxCsvDiagnostics), loc,
               "fix the first errors (often a wrong separator or a shifted column) and try again");
      stopped_ = true;
      return;
    }
    d_.error(std::move(code), std::move(message), std::move(loc), std::move(hint));
  }

  // ---- pass 1: libcsv -------------------------------------------------------------------------------
  bool scan(std::string_view body, std::uint32_t first_line) {
    std::unique_ptr<csv_parser, ParserDeleter> p(new csv_parser);
    if (csv_init(p.get(), CSV_STRICT | CSV_STRICT_FINI) != 0) throw Error(path_, "cannot initialise libcsv");
    csv_set_delim(p.get(), static_cast<unsigned char>(sep_));
    // Only spaces are insignificant around fields (a tab may be the separator).
    csv_set_space_func(p.get(), [](unsigned char c) { return c == CSV_SPACE ? 1 : 0; });
    Scan sc;
    std::uint32_t line = first_line;
    std::size_t i = 0;
    auto syntax = [&](std::uint32_t at_line, const char* what, const char* hint) {
      std::uint32_t row = sc.between ? at_line : sc.start_line;
      std::string msg = what;
      if (row != at_line) msg += fmt::format(" (on line {})", at_line);
      error("csv-syntax", msg, at(row, sc.cur.fields.size() + 1), hint);
    };
    while (i < body.size()) {
      // One physical line, with its terminator: "\n", "\r\n" or a lone "\r".
      std::size_t j = i;
      while (j < body.size() && body[j] != '\n' && body[j] != '\r')
        ++j;
      if (j < body.size()) j += (body[j] == '\r' && j + 1 < body.size() && body[j + 1] == '\n') ? 2 : 1;
      std::string_view chunk = body.substr(i, j - i);
      if (sc.between &&
          chunk.find_first_not_of(sep_ == '\t' ? " \r\n" : " \t\r\n") != std::string_view::npos) {
        sc.start_line = line;
        sc.between = false;
      }
      if (csv_parse(p.get(), chunk.data(), chunk.size(), on_field, on_row, &sc) != chunk.size()) {
        syntax(line, "malformed quoting: a quote inside an unquoted cell, or text after a closing quote",
               "quote the whole cell and double every quote inside it: \"12\"\" Remix\"");
        return false;
      }
      if (sc.records.size() > kMaxCsvRows) {
        error("too-many-rows", fmt::format("the spreadsheet has more than {} rows", kMaxCsvRows),
              at(sc.records.back().line, 0), "split the release into several sheets");
        return false;
      }
      i = j;
      ++line;
    }
    if (csv_fini(p.get(), on_field, on_row, &sc) != 0) {
      syntax(line > first_line ? line - 1 : line, "a quoted cell is never closed",
             "add the closing double quote");
      return false;
    }
    records_ = std::move(sc.records);
    return true;
  }

  // ---- pass 2: rows ---------------------------------------------------------------------------------
  static bool blank(const Record& r) {
    return std::all_of(r.fields.begin(), r.fields.end(),
                       [](const std::string& f) { return trim(f).empty(); });
  }

  bool limits_ok(const Record& r) {
    if (r.long_field) {
      error("field-too-long", fmt::format("a cell is longer than {} bytes", kMaxCsvFieldBytes),
            at(r.line, r.long_field));
      return false;
    }
    if (r.too_many) {
      error("too-many-columns", fmt::format("a row has more than {} cells", kMaxCsvColumns),
            at(r.line, kMaxCsvColumns + 1));
      return false;
    }
    return true;
  }

  void interpret() {
    std::size_t k = 0;
    for (; k < records_.size() && !stopped_; ++k) {
      const Record& r = records_[k];
      if (blank(r)) continue;
      if (!limits_ok(r)) continue;
      std::string_view first = trim(r.fields[0]);
      if (!first.empty() && first.front() == '#') {
        directive(r);
        continue;
      }
      if (!header(r)) return;
      break;
    }
    if (k == records_.size()) {
      if (d_.has_errors()) return;
      error("missing-header", "the spreadsheet has no header row", file_loc(),
            fmt::format("the first row that does not start with '#' names the columns: {}",
                        fmt::join(kColumns, std::string(1, sep_))));
      return;
    }
    std::vector<const Record*> rows;
    for (++k; k < records_.size(); ++k)
      if (!blank(records_[k])) rows.push_back(&records_[k]);
    // Explicit party ids first, so that ids derived from names never take one of them.
    // A name-only row also finds the explicit id given to that name on a later row.
    for (const Record* r : rows)
      if (auto id = get(*r, kPartyId); !id.empty()) {
        taken_.insert(std::string(id));
        if (auto name = get(*r, kParty); !name.empty())
          by_name_.emplace(fold_name(nfc(name)), std::string(id));
      }
    for (const Record* r : rows) {
      if (stopped_) return;
      if (limits_ok(*r)) row(*r);
    }
  }

  // ---- directives (#release, #delivery, #deal, #sheet_version) ---------------------------------------
  std::string_view cell(const Record& r, std::size_t i) const {
    return i < r.fields.size() ? trim(r.fields[i]) : std::string_view();
  }

  // Cells after `used` must be empty (Excel pads every row to the widest).
  void no_extra(const Record& r, std::size_t used) {
    for (std::size_t i = used; i < r.fields.size(); ++i)
      if (!trim(r.fields[i]).empty()) {
        error("extra-field",
              fmt::format("unexpected value '{}' after the {} cells of this row", trim(r.fields[i]), used),
              at(r.line, i + 1), "quote a value that contains the separator");
        return;
      }
  }

  void directive(const Record& r) {
    std::string kind = lower(cell(r, 0));
    if (kind == "#" || kind.substr(0, 2) == "# ") return; // a comment
    if (kind == "#sheet_version") {
      no_extra(r, 2);
      where_.set("sheet_version", at(r.line, 2));
      if (cell(r, 1) != "1")
        error("unsupported-version",
              fmt::format("sheet_version {} is not supported; this liner reads version 1", cell(r, 1)),
              at(r.line, 2));
      return;
    }
    if (kind == "#release") return release_directive(r);
    if (kind == "#delivery") return delivery_directive(r);
    if (kind == "#deal") return deal_directive(r);
    if (kind == "#agreements") {
      // One agreement per row, in its canonical TOML form (docs/csv-format.md).
      no_extra(r, 2);
      std::vector<Agreement> a = parse_agreements_toml(r.fields.size() > 1 ? r.fields[1] : std::string(),
                                                       path_, static_cast<std::uint32_t>(r.line), d_);
      s_.agreements.insert(s_.agreements.end(), a.begin(), a.end());
      return;
    }
    std::string hint;
    if (auto best = nearest(kind, kDirectives); !best.empty())
      hint = fmt::format("did you mean '{}'?", best);
    else
      hint = "start a comment with '# ' (hash and space)";
    error("unknown-key", fmt::format("unknown directive '{}'", cell(r, 0)), at(r.line, 1), hint);
  }

  bool known_key(const Record& r, std::size_t col, std::span<const std::string_view> keys,
                 std::string_view what, std::string& key) {
    key = lower(cell(r, col));
    if (std::find(keys.begin(), keys.end(), key) != keys.end()) return true;
    std::string hint;
    if (auto best = nearest(key, keys); !best.empty())
      hint = fmt::format("did you mean '{}'?", best);
    else
      hint = fmt::format("known keys here: {}", fmt::join(keys, ", "));
    error("unknown-key", fmt::format("unknown key '{}' in {}", cell(r, col), what), at(r.line, col + 1),
          hint);
    return false;
  }

  bool parse_int(std::string_view text, std::int64_t lo, std::int64_t hi, int& out) {
    if (text.empty() || text.size() > 9) return false;
    std::int64_t v = 0;
    for (char c : text) {
      if (c < '0' || c > '9') return false;
      v = v * 10 + (c - '0');
    }
    if (v < lo || v > hi) return false;
    out = static_cast<int>(v);
    return true;
  }

  void release_directive(const Record& r) {
    std::string key;
    if (!known_key(r, 1, kReleaseKeys, "#release rows", key)) return;
    Release& rel = s_.release;
    std::string path = "release." + key;
    if (!seen_release_) where_.set("release", at(r.line, 1));
    seen_release_ = true;
    where_.set(path, at(r.line, 3));
    std::string_view v = cell(r, 2);
    if (key == "p_line" || key == "c_line") {
      no_extra(r, 4);
      CopyrightLine l;
      where_.set(path + ".year", at(r.line, 3));
      where_.set(path + ".owner", at(r.line, 4));
      if (!v.empty() && !parse_int(v, 0, 9999, l.year))
        error("invalid-number", fmt::format("the {} year '{}' is not a year", key, v), at(r.line, 3),
              "write #release,p_line,2026,Owner Name");
      l.owner = nfc(cell(r, 3));
      (key == "p_line" ? rel.p_line : rel.c_line) = l;
      return;
    }
    no_extra(r, 3);
    std::string s = nfc(v);
    if (key == "title")
      rel.title = s;
    else if (key == "type")
      rel.type = s;
    else if (key == "upc")
      rel.upc = std::string(v);
    else if (key == "grid")
      rel.grid = std::string(v);
    else if (key == "catalog_number")
      rel.catalog_number = s;
    else if (key == "label")
      rel.label = s;
    else if (key == "distributor")
      rel.distributor = s;
    else if (key == "artists")
      record_items(path, r, 3, rel.artists = split_items(v));
    else if (key == "release_date")
      rel.release_date = std::string(v);
    else if (key == "genre")
      rel.genre = s;
    else if (key == "parental_warning")
      rel.parental_warning = s;
  }

  void record_items(const std::string& path, const Record& r, std::size_t col,
                    const std::vector<std::string>& v) {
    for (std::size_t i = 0; i < v.size(); ++i)
      where_.set(fmt::format("{}[{}]", path, i), at(r.line, col));
  }

  void delivery_directive(const Record& r) {
    std::string key;
    if (!known_key(r, 1, kDeliveryKeys, "#delivery rows", key)) return;
    no_extra(r, 3);
    Delivery& dl = s_.delivery;
    if (!dl.present) where_.set("delivery", at(r.line, 1));
    dl.present = true;
    std::string path = "delivery." + key;
    where_.set(path, at(r.line, 3));
    std::string_view v = cell(r, 2);
    if (key == "sender")
      dl.sender = nfc(v);
    else if (key == "recipients")
      record_items(path, r, 3, dl.recipients = split_items(v));
    else if (key == "message_control")
      dl.message_control = nfc(v);
    else if (key == "language")
      dl.language = nfc(v);
  }

  void deal_directive(const Record& r) {
    int n = 0;
    if (!parse_int(cell(r, 1), 1, static_cast<std::int64_t>(s_.deals.size()) + 1, n)) {
      error("invalid-value",
            fmt::format("deal number '{}' must be 1 for the first deal, then 2, 3, ...", cell(r, 1)),
            at(r.line, 2), "write #deal,1,territories,Worldwide");
      return;
    }
    std::string key;
    if (!known_key(r, 2, kDealKeys, "#deal rows", key)) return;
    no_extra(r, 4);
    std::string base = fmt::format("deals[{}]", n - 1);
    if (static_cast<std::size_t>(n) > s_.deals.size()) {
      s_.deals.emplace_back();
      where_.set("deals", at(r.line, 1));
      where_.set(base, at(r.line, 1));
    }
    Deal& deal = s_.deals[static_cast<std::size_t>(n - 1)];
    std::string path = base + "." + key;
    where_.set(path, at(r.line, 4));
    std::string_view v = cell(r, 3);
    if (key == "territories")
      record_items(path, r, 4, deal.territories = split_items(v));
    else if (key == "start_date")
      deal.start_date = std::string(v);
    else if (key == "commercial_models")
      record_items(path, r, 4, deal.commercial_models = split_items(v));
    else if (key == "use_types")
      record_items(path, r, 4, deal.use_types = split_items(v));
  }

  // ---- the header -------------------------------------------------------------------------------------
  bool header(const Record& r) {
    positions_.assign(r.fields.size(), kColCount);
    bool ok = true;
    for (std::size_t i = 0; i < r.fields.size(); ++i) {
      std::string_view name = trim(r.fields[i]);
      if (name.empty()) continue; // Excel pads headers; such columns must stay empty
      std::string norm = normalise_header(name);
      std::optional<Col> col;
      for (std::size_t c = 0; c < kColCount; ++c)
        if (normalise_header(kColumns[c]) == norm) col = static_cast<Col>(c);
      for (const ColumnAlias& a : kColumnAliases)
        if (!col && a.typed == norm) col = a.col;
      if (!col) {
        std::string hint;
        std::string best = nearest(norm, kColumns);
        if (best.empty()) best = nearest(name, kColumns);
        if (!best.empty())
          hint = fmt::format("did you mean '{}'?", best);
        else
          hint = fmt::format("known columns: {}", fmt::join(kColumns, ", "));
        error("unknown-column", fmt::format("unknown column '{}'", name), at(r.line, i + 1), hint);
        ok = false;
        continue;
      }
      if (cols_[*col]) {
        error("duplicate-column",
              fmt::format("column '{}' appears twice (columns {} and {})", kColumns[*col], *cols_[*col] + 1,
                          i + 1),
              at(r.line, i + 1));
        ok = false;
        continue;
      }
      cols_[*col] = i;
      positions_[i] = *col;
    }
    if (!ok) return false;
    if (!cols_[kTrack]) {
      error("missing-column", "the header has no 'track' column", at(r.line, 1),
            "add a 'track' column (the track number; empty for release-level rows)");
      return false;
    }
    if (!cols_[kPartyId] && !cols_[kParty]) {
      error("missing-column", "the header has neither a 'party_id' nor a 'party' column", at(r.line, 1),
            "add a 'party' column with each contributor's name");
      return false;
    }
    return true;
  }

  // ---- data rows -----------------------------------------------------------------------------------------
  std::string_view get(const Record& r, Col c) const {
    if (!cols_[c] || *cols_[c] >= r.fields.size()) return {};
    return trim(r.fields[*cols_[c]]);
  }
  bool has(const Record& r, Col c) const { return !get(r, c).empty(); }
  // The cell that names the row's party: party_id when filled, else party.
  Col party_col(const Record& r) const { return has(r, kPartyId) || !cols_[kParty] ? kPartyId : kParty; }
  Location loc(const Record& r, Col c) const { return at(r.line, cols_[c] ? *cols_[c] + 1 : 0); }
  template <std::size_t N> std::optional<Col> first_filled(const Record& r, const Col (&cs)[N]) const {
    for (Col c : cs)
      if (has(r, c)) return c;
    return std::nullopt;
  }

  struct Stated {
    std::string value;
    std::uint32_t row = 0; // 0 = not stated yet
  };

  // A value repeated on several rows: the first non-empty one counts; a different one is an error.
  bool consistent(Stated& st, const std::string& value, const Record& r, Col c, std::string_view code,
                  std::string_view what) {
    if (value.empty()) return false;
    if (!st.row) {
      st = {value, r.line};
      return true;
    }
    if (st.value != value)
      error(std::string(code),
            fmt::format("{} is '{}' on row {} but '{}' on row {}", what, st.value, st.row, value, r.line),
            loc(r, c), "a value repeated on several rows must be the same on each");
    return false;
  }

  struct PartyState {
    std::size_t index = 0;
    std::array<Stated, kColCount> fields{};
  };
  struct TrackState {
    std::size_t index = 0;
    std::array<Stated, kColCount> fields{};
  };

  void row(const Record& r) {
    for (std::size_t i = 0; i < r.fields.size(); ++i)
      if ((i >= positions_.size() || positions_[i] == kColCount) && !trim(r.fields[i]).empty()) {
        error("extra-field",
              fmt::format("unexpected value '{}' in a column without a header", trim(r.fields[i])),
              at(r.line, i + 1), "quote a value that contains the separator, or name the column");
        return;
      }
    row_failed_ = false;
    std::optional<std::string> party = resolve_party(r);
    if (row_failed_) return;
    if (!has(r, kTrack)) return release_row(r, party);
    int number = 0, disc = 1;
    if (!parse_int(get(r, kTrack), 1, 1'000'000, number)) {
      error("invalid-number", fmt::format("track '{}' is not a track number", get(r, kTrack)), loc(r, kTrack),
            "write a whole number such as 1");
      return;
    }
    if (has(r, kDisc) && !parse_int(get(r, kDisc), 1, 1'000'000, disc)) {
      error("invalid-number", fmt::format("disc '{}' is not a disc number", get(r, kDisc)), loc(r, kDisc),
            "write a whole number such as 1, or leave it empty for disc 1");
      return;
    }
    track_row(r, disc, number, party);
  }

  // The party of a row: its party_id, else the id of a party already seen with this name, else a new id
  // derived from the name. Registers the party and checks its details against earlier rows.
  std::optional<std::string> resolve_party(const Record& r) {
    std::string id(get(r, kPartyId));
    std::string name = nfc(get(r, kParty));
    if (id.empty() && name.empty()) {
      if (auto c = first_filled(r, kPartyCols)) {
        error("missing-field", fmt::format("this row has '{}' but no party_id or party name", kColumns[*c]),
              loc(r, *c));
        row_failed_ = true;
      }
      return std::nullopt;
    }
    std::string folded = fold_name(name);
    bool via_latin = false; // the name cell holds the latin form of a party seen before
    if (id.empty()) {
      if (auto it = by_name_.find(folded); it != by_name_.end())
        id = it->second;
      else if (auto lt = by_latin_.find(folded); lt != by_latin_.end()) {
        id = lt->second;
        via_latin = true;
      } else {
        std::string base = slug(get(r, kLatin).empty() ? name : nfc(get(r, kLatin)));
        id = base;
        for (int n = 2; taken_.count(id); ++n)
          id = fmt::format("{}-{}", base, n);
        taken_.insert(id);
      }
    }
    if (!name.empty() && !via_latin) by_name_.emplace(folded, id);
    if (has(r, kLatin)) by_latin_.emplace(fold_name(nfc(get(r, kLatin))), id);
    auto [it, created] = parties_.try_emplace(id);
    PartyState& ps = it->second;
    std::string path = "parties." + id;
    Col anchor = party_col(r);
    if (created) {
      ps.index = s_.parties.size();
      s_.parties.emplace_back();
      s_.parties.back().id = id;
      where_.set("parties", loc(r, anchor));
      where_.set(path, loc(r, anchor));
      new_party_ = true;
    } else {
      new_party_ = false;
    }
    Party& p = s_.parties[ps.index];
    auto text = [&](Col c, std::string& field, std::string_view key, bool normalise) {
      std::string v = normalise ? nfc(get(r, c)) : std::string(get(r, c));
      if (consistent(ps.fields[c], v, r, c, c == kParty ? "duplicate-party" : "party-conflict",
                     fmt::format("the {} of party '{}'", key, id))) {
        field = v;
        where_.set(path + "." + std::string(key), loc(r, c));
      }
    };
    if (!via_latin) text(kParty, p.name, "name", true);
    text(kLatin, p.latin_name, "latin_name", true);
    text(kIsni, p.isni, "isni", false);
    text(kIpi, p.ipi, "ipi", false);
    text(kIpn, p.ipn, "ipn", false);
    text(kDpid, p.dpid, "dpid", false);
    text(kNotes, p.notes, "notes", true);
    if (has(r, kKind)) {
      std::optional<PartyKind> kind = parse_party_kind(get(r, kKind));
      if (!kind)
        error("invalid-value", fmt::format("kind '{}' must be \"person\" or \"organization\"", get(r, kKind)),
              loc(r, kKind));
      else if (consistent(ps.fields[kKind], std::string(to_string(*kind)), r, kKind, "party-conflict",
                          fmt::format("the kind of party '{}'", id))) {
        p.kind = *kind;
        where_.set(path + ".kind", loc(r, kKind));
      }
    }
    return id;
  }

  void release_row(const Record& r, const std::optional<std::string>& party) {
    if (auto c = first_filled(r, kTrackCols)) {
      error("missing-field", fmt::format("this row has '{}' but no track number", kColumns[*c]),
            loc(r, kTrack), "fill in 'track', or clear the track cells for a release-level row");
      return;
    }
    for (Col c : {kMaster, kPublishing, kCapacity})
      if (has(r, c)) {
        error("unexpected-value",
              fmt::format("'{}' on a row without a track: splits belong to a track", kColumns[c]), loc(r, c),
              "fill in 'track'");
        return;
      }
    bool credit_data = first_filled(r, kCreditCols).has_value();
    if (!party) {
      if (credit_data)
        error("missing-field", "a credit needs a party: fill in 'party_id' or 'party'",
              loc(r, cols_[kParty] ? kParty : kPartyId));
      return;
    }
    // The first row of a party without credit cells only introduces the party (e.g. the label).
    if (!credit_data && new_party_) return;
    std::string p = fmt::format("release.credits[{}]", s_.release.credits.size());
    if (s_.release.credits.empty()) where_.set("release.credits", loc(r, party_col(r)));
    s_.release.credits.push_back(read_credit(r, *party, p));
  }

  void track_row(const Record& r, int disc, int number, const std::optional<std::string>& party) {
    auto [it, created] = tracks_.try_emplace(std::pair{disc, number});
    TrackState& ts = it->second;
    if (created) {
      ts.index = s_.tracks.size();
      s_.tracks.emplace_back();
      s_.tracks.back().number = number;
      s_.tracks.back().disc = disc;
    }
    Track& t = s_.tracks[ts.index];
    std::string path = fmt::format("tracks[{}]", ts.index);
    if (created) {
      where_.set("tracks", loc(r, kTrack));
      where_.set(path, loc(r, kTrack));
      where_.set(path + ".number", loc(r, kTrack));
      where_.set(path + ".disc", has(r, kDisc) ? loc(r, kDisc) : loc(r, kTrack));
    }
    std::string what =
        fmt::format("the {{}} of track {}{}", disc == 1 ? "" : fmt::format("{}-", disc), number);
    auto text = [&](Col c, std::string& field, std::string_view key, bool normalise) {
      std::string v = normalise ? nfc(get(r, c)) : std::string(get(r, c));
      if (consistent(ts.fields[c], v, r, c, "track-conflict", fmt::format(fmt::runtime(what), key))) {
        field = v;
        where_.set(path + "." + std::string(key), loc(r, c));
      }
    };
    text(kIsrc, t.isrc, "isrc", false);
    text(kTitle, t.title, "title", true);
    text(kVersion, t.version, "version", true);
    text(kIswc, t.iswc, "iswc", false);
    text(kDuration, t.duration, "duration", false);
    text(kFile, t.file, "file", false);
    auto list = [&](Col c, std::vector<std::string>& field, std::string_view key) {
      std::vector<std::string> v = split_items(get(r, c));
      if (consistent(ts.fields[c], join_items(v), r, c, "track-conflict",
                     fmt::format(fmt::runtime(what), key))) {
        field = v;
        where_.set(path + "." + std::string(key), loc(r, c));
        record_items(path + "." + std::string(key), r, *cols_[c] + 1, v);
      }
    };
    list(kArtists, t.artists, "artists");
    list(kFeatured, t.featured, "featured");
    if (has(r, kExplicit)) {
      std::string e = lower(get(r, kExplicit));
      std::optional<bool> v;
      if (e == "true" || e == "yes" || e == "y" || e == "1" || e == "explicit")
        v = true;
      else if (e == "false" || e == "no" || e == "n" || e == "0")
        v = false;
      if (!v)
        error("invalid-value", fmt::format("explicit '{}' must be true or false", get(r, kExplicit)),
              loc(r, kExplicit), "leave it empty to use the release's parental warning");
      else if (consistent(ts.fields[kExplicit], *v ? "true" : "false", r, kExplicit, "track-conflict",
                          fmt::format(fmt::runtime(what), "explicit"))) {
        t.explicit_content = v;
        where_.set(path + ".explicit", loc(r, kExplicit));
      }
    }

    bool credit_data = first_filled(r, kCreditCols).has_value();
    bool share_data = has(r, kMaster) || has(r, kPublishing);
    if (!party) {
      if (credit_data || share_data || has(r, kCapacity))
        error("missing-field", "a credit or share needs a party: fill in 'party_id' or 'party'",
              loc(r, cols_[kParty] ? kParty : kPartyId));
      return; // a row that only describes the track
    }
    if (credit_data || !share_data) {
      std::string p = fmt::format("{}.credits[{}]", path, t.credits.size());
      if (t.credits.empty()) where_.set(path + ".credits", loc(r, party_col(r)));
      t.credits.push_back(read_credit(r, *party, p));
    }
    if (has(r, kMaster)) {
      std::string p = fmt::format("{}.master[{}]", path, t.master.size());
      if (t.master.empty()) where_.set(path + ".master", loc(r, kMaster));
      t.master.push_back(read_share(r, *party, p, kMaster));
    }
    if (has(r, kPublishing)) {
      std::string p = fmt::format("{}.publishing[{}]", path, t.publishing.size());
      if (t.publishing.empty()) where_.set(path + ".publishing", loc(r, kPublishing));
      Share s = read_share(r, *party, p, kPublishing);
      if (has(r, kCapacity)) {
        where_.set(p + ".capacity", loc(r, kCapacity));
        if (auto k = parse_capacity(get(r, kCapacity)))
          s.capacity = *k;
        else
          error(
              "invalid-value",
              fmt::format("publishing_capacity '{}' must be \"writer\" or \"publisher\"", get(r, kCapacity)),
              loc(r, kCapacity));
      }
      t.publishing.push_back(std::move(s));
    } else if (has(r, kCapacity)) {
      error("missing-field", "publishing_capacity is set but publishing_share is empty", loc(r, kCapacity),
            "fill in the publishing share, or clear the capacity");
    }
  }

  Share read_share(const Record& r, const std::string& party, const std::string& p, Col c) {
    Share s;
    s.party = party;
    where_.set(p, loc(r, party_col(r)));
    where_.set(p + ".party", loc(r, party_col(r)));
    where_.set(p + ".percent", loc(r, c));
    if (auto d = decimal(r, c)) s.percent = *d;
    return s;
  }

  Credit read_credit(const Record& r, const std::string& party, const std::string& p) {
    Credit c;
    c.party = party;
    where_.set(p, loc(r, party_col(r)));
    where_.set(p + ".party", loc(r, party_col(r)));
    c.roles = terms(r, kRoles, p + ".roles", true);
    c.instruments = terms(r, kInstruments, p + ".instruments", false);
    if (has(r, kHours)) {
      where_.set(p + ".hours", loc(r, kHours));
      c.hours = decimal(r, kHours);
    }
    if (has(r, kDeliverables)) {
      where_.set(p + ".deliverables", loc(r, kDeliverables));
      c.deliverables = split_items(get(r, kDeliverables));
      record_items(p + ".deliverables", r, *cols_[kDeliverables] + 1, c.deliverables);
    }
    if (has(r, kTier)) {
      where_.set(p + ".tier", loc(r, kTier));
      if (auto k = parse_tier(get(r, kTier)))
        c.tier = *k;
      else
        error("invalid-value",
              fmt::format("tier '{}' must be one of primary, co, additional, assistant", get(r, kTier)),
              loc(r, kTier));
    }
    if (has(r, kContributions)) {
      where_.set(p + ".contributions", loc(r, kContributions));
      c.contributions = split_items(get(r, kContributions));
      record_items(p + ".contributions", r, *cols_[kContributions] + 1, c.contributions);
    }
    return c;
  }

  std::vector<Term> terms(const Record& r, Col col, const std::string& path, bool roles) {
    std::vector<Term> out;
    if (!has(r, col)) return out;
    where_.set(path, loc(r, col));
    std::vector<std::string> raw = split_items(get(r, col));
    for (std::size_t i = 0; i < raw.size(); ++i) {
      where_.set(fmt::format("{}[{}]", path, i), loc(r, col));
      TermLookup l = roles ? resolve_role(raw[i]) : resolve_instrument(raw[i]);
      if (l.term) {
        if (std::find(out.begin(), out.end(), *l.term) == out.end()) out.push_back(*l.term);
        continue;
      }
      std::string hint;
      if (!l.suggestions.empty()) {
        std::vector<std::string> q;
        for (const auto& s : l.suggestions)
          q.push_back("'" + s + "'");
        hint = fmt::format("did you mean {}?", fmt::join(q, " or "));
      } else {
        hint = fmt::format("see docs/roles.md; write \"custom:{}\" for a deliberate custom {}", raw[i],
                           roles ? "role" : "instrument");
      }
      error(roles ? "unknown-role" : "unknown-instrument",
            fmt::format("unknown {} '{}'", roles ? "role" : "instrument", raw[i]), loc(r, col), hint);
      out.push_back(Term{raw[i], false});
    }
    return out;
  }

  // Exact decimals: "50", "33.33", "33,33" (only when the separator is not ','), a trailing '%' allowed.
  std::optional<Decimal> decimal(const Record& r, Col c) {
    std::string text(get(r, c));
    std::string_view key = kColumns[c];
    if (!text.empty() && text.back() == '%')
      text = std::string(trim(std::string_view(text).substr(0, text.size() - 1)));
    bool comma = text.find(',') != std::string::npos;
    if (comma && sep_ != ',' && text.find('.') == std::string::npos &&
        std::count(text.begin(), text.end(), ',') == 1)
      std::replace(text.begin(), text.end(), ',', '.');
    int decimals = 0;
    std::optional<Decimal> d = Decimal::parse(text, &decimals);
    if (d) return d;
    if (decimals > Decimal::kScale && text.find('.') != std::string::npos) {
      // Keep the value rounded to 6 places so that one typo does not cascade into "shares do not sum".
      auto dot = text.find('.');
      bool up = text[dot + Decimal::kScale + 1] >= '5';
      if (auto cut = Decimal::parse(text.substr(0, dot + Decimal::kScale + 1)))
        d = *cut + Decimal::from_units(up ? (cut->is_negative() ? -1 : 1) : 0);
      error("too-many-decimals",
            fmt::format("'{}' = {} has {} decimals; at most {} are allowed", key, text, decimals,
                        Decimal::kScale),
            loc(r, c), "DDEX carries shares with at most 6 decimals");
      return d;
    }
    error("invalid-number", fmt::format("'{}' = {} is not a decimal number", key, get(r, c)), loc(r, c),
          sep_ == ',' && comma ? "with ',' as the separator write decimals with a dot: 33.33"
                               : "write it like 50 or 33.33 (no exponent, no thousands separator)");
    return std::nullopt;
  }

  std::string_view text_;
  std::string path_;
  Sheet& s_;
  Diagnostics& d_;
  SourceMap& where_;
  char sep_ = ',';
  bool stopped_ = false;
  bool seen_release_ = false;
  bool new_party_ = false;
  std::vector<Record> records_;
  std::array<std::optional<std::size_t>, kColCount> cols_{}; // column -> field index
  std::vector<std::size_t> positions_;                       // field index -> column (kColCount = none)
  std::map<std::string, PartyState> parties_;
  std::map<std::string, std::string> by_name_;  // fold_name(name) -> id
  std::map<std::string, std::string> by_latin_; // fold_name(latin_name) -> id
  bool row_failed_ = false;
  std::set<std::string> taken_;
  std::map<std::pair<int, int>, TrackState> tracks_;
};

// ---- writing ---------------------------------------------------------------------------------------------
void put_field(std::string& out, std::string_view f) {
  bool quote = f.find_first_of(",\"\r\n;\t") != std::string_view::npos ||
               (!f.empty() && (f.front() == ' ' || f.back() == ' '));
  if (!quote) {
    out += f;
    return;
  }
  out += '"';
  for (char c : f) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

void put_row(std::string& out, const std::vector<std::string>& fields) {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i) out += ',';
    put_field(out, fields[i]);
  }
  out += "\r\n";
}

using Row = std::array<std::string, kColCount>;

void put_party(Row& row, const Party& p) {
  row[kPartyId] = p.id;
  row[kParty] = p.name;
  row[kLatin] = p.latin_name;
  row[kKind] = std::string(to_string(p.kind));
  row[kIsni] = p.isni;
  row[kIpi] = p.ipi;
  row[kIpn] = p.ipn;
  row[kDpid] = p.dpid;
  row[kNotes] = p.notes;
}

bool empty_credit(const Credit& c) {
  return c.roles.empty() && c.instruments.empty() && !c.hours && c.deliverables.empty() &&
         c.tier == Tier::Unspecified && c.contributions.empty();
}

void put_credit(Row& row, const Credit& c) {
  row[kRoles] = join_items(term_strings(c.roles));
  row[kInstruments] = join_items(term_strings(c.instruments));
  if (c.hours) row[kHours] = c.hours->str();
  row[kDeliverables] = join_items(c.deliverables);
  row[kTier] = std::string(to_string(c.tier));
  row[kContributions] = join_items(c.contributions);
}

void put_row(std::string& out, const Row& row) {
  put_row(out, std::vector<std::string>(row.begin(), row.end()));
}

} // namespace

std::span<const std::string_view> csv_columns() {
  return kColumns;
}

std::string write_sheet_csv(const Sheet& s, const CsvWriteOptions& options) {
  std::string out = options.bom ? "\xEF\xBB\xBF" : "";
  put_row(out, std::vector<std::string>{"#sheet_version", "1"});
  const Release& r = s.release;
  auto rel = [&](std::string_view key, const std::string& v) {
    put_row(out, std::vector<std::string>{"#release", std::string(key), v});
  };
  rel("title", r.title);
  rel("type", r.type);
  rel("upc", r.upc);
  rel("grid", r.grid);
  rel("catalog_number", r.catalog_number);
  rel("label", r.label);
  rel("distributor", r.distributor);
  rel("artists", join_items(r.artists));
  rel("release_date", r.release_date);
  rel("genre", r.genre);
  for (auto [key, line] : {std::pair{"p_line", &r.p_line}, std::pair{"c_line", &r.c_line}})
    if (*line)
      put_row(out, std::vector<std::string>{"#release", key, std::to_string((*line)->year), (*line)->owner});
  rel("parental_warning", r.parental_warning);
  if (s.delivery.present) {
    const Delivery& d = s.delivery;
    for (auto [key, v] : {std::pair{"sender", d.sender}, std::pair{"recipients", join_items(d.recipients)},
                          std::pair{"message_control", d.message_control}, std::pair{"language", d.language}})
      put_row(out, std::vector<std::string>{"#delivery", key, v});
  }
  for (std::size_t i = 0; i < s.deals.size(); ++i) {
    const Deal& d = s.deals[i];
    std::string n = std::to_string(i + 1);
    for (auto [key, v] :
         {std::pair{"territories", join_items(d.territories)}, std::pair{"start_date", d.start_date},
          std::pair{"commercial_models", join_items(d.commercial_models)},
          std::pair{"use_types", join_items(d.use_types)}})
      put_row(out, std::vector<std::string>{"#deal", n, key, v});
  }

  for (const Agreement& a : s.agreements)
    put_row(out, std::vector<std::string>{"#agreements", write_agreements_toml({a})});

  put_row(out, std::vector<std::string>(std::begin(kColumns), std::end(kColumns)));
  auto party_row = [&](std::string_view id) {
    Row row{};
    if (const Party* p = s.party(id))
      put_party(row, *p);
    else
      row[kPartyId] = std::string(id); // a dangling reference: kept, the sheet rules report it
    return row;
  };
  // Every party once, in sheet order (this also fixes the party order on import).
  for (const Party& p : s.parties) {
    Row row{};
    put_party(row, p);
    put_row(out, row);
  }
  for (const Credit& c : r.credits) {
    Row row = party_row(c.party);
    put_credit(row, c);
    put_row(out, row);
  }
  for (const Track& t : s.tracks) {
    Row base{};
    base[kDisc] = std::to_string(t.disc);
    base[kTrack] = std::to_string(t.number);
    base[kIsrc] = t.isrc;
    base[kTitle] = t.title;
    base[kVersion] = t.version;
    base[kIswc] = t.iswc;
    base[kDuration] = t.duration;
    base[kFile] = t.file;
    base[kArtists] = join_items(t.artists);
    base[kFeatured] = join_items(t.featured);
    if (t.explicit_content) base[kExplicit] = *t.explicit_content ? "true" : "false";
    if (t.credits.empty() && t.master.empty() && t.publishing.empty()) {
      put_row(out, base);
      continue;
    }
    // Merge each party's credit, master share and publishing share into one row where the order of every
    // list allows it: at each step take the head that merges most and blocks no later merge.
    std::size_t ci = 0, mi = 0, pi = 0;
    std::map<std::string, std::size_t> left_c, left_m, left_p;
    for (const auto& c : t.credits)
      ++left_c[c.party];
    for (const auto& x : t.master)
      ++left_m[x.party];
    for (const auto& x : t.publishing)
      ++left_p[x.party];
    while (ci < t.credits.size() || mi < t.master.size() || pi < t.publishing.size()) {
      const std::string* hc =
          ci < t.credits.size() && !empty_credit(t.credits[ci]) ? &t.credits[ci].party : nullptr;
      const std::string* hm = mi < t.master.size() ? &t.master[mi].party : nullptr;
      const std::string* hp = pi < t.publishing.size() ? &t.publishing[pi].party : nullptr;
      std::string pick;
      if (ci < t.credits.size() && !hc) {
        pick = t.credits[ci].party; // an empty credit stays alone: merged, it would read back as a share only
      } else {
        int best_loss = 4, best_merge = -1;
        for (const std::string* cand : {hc, hm, hp}) {
          if (!cand) continue;
          int merge = 0, loss = 0;
          for (auto [head, left] : {std::pair{hc, &left_c}, std::pair{hm, &left_m}, std::pair{hp, &left_p}}) {
            if (head && *head == *cand)
              ++merge;
            else if (auto it = left->find(*cand); it != left->end() && it->second > 0)
              ++loss;
          }
          if (loss < best_loss || (loss == best_loss && merge > best_merge)) {
            best_loss = loss;
            best_merge = merge;
            pick = *cand;
          }
        }
      }
      Row row = base;
      Row who = party_row(pick);
      for (Col c : {kPartyId, kParty, kLatin, kKind, kIsni, kIpi, kIpn, kDpid, kNotes})
        row[c] = who[c];
      bool alone = false; // an empty credit: shares merged into its row would hide it
      if (ci < t.credits.size() && t.credits[ci].party == pick) {
        alone = empty_credit(t.credits[ci]);
        put_credit(row, t.credits[ci]);
        --left_c[pick];
        ++ci;
      }
      if (!alone && mi < t.master.size() && t.master[mi].party == pick) {
        row[kMaster] = t.master[mi].percent.str();
        --left_m[pick];
        ++mi;
      }
      if (!alone && pi < t.publishing.size() && t.publishing[pi].party == pick) {
        row[kPublishing] = t.publishing[pi].percent.str();
        row[kCapacity] = std::string(to_string(t.publishing[pi].capacity));
        --left_p[pick];
        ++pi;
      }
      put_row(out, row);
    }
  }
  return out;
}

LoadResult parse_sheet_csv(std::string_view text, const std::string& path) {
  LoadResult r;
  Reader(text, path, r).run();
  return r;
}

LoadResult load_sheet_csv(const std::string& path) {
  std::string text = detail::read_file(path, kMaxSheetBytes);
  return parse_sheet_csv(text, path);
}

} // namespace liner::credits

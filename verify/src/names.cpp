// Name matching: exact, or a near miss with the reasons (case, diacritics, order, initial, latin form,
// spelling, punctuation).
#include <algorithm>
#include <liner/credits/sheet.hpp>
#include <liner/credits/text.hpp>
#include <liner/verify/verify.hpp>
#include <numeric>

namespace liner::verify {
namespace {

// Letters that carry their "diacritic" in the base letter, so decomposition does not separate them.
struct Spelled {
  std::string_view from, to;
};
constexpr Spelled kSpelled[] = {
    {"ø", "o"}, {"Ø", "O"}, {"æ", "ae"}, {"Æ", "AE"}, {"œ", "oe"}, {"Œ", "OE"}, {"ß", "ss"}, {"ł", "l"},
    {"Ł", "L"}, {"đ", "d"}, {"Đ", "D"},  {"ð", "d"},  {"Ð", "D"},  {"þ", "th"}, {"Þ", "TH"}, {"ı", "i"},
};

std::string spell_out(std::string s) {
  for (const auto& sp : kSpelled) {
    std::size_t pos = 0;
    while ((pos = s.find(sp.from, pos)) != std::string::npos) {
      s.replace(pos, sp.from.size(), sp.to);
      pos += sp.to.size();
    }
  }
  return s;
}

std::string collapse(std::string_view s) { return credits::collapse_spaces(s); }

std::string nfc_of(std::string_view s) { return collapse(credits::nfc(s)); }
std::string fold_of(std::string_view s) { return credits::fold_name(s); }
std::string strip_of(std::string_view s) { return spell_out(credits::strip_marks(s)); }

// Words: split on white space and commas; a trailing '.' (an initial) is dropped.
std::vector<std::string> words(std::string_view s) {
  std::vector<std::string> out;
  std::string cur;
  auto flush = [&] {
    while (!cur.empty() && cur.back() == '.')
      cur.pop_back();
    if (!cur.empty()) out.push_back(cur);
    cur.clear();
  };
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == ',' || c == '\n' || c == '\r')
      flush();
    else
      cur += c;
  }
  flush();
  return out;
}

std::size_t codepoints(std::string_view s) {
  std::size_t n = 0;
  for (char c : s)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  return n;
}

std::string first_codepoint(std::string_view s) {
  if (s.empty()) return {};
  std::size_t len = 1;
  while (len < s.size() && (static_cast<unsigned char>(s[len]) & 0xC0) == 0x80)
    ++len;
  return std::string(s.substr(0, len));
}

// Relation between two words: nullopt when unrelated, else the reasons (empty = identical).
std::optional<std::vector<std::string>> relate(const std::string& a, const std::string& b,
                                               bool& used_spelling) {
  if (a == b) return std::vector<std::string>{};
  if (fold_of(a) == fold_of(b)) return std::vector<std::string>{"case"};
  if (strip_of(a) == strip_of(b)) return std::vector<std::string>{"diacritics"};
  std::string ka = name_key(a), kb = name_key(b);
  if (ka == kb) return std::vector<std::string>{"case", "diacritics"};
  // An initial for a name, either way round.
  bool a_initial = codepoints(ka) == 1, b_initial = codepoints(kb) == 1;
  if (a_initial != b_initial) {
    const std::string& full = a_initial ? kb : ka;
    const std::string& init = a_initial ? ka : kb;
    if (first_codepoint(full) == init) return std::vector<std::string>{"initial"};
    return std::nullopt;
  }
  if (!used_spelling && codepoints(ka) >= 4 && codepoints(kb) >= 4) {
    std::size_t d = credits::edit_distance(ka, kb);
    std::size_t len = std::max(codepoints(ka), codepoints(kb));
    if (d <= (len >= 8 ? 2u : 1u)) {
      used_spelling = true;
      return std::vector<std::string>{"spelling"};
    }
  }
  return std::nullopt;
}

void add_reason(std::vector<std::string>& v, const std::string& r) {
  if (std::find(v.begin(), v.end(), r) == v.end()) v.push_back(r);
}

std::string strip_punct(std::string_view s) {
  std::string out;
  for (char c : s)
    if (c != ' ' && c != ',' && c != '.' && c != '-' && c != '\'' && c != '\t') out += c;
  return out;
}

// Reasons in a fixed order, so outputs are stable.
void order_reasons(std::vector<std::string>& v) {
  static const std::vector<std::string> order = {"latin form", "order",    "initial",    "diacritics",
                                                 "case",       "spelling", "punctuation"};
  std::sort(v.begin(), v.end(), [&](const std::string& a, const std::string& b) {
    auto ia = std::find(order.begin(), order.end(), a) - order.begin();
    auto ib = std::find(order.begin(), order.end(), b) - order.begin();
    return ia < ib;
  });
}

} // namespace

std::string name_key(std::string_view name) {
  // Case folded first, then marks stripped (so a mark the folding produces goes too).
  return collapse(spell_out(credits::strip_marks(credits::fold_name(name))));
}

NameComparison compare_names(std::string_view sheet_name, std::string_view observed) {
  NameComparison r;
  r.compared_with = std::string(sheet_name);
  std::string a = nfc_of(sheet_name), b = nfc_of(observed);
  if (a.empty() || b.empty()) return r;
  if (a == b) {
    r.match = NameMatch::Exact;
    return r;
  }
  auto wa = words(a), wb = words(b);
  bool comma = (b.find(',') != std::string::npos) != (a.find(',') != std::string::npos);
  if (wa.size() == wb.size() && !wa.empty() && wa.size() <= 6) {
    std::vector<std::size_t> perm(wb.size());
    std::iota(perm.begin(), perm.end(), 0);
    std::optional<std::vector<std::string>> best;
    std::size_t tries = 0;
    do {
      bool identity = std::is_sorted(perm.begin(), perm.end());
      bool used_spelling = false, ok = true;
      std::size_t initials = 0, spelled = 0;
      std::vector<std::string> reasons;
      for (std::size_t i = 0; i < wa.size() && ok; ++i) {
        auto rel = relate(wa[i], wb[perm[i]], used_spelling);
        if (!rel) {
          ok = false;
          break;
        }
        for (const auto& x : *rel) {
          add_reason(reasons, x);
          if (x == "initial") ++initials;
          if (x == "spelling") ++spelled;
        }
      }
      // At least one word must be a full, non-misspelled word.
      if (ok && initials + spelled >= wa.size()) ok = false;
      if (ok) {
        if (!identity) add_reason(reasons, "order");
        if (!best || reasons.size() < best->size()) best = reasons;
      }
      if (++tries > 720) break;
      if (wa.size() > 4) { // too many orders: identity and reversed only
        if (identity)
          std::reverse(perm.begin(), perm.end());
        else
          break;
        continue;
      }
    } while (std::next_permutation(perm.begin(), perm.end()));
    if (best) {
      if (comma) add_reason(*best, "order");
      if (best->empty()) best->push_back("punctuation");
      order_reasons(*best);
      r.match = NameMatch::Near;
      r.reasons = *best;
      return r;
    }
  }
  // Different word boundaries or punctuation only: "JoseAngel Nunez", "Jose-Angel Nunez".
  std::string ka = strip_punct(name_key(a)), kb = strip_punct(name_key(b));
  if (!ka.empty() && ka == kb) {
    r.match = NameMatch::Near;
    if (fold_of(a) != a || fold_of(b) != b)
      if (strip_punct(fold_of(a)) != strip_punct(fold_of(b)) &&
          strip_punct(strip_of(a)) == strip_punct(strip_of(b)))
        add_reason(r.reasons, "diacritics");
    add_reason(r.reasons, "punctuation");
    order_reasons(r.reasons);
    return r;
  }
  return r;
}

NameComparison compare_party(const credits::Party& party, std::string_view observed) {
  NameComparison best = compare_names(party.name, observed);
  if (best.match == NameMatch::Exact) return best;
  if (!party.latin_name.empty() && nfc_of(party.latin_name) != nfc_of(party.name)) {
    NameComparison l = compare_names(party.latin_name, observed);
    if (l.match != NameMatch::None) {
      l.match = NameMatch::Near;
      l.reasons.insert(l.reasons.begin(), "latin form");
      order_reasons(l.reasons);
      if (best.match == NameMatch::None || l.reasons.size() < best.reasons.size() + 1) best = l;
    }
  }
  return best;
}

std::string describe_reasons(const std::vector<std::string>& reasons) {
  std::string out;
  for (const auto& r : reasons) {
    std::string phrase = r;
    if (r == "case")
      phrase = "case differs";
    else if (r == "diacritics")
      phrase = "diacritics dropped";
    else if (r == "order")
      phrase = "name order swapped";
    else if (r == "initial")
      phrase = "initial instead of a name";
    else if (r == "latin form")
      phrase = "latin form instead of the original script";
    else if (r == "spelling")
      phrase = "spelled differently";
    else if (r == "punctuation")
      phrase = "spacing or punctuation differs";
    if (!out.empty()) out += ", ";
    out += phrase;
  }
  return out;
}

std::string normalize_id(std::string_view id) {
  std::string out;
  for (char c : id) {
    if (c == ' ' || c == '-' || c == '.' || c == '\t') continue;
    out += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  }
  return out;
}

Identifiers identifiers_of(const credits::Party& p) {
  return Identifiers{normalize_id(p.isni), normalize_id(p.ipi), normalize_id(p.ipn), normalize_id(p.dpid)};
}

} // namespace liner::verify

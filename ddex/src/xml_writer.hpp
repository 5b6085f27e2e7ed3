// liner ddex: a small streaming XML writer (deterministic, two-space indent, UTF-8).
#pragma once
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace liner::ddex::detail {

using Attrs = std::vector<std::pair<std::string_view, std::string>>;

class XmlWriter {
public:
  XmlWriter() { out_.reserve(1 << 16); }
  void declaration() { out_ += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"; }
  void open(std::string_view name, const Attrs& attrs = {}) {
    indent();
    out_ += '<';
    out_ += name;
    attributes(attrs);
    out_ += ">\n";
    stack_.emplace_back(name);
  }
  void close() {
    std::string name = std::move(stack_.back());
    stack_.pop_back();
    indent();
    out_ += "</";
    out_ += name;
    out_ += ">\n";
  }
  void leaf(std::string_view name, std::string_view text, const Attrs& attrs = {}) {
    indent();
    out_ += '<';
    out_ += name;
    attributes(attrs);
    out_ += '>';
    escape(text, false);
    out_ += "</";
    out_ += name;
    out_ += ">\n";
  }
  // Only when text is not empty.
  void opt(std::string_view name, std::string_view text, const Attrs& attrs = {}) {
    if (!text.empty()) leaf(name, text, attrs);
  }
  std::string& str() { return out_; }

private:
  void indent() { out_.append(stack_.size() * 2, ' '); }
  void attributes(const Attrs& attrs) {
    for (const auto& [k, v] : attrs) {
      out_ += ' ';
      out_ += k;
      out_ += "=\"";
      escape(v, true);
      out_ += '"';
    }
  }
  void escape(std::string_view s, bool attr) {
    for (char c : s) {
      switch (c) {
      case '&':
        out_ += "&amp;";
        break;
      case '<':
        out_ += "&lt;";
        break;
      case '>':
        out_ += "&gt;";
        break;
      case '"':
        if (attr)
          out_ += "&quot;";
        else
          out_ += c;
        break;
      case '\n':
        if (attr)
          out_ += "&#10;";
        else
          out_ += c;
        break;
      case '\r':
        out_ += "&#13;";
        break;
      case '\t':
        if (attr)
          out_ += "&#9;";
        else
          out_ += c;
        break;
      default:
        // Control characters are not allowed in XML 1.0: drop them.
        if (static_cast<unsigned char>(c) < 0x20) break;
        out_ += c;
      }
    }
  }
  std::string out_;
  std::vector<std::string> stack_;
};

} // namespace liner::ddex::detail

// liner ddex: the ERN version registry. Adding a version = one class + one row in kRegistry.
#include <array>
#include <liner/credits/roles.hpp>
#include <liner/ddex/ddex.hpp>

namespace liner::ddex {
namespace {

// Values that older ERN versions allow and the ERN 4.3 AVS dropped (ERN 3.8.x has a plain Producer).
constexpr std::array<std::string_view, 3> kLegacyRoles = {"Producer", "Engineer", "Mixer"};

RoleValue map_term(const credits::Term& t, bool (*allowed)(std::string_view)) {
  if (t.custom || !allowed(t.name)) return {"UserDefined", t.name};
  return {t.name, {}};
}

} // namespace

RoleValue ErnVersion::role(const credits::Term& t) const {
  return map_term(t, [](std::string_view v) { return credits::is_contributor_role(v); });
}
RoleValue ErnVersion::instrument(const credits::Term& t) const {
  return map_term(t, [](std::string_view v) { return credits::is_instrument_type(v); });
}
bool ErnVersion::allowed_role(std::string_view v) const {
  return v == "UserDefined" || credits::is_contributor_role(v);
}
bool ErnVersion::allowed_instrument(std::string_view v) const {
  return v == "UserDefined" || credits::is_instrument_type(v);
}

namespace {

// ERN 3.8.2: parties are written inline; the AVS still has a plain "Producer".
class Ern382 final : public ErnVersion {
public:
  std::string_view id() const override { return "3.8.2"; }
  std::string_view namespace_uri() const override { return "http://ddex.net/xml/ern/382"; }
  std::string_view schema_path() const override { return "ern-3.8.2/release-notification.xsd"; }
  bool has_party_list() const override { return false; }
  RoleValue role(const credits::Term& t) const override {
    if (!t.custom && t.name == "StudioProducer") return {"Producer", {}};
    return ErnVersion::role(t);
  }
  bool allowed_role(std::string_view v) const override {
    for (auto l : kLegacyRoles)
      if (v == l) return true;
    return ErnVersion::allowed_role(v);
  }
};

class Ern41 final : public ErnVersion {
public:
  std::string_view id() const override { return "4.1"; }
  std::string_view namespace_uri() const override { return "http://ddex.net/xml/ern/41"; }
  std::string_view schema_path() const override { return "ern-4.1/release-notification.xsd"; }
  bool allowed_role(std::string_view v) const override {
    for (auto l : kLegacyRoles)
      if (v == l) return true;
    return ErnVersion::allowed_role(v);
  }
};

class Ern411 final : public ErnVersion {
public:
  std::string_view id() const override { return "4.1.1"; }
  std::string_view namespace_uri() const override { return "http://ddex.net/xml/ern/411"; }
  std::string_view schema_path() const override { return "ern-4.1.1/release-notification.xsd"; }
  bool allowed_role(std::string_view v) const override {
    for (auto l : kLegacyRoles)
      if (v == l) return true;
    return ErnVersion::allowed_role(v);
  }
};

class Ern42 final : public ErnVersion {
public:
  std::string_view id() const override { return "4.2"; }
  std::string_view namespace_uri() const override { return "http://ddex.net/xml/ern/42"; }
  std::string_view schema_path() const override { return "ern-4.2/release-notification.xsd"; }
  bool allowed_role(std::string_view v) const override {
    for (auto l : kLegacyRoles)
      if (v == l) return true;
    return ErnVersion::allowed_role(v);
  }
};

// ERN 4.3: the version liner builds; its AVS is the sheet vocabulary (credits/roles.hpp).
class Ern43 final : public ErnVersion {
public:
  std::string_view id() const override { return "4.3"; }
  std::string_view namespace_uri() const override { return "http://ddex.net/xml/ern/43"; }
  std::string_view schema_path() const override { return "ern-4.3/release-notification.xsd"; }
};

class Ern432 final : public ErnVersion {
public:
  std::string_view id() const override { return "4.3.2"; }
  std::string_view namespace_uri() const override { return "http://ddex.net/xml/ern/432"; }
  std::string_view schema_path() const override { return "ern-4.3.2/ernv432/release-notification.xsd"; }
};

const Ern382 k382{};
const Ern41 k41{};
const Ern411 k411{};
const Ern42 k42{};
const Ern43 k43{};
const Ern432 k432{};

// The registry: one row per version.
constexpr std::array<const ErnVersion*, 6> kRegistry = {&k382, &k41, &k411, &k42, &k43, &k432};

} // namespace

std::span<const ErnVersion* const> versions() {
  return kRegistry;
}

const ErnVersion* version_by_id(std::string_view id) {
  for (auto* v : kRegistry)
    if (v->id() == id) return v;
  return nullptr;
}

const ErnVersion* version_by_namespace(std::string_view ns) {
  for (auto* v : kRegistry)
    if (v->namespace_uri() == ns) return v;
  return nullptr;
}

} // namespace liner::ddex

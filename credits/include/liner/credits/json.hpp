// liner: the sheet as JSON (`liner sheet export --to json`), a documented, versioned document
// (docs/sheet-format.md#json). Decimals are written as strings so that no reader turns them into floats.
#pragma once
#include <liner/credits/sheet.hpp>
#include <nlohmann/json.hpp>

namespace liner::credits {

inline constexpr int kSheetJsonVersion = 1;

nlohmann::json to_json(const Party& p);
nlohmann::json to_json(const Credit& c);
nlohmann::json to_json(const Share& s);
nlohmann::json to_json(const Agreement& a); // same keys as [[agreements]] (docs/splits.md)
// {"liner": "sheet", "version": 1, "release": {...}, "parties": [...], "tracks": [...], ...}
nlohmann::json to_json(const Sheet& s);

} // namespace liner::credits

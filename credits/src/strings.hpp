// Internal alias: the credits sources call these helpers as detail::...; they are public in text.hpp.
#pragma once
#include <liner/credits/text.hpp>

namespace liner::credits::detail {
using liner::credits::edit_distance;
using liner::credits::lower;
using liner::credits::nearest;
using liner::credits::read_file;
using liner::credits::trim;
} // namespace liner::credits::detail

// File: common/json_text.h
// JsonText: the response body of a JSON answer. Byte for byte what
// body.dump(-1, ' ', false, error_handler_t::replace) writes (compact, keys sorted,
// invalid UTF-8 replaced by U+FFFD), but the elements of large arrays — the rows of a
// big answer, such as the health of every account (4 MB at 6,500 accounts) — are
// serialized on several threads.
// Thread-safety: reentrant.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace tobops {

std::string JsonText(const nlohmann::json& body, int threads);

}  // namespace tobops

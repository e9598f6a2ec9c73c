#include "server/route_params.h"

#include <cmath>
#include <stdexcept>

namespace tobops::server {
namespace {

// Parses all of `text` as an integer; false when anything is left over or it overflows.
bool ParseWholeInteger(const std::string& text, int64_t& value) {
  try {
    size_t used = 0;
    value = std::stoll(text, &used);
    return used == text.size();
  } catch (...) {
    return false;
  }
}

}  // namespace

std::string Param(const httplib::Request& req, const std::string& name) {
  return req.has_param(name) ? req.get_param_value(name) : std::string();
}

Result<int64_t> IntegerParam(const httplib::Request& req, const std::string& name, int64_t fallback) {
  const std::string text = Param(req, name);
  if (text.empty()) return fallback;
  int64_t value = 0;
  if (!ParseWholeInteger(text, value)) return InvalidArgument(name + " must be an integer", name);
  return value;
}

Result<int64_t> IntegerParamIn(const httplib::Request& req, const std::string& name, int64_t fallback, int64_t lo,
                               int64_t hi) {
  const std::string text = Param(req, name);
  if (text.empty()) return fallback;
  int64_t value = 0;
  if (!ParseWholeInteger(text, value) || value < lo || value > hi) {
    return InvalidArgument(name + " must be an integer from " + std::to_string(lo) + " to " + std::to_string(hi),
                           name);
  }
  return value;
}

Result<double> NumberParam(const httplib::Request& req, const std::string& name, double fallback) {
  const std::string text = Param(req, name);
  if (text.empty()) return fallback;
  try {
    size_t used = 0;
    const double value = std::stod(text, &used);
    if (used == text.size() && std::isfinite(value)) return value;
  } catch (...) {
  }
  return InvalidArgument(name + " must be a number", name);
}

Result<int64_t> ParseId(const std::string& text, const std::string& field) {
  int64_t id = 0;
  if (!ParseWholeInteger(text, id) || id <= 0) return InvalidArgument("not a valid id", field);
  return id;
}

Result<int64_t> PathId(const httplib::Request& req, size_t match, const std::string& field) {
  return ParseId(req.matches.size() > match ? req.matches[match].str() : std::string(), field);
}

}  // namespace tobops::server

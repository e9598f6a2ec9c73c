#include "query/property_filter.h"

#include <algorithm>
#include <cctype>
#include <utility>

namespace tobops::query {
namespace {

bool Equal(const store::PropertyValue& a, const store::PropertyValue& b) {
  const double* da = std::get_if<double>(&a);
  const double* db = std::get_if<double>(&b);
  if (da && db) return *da == *db;
  return store::PropertyValueToString(a) == store::PropertyValueToString(b);
}

// Numeric comparison; a string that parses completely as a number counts as one.
bool AsNumber(const store::PropertyValue& v, double* out) {
  if (const double* d = std::get_if<double>(&v)) {
    *out = *d;
    return true;
  }
  if (const std::string* s = std::get_if<std::string>(&v)) {
    if (s->empty()) return false;
    char* end = nullptr;
    *out = std::strtod(s->c_str(), &end);
    return end == s->c_str() + s->size();
  }
  return false;
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

}  // namespace

bool ParsePropertySource(const std::string& text, PropertySource* source) {
  if (text == "event") *source = PropertySource::kEvent;
  else if (text == "person") *source = PropertySource::kPerson;
  else if (text == "account") *source = PropertySource::kAccount;
  else return false;
  return true;
}

const char* PropertySourceName(PropertySource source) {
  switch (source) {
    case PropertySource::kEvent: return "event";
    case PropertySource::kPerson: return "person";
    case PropertySource::kAccount: return "account";
  }
  return "event";
}

bool ParseFilterOp(const std::string& text, FilterOp* op) {
  static const std::pair<const char*, FilterOp> kOps[] = {
      {"eq", FilterOp::kEq},       {"neq", FilterOp::kNeq},     {"in", FilterOp::kIn},
      {"not_in", FilterOp::kNotIn}, {"contains", FilterOp::kContains}, {"gt", FilterOp::kGt},
      {"gte", FilterOp::kGte},     {"lt", FilterOp::kLt},       {"lte", FilterOp::kLte},
      {"is_set", FilterOp::kIsSet}, {"is_not_set", FilterOp::kIsNotSet},
  };
  for (const auto& [name, value] : kOps) {
    if (text == name) {
      *op = value;
      return true;
    }
  }
  return false;
}

bool PropertyFilter::Matches(const store::PropertyValue& value) const {
  const bool present = !std::holds_alternative<std::monostate>(value);
  switch (op) {
    case FilterOp::kIsSet: return present;
    case FilterOp::kIsNotSet: return !present;
    case FilterOp::kEq:
      return present && !values.empty() && Equal(value, values[0]);
    case FilterOp::kNeq:
      return !present || values.empty() || !Equal(value, values[0]);
    case FilterOp::kIn:
      return present && std::any_of(values.begin(), values.end(),
                                    [&](const auto& v) { return Equal(value, v); });
    case FilterOp::kNotIn:
      return !present || std::none_of(values.begin(), values.end(),
                                      [&](const auto& v) { return Equal(value, v); });
    case FilterOp::kContains: {
      if (!present || values.empty()) return false;
      return Lower(store::PropertyValueToString(value))
                 .find(Lower(store::PropertyValueToString(values[0]))) != std::string::npos;
    }
    case FilterOp::kGt:
    case FilterOp::kGte:
    case FilterOp::kLt:
    case FilterOp::kLte: {
      double a, b;
      if (!present || values.empty() || !AsNumber(value, &a) || !AsNumber(values[0], &b)) {
        return false;
      }
      if (op == FilterOp::kGt) return a > b;
      if (op == FilterOp::kGte) return a >= b;
      if (op == FilterOp::kLt) return a < b;
      return a <= b;
    }
  }
  return false;
}

}  // namespace tobops::query

// File: query/property_filter.h
// PropertyFilter: one condition on an event, person or account property, shared by
// every analysis kind. Semantics are in docs/analytics.md ("Filters").
// Thread-safety: immutable after construction; Matches is const and thread-safe.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "store/event.h"

namespace tobops::query {

enum class PropertySource { kEvent, kPerson, kAccount };
enum class FilterOp { kEq, kNeq, kIn, kNotIn, kContains, kGt, kGte, kLt, kLte, kIsSet, kIsNotSet };

// Parses "event" / "person" / "account"; false when unknown.
bool ParsePropertySource(const std::string& text, PropertySource* source);
const char* PropertySourceName(PropertySource source);
// Parses "eq", "neq", ...; false when unknown.
bool ParseFilterOp(const std::string& text, FilterOp* op);

struct PropertyFilter {
  PropertySource source = PropertySource::kEvent;
  std::string property;
  FilterOp op = FilterOp::kEq;
  // eq/neq/contains/gt/...: one value; in/not_in: any number; is_set/is_not_set: none.
  std::vector<store::PropertyValue> values;

  // True when `value` (monostate = absent) satisfies the condition. An absent value
  // satisfies only neq, not_in and is_not_set. Comparisons are numeric when both sides
  // are numbers, otherwise on the text form (store::PropertyValueToString).
  bool Matches(const store::PropertyValue& value) const;
};

}  // namespace tobops::query

#include "query/record_events.h"

#include <string>

namespace tobops::query {

PropertyFilter NotARecordEvent() {
  PropertyFilter filter;
  filter.source = PropertySource::kEvent;
  filter.property = std::string(kRecordSourceProperty);
  filter.op = FilterOp::kNeq;
  filter.values = {store::PropertyValue(std::string(kRecordSourceValue))};
  return filter;
}

}  // namespace tobops::query

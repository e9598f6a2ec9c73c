#include "common/csv_record.h"

namespace tobops {

bool ParseCsvRecord(std::istream& in, std::vector<std::string>* fields, size_t* lines_read) {
  fields->clear();
  *lines_read = 0;
  std::string field;
  bool in_quotes = false;
  bool any = false;
  int c;
  while ((c = in.get()) != EOF) {
    any = true;
    if (in_quotes) {
      if (c == '"') {
        if (in.peek() == '"') {
          field.push_back('"');
          in.get();
        } else {
          in_quotes = false;
        }
      } else {
        if (c == '\n') ++*lines_read;
        field.push_back(static_cast<char>(c));
      }
    } else if (c == '"') {
      in_quotes = true;
    } else if (c == ',') {
      fields->push_back(std::move(field));
      field.clear();
    } else if (c == '\r') {
      // CRLF line ends: the \n follows.
    } else if (c == '\n') {
      ++*lines_read;
      fields->push_back(std::move(field));
      return true;
    } else {
      field.push_back(static_cast<char>(c));
    }
  }
  if (!any) return false;
  ++*lines_read;
  fields->push_back(std::move(field));
  return true;
}

}  // namespace tobops

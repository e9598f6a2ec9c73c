// File: query/trend_formula.h
// TrendFormula: arithmetic over the series of a trend, such as "B / A" (a conversion
// rate) or "(A + B) * 100". Series are named by capital letters in spec order (A is
// series[0]); the grammar is numbers, letters, + - * /, unary minus and parentheses:
//
//   expression := term (("+" | "-") term)*
//   term       := factor (("*" | "/") factor)*
//   factor     := ("-" | "+") factor | number | letter | "(" expression ")"
//
// Evaluation treats NaN as null: a null operand gives null, and so does a division by
// zero. Semantics: docs/analytics/trend.md "Formulas".
// Thread-safety: immutable after Parse; Evaluate is const and thread-safe.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "common/status.h"

namespace tobops::query {

class TrendFormula {
 public:
  // Parses `expression` over `num_series` series (letters A .. A + num_series - 1).
  // Errors: kInvalidArgument naming `field`, with the character position in the message
  // (unknown letter, missing operand or parenthesis, trailing text, nesting over 64).
  static Result<TrendFormula> Parse(const std::string& expression, size_t num_series,
                                    const std::string& field);

  // The value for operands[i] = the value of series i (NaN = null). Returns NaN for a
  // null operand, a division by zero or a result that is not finite.
  double Evaluate(std::span<const double> operands) const;

 private:
  enum class Op { kNumber, kSeries, kNegate, kAdd, kSubtract, kMultiply, kDivide };
  struct Node {
    Op op = Op::kNumber;
    double number = 0;   // kNumber
    size_t series = 0;   // kSeries
    int left = -1;       // operand (kNegate) or left operand
    int right = -1;
  };
  double EvaluateNode(int node, std::span<const double> operands) const;

  friend class TrendFormulaParser;
  std::vector<Node> nodes_;
  int root_ = -1;
};

}  // namespace tobops::query

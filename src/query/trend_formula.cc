#include "query/trend_formula.h"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <limits>

namespace tobops::query {

// Recursive descent over the grammar in the header; one method per rule. Positions in
// error messages are 1-based byte offsets, as an editor shows them for ASCII input.
class TrendFormulaParser {
 public:
  TrendFormulaParser(const std::string& text, size_t num_series, const std::string& field,
                     TrendFormula* out)
      : text_(text), num_series_(num_series), field_(field), out_(out) {}

  Status Run() {
    SkipSpaces();
    if (pos_ == text_.size()) return Fail("the expression is empty");
    RETURN_IF_ERROR(Expression(&out_->root_, 0));
    SkipSpaces();
    if (pos_ != text_.size()) return Fail("unexpected '" + std::string(1, text_[pos_]) + "'");
    return Status::Ok();
  }

 private:
  // Deep enough for any formula a person writes, shallow enough for the stack.
  static constexpr int kMaxDepth = 64;

  Status Fail(const std::string& what) const {
    return InvalidArgument(what + " at position " + std::to_string(pos_ + 1) + " of '" + text_ + "'",
                           field_);
  }

  void SkipSpaces() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t')) ++pos_;
  }

  int Add(TrendFormula::Node node) {
    out_->nodes_.push_back(node);
    return int(out_->nodes_.size() - 1);
  }

  Status Expression(int* node, int depth) {
    RETURN_IF_ERROR(Term(node, depth));
    for (;;) {
      SkipSpaces();
      if (pos_ == text_.size() || (text_[pos_] != '+' && text_[pos_] != '-')) return Status::Ok();
      const auto op = text_[pos_++] == '+' ? TrendFormula::Op::kAdd : TrendFormula::Op::kSubtract;
      int right = -1;
      RETURN_IF_ERROR(Term(&right, depth));
      *node = Add({op, 0, 0, *node, right});
    }
  }

  Status Term(int* node, int depth) {
    RETURN_IF_ERROR(Factor(node, depth));
    for (;;) {
      SkipSpaces();
      if (pos_ == text_.size() || (text_[pos_] != '*' && text_[pos_] != '/')) return Status::Ok();
      const auto op = text_[pos_++] == '*' ? TrendFormula::Op::kMultiply : TrendFormula::Op::kDivide;
      int right = -1;
      RETURN_IF_ERROR(Factor(&right, depth));
      *node = Add({op, 0, 0, *node, right});
    }
  }

  Status Factor(int* node, int depth) {
    if (depth > kMaxDepth) return Fail("the expression nests deeper than 64 levels");
    SkipSpaces();
    if (pos_ == text_.size()) return Fail("a number, a series letter or '(' is missing");
    const char c = text_[pos_];
    if (c == '-' || c == '+') {
      ++pos_;
      int operand = -1;
      RETURN_IF_ERROR(Factor(&operand, depth + 1));
      *node = c == '-' ? Add({TrendFormula::Op::kNegate, 0, 0, operand, -1}) : operand;
      return Status::Ok();
    }
    if (c == '(') {
      ++pos_;
      RETURN_IF_ERROR(Expression(node, depth + 1));
      SkipSpaces();
      if (pos_ == text_.size() || text_[pos_] != ')') return Fail("')' is missing");
      ++pos_;
      return Status::Ok();
    }
    if ((c >= '0' && c <= '9') || c == '.') return Number(node);
    if (c >= 'A' && c <= 'Z') {
      const size_t start = pos_;
      while (pos_ < text_.size() && std::isalnum(static_cast<unsigned char>(text_[pos_]))) ++pos_;
      if (pos_ - start != 1) {
        const std::string name = text_.substr(start, pos_ - start);
        pos_ = start;
        return Fail("unknown name '" + name + "'; series are single letters A, B, C, ...");
      }
      const size_t series = size_t(c - 'A');
      if (series >= num_series_) {
        pos_ = start;
        return Fail("series " + std::string(1, c) + " does not exist (the spec has " +
                    std::to_string(num_series_) + " series)");
      }
      *node = Add({TrendFormula::Op::kSeries, 0, series, -1, -1});
      return Status::Ok();
    }
    if (c >= 'a' && c <= 'z') return Fail("series letters are capitals: A, B, C, ...");
    return Fail("unexpected '" + std::string(1, c) + "'; expected a number, a series letter or '('");
  }

  // Digits with an optional fraction: 100, 0.5, .5. No exponents or signs (unary minus
  // is an operator).
  Status Number(int* node) {
    const size_t start = pos_;
    bool digits = false;
    while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_, digits = true;
    if (pos_ < text_.size() && text_[pos_] == '.') {
      ++pos_;
      while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_, digits = true;
    }
    if (!digits) {
      pos_ = start;
      return Fail("a number needs at least one digit");
    }
    const std::string literal = text_.substr(start, pos_ - start);
    *node = Add({TrendFormula::Op::kNumber, std::strtod(literal.c_str(), nullptr), 0, -1, -1});
    return Status::Ok();
  }

  const std::string& text_;
  const size_t num_series_;
  const std::string& field_;
  TrendFormula* out_;
  size_t pos_ = 0;
};

Result<TrendFormula> TrendFormula::Parse(const std::string& expression, size_t num_series,
                                         const std::string& field) {
  if (expression.size() > 1000) {
    return InvalidArgument("an expression has at most 1000 characters", field);
  }
  TrendFormula formula;
  TrendFormulaParser parser(expression, num_series, field, &formula);
  RETURN_IF_ERROR(parser.Run());
  return formula;
}

double TrendFormula::Evaluate(std::span<const double> operands) const {
  const double value = EvaluateNode(root_, operands);
  return std::isfinite(value) ? value : std::numeric_limits<double>::quiet_NaN();
}

double TrendFormula::EvaluateNode(int index, std::span<const double> operands) const {
  const Node& n = nodes_[size_t(index)];
  switch (n.op) {
    case Op::kNumber: return n.number;
    case Op::kSeries: return n.series < operands.size() ? operands[n.series] : std::numeric_limits<double>::quiet_NaN();
    case Op::kNegate: return -EvaluateNode(n.left, operands);
    default: break;
  }
  const double a = EvaluateNode(n.left, operands);
  const double b = EvaluateNode(n.right, operands);
  switch (n.op) {
    case Op::kAdd: return a + b;
    case Op::kSubtract: return a - b;
    case Op::kMultiply: return a * b;
    case Op::kDivide:
      // x / 0 is null rather than ±inf: a rate over an empty bucket has no value.
      return b == 0 ? std::numeric_limits<double>::quiet_NaN() : a / b;
    default: return std::numeric_limits<double>::quiet_NaN();
  }
}

}  // namespace tobops::query

// Query-string and path parameters as every route file reads them, so that a bad
// parameter gets the same clear error everywhere: kInvalidArgument naming the parameter
// and what it must be. An absent or empty parameter takes the caller's fallback (a
// console form sends an empty field for "not given").
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>

#include <httplib.h>

#include "common/status.h"

namespace tobops::server {

// The parameter's text, or "" when absent.
std::string Param(const httplib::Request& req, const std::string& name);

// An integer parameter, or `fallback` when absent or empty. Range checks belong to the
// service that uses the value (it names the field too).
Result<int64_t> IntegerParam(const httplib::Request& req, const std::string& name, int64_t fallback);

// An integer parameter in [lo, hi], or `fallback` when absent or empty.
Result<int64_t> IntegerParamIn(const httplib::Request& req, const std::string& name, int64_t fallback, int64_t lo,
                               int64_t hi);

// A finite number, or `fallback` when absent or empty.
Result<double> NumberParam(const httplib::Request& req, const std::string& name, double fallback);

// A record id: a positive integer written in full. kInvalidArgument naming `field`.
Result<int64_t> ParseId(const std::string& text, const std::string& field = "id");

// The record id captured by the route's regex group `match` (1 = the first).
Result<int64_t> PathId(const httplib::Request& req, size_t match = 1, const std::string& field = "id");

}  // namespace tobops::server

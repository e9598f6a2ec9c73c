// File: ops/visit_minutes.h
// VisitMinutes: the minutes of a visit (or call, meeting, demo, training) as an
// e-mail-ready plain text — a subject, a body with fixed sections and the customer
// attendees' e-mail addresses — so they can be pasted into any mail client. The
// section headings are bilingual (English / 中文) so the text does not depend on the
// console language of whoever copies it. Exact layout: docs/sales/views.md
// ("GET /api/visits/ID/minutes"). Caller: server/sales_view_routes.cc.
// Thread-safety: reentrant.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

#include "common/status.h"
#include "ops/ops_context.h"

namespace tobops::ops {

// {"subject","body","to":[emails]} of visit `visit_id`. Errors: kNotFound for a visit
// not of the project; record store errors.
[[nodiscard]] Result<nlohmann::json> VisitMinutes(const OpsContext& ctx, int64_t visit_id);

// The text/plain form of a minutes answer: "Subject: …", "To: …", a blank line, the body.
std::string MinutesText(const nlohmann::json& minutes);

}  // namespace tobops::ops

// File: records/sales_resources.h
// The record kinds of the sales workspace: accounts and contacts (also kept up to date
// from group / identify calls), opportunities with their stakeholders and pre-sales
// briefs, the pipeline's stages, visits and their follow-ups, the feedback backlog and
// the materials library. docs/records.md describes every field.
// Callers: records/resource_catalog.cc. Thread-safety: returns fresh values.
#pragma once

#include <vector>

#include "records/field_spec.h"

namespace tobops::records {

// The decision-chain roles every project starts with; contacts may carry others.
inline constexpr const char* kDefaultRoles[] = {"user", "evaluator", "budget_holder", "decision_maker", "signer"};

std::vector<ResourceSpec> SalesResources();

}  // namespace tobops::records

// File: records/growth_resources.h
// The record kinds of the marketing, customer-success and partner workspace (issue 5):
// campaigns and their members (invitations, registrations, attendance), leads, content
// items, renewals, playbooks and the tasks they open, onboarding milestones, partners and
// their points ledger, goals and strategies. docs/records.md describes the REST API they
// share; their behaviour (post-mortems, content report, playbook rules, ledger balances)
// lives in ops/. Callers: records/resource_catalog.cc. Thread-safety: returns fresh values.
#pragma once

#include <vector>

#include "records/field_spec.h"

namespace tobops::records {

std::vector<ResourceSpec> GrowthResources();

}  // namespace tobops::records

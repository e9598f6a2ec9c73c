// File: demo/message_writer.h
// MessageWriter: renders one StoryRecord as a compact Segment tracking-spec message
// (the JSON object a Segment client puts in the "batch" array of POST /v1/batch):
// type, messageId, timestamp (+08:00), userId/anonymousId, event/name, properties,
// traits, groupId, previousId, context (groupId, campaign, page, ip, userAgent,
// locale, library); never sentAt (see Write). docs/demo_data.md shows examples.
// Hand-written appends into a reused buffer: this is the generator's hot path.
// Callers: demo_generator.cc.
// Thread-safety: const after construction; Write may run concurrently on distinct outputs.
#pragma once

#include <cstdint>
#include <string>

#include "demo/demo_story.h"

namespace tobops::demo {

class MessageWriter {
 public:
  // `story` and `calendar` must outlive the writer.
  explicit MessageWriter(const DemoStory* story, const DemoCalendar* calendar);

  // Replaces the contents of `out` with the JSON text of `record`. `sequence` is the
  // record's position in the whole story (0-based); it makes the messageId unique and
  // seeds the few per-message random choices (share target, export format), so
  // output is deterministic.
  void Write(const StoryRecord& record, uint64_t sequence, std::string* out) const;

 private:
  const DemoStory* story_;
  const DemoCalendar* calendar_;
  std::string message_id_prefix_;
};

}  // namespace tobops::demo

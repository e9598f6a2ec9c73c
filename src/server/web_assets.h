// File: server/web_assets.h
// The built web console (web/dist), embedded in the binary at build time by
// cmake/EmbedAssets.cmake. Empty when the console was not built.
#pragma once

#include <cstddef>
#include <span>

namespace tobops::server {

struct WebAsset {
  const char* path;            // "/index.html", "/assets/index-1a2b.js"
  const unsigned char* data;
  size_t size;
};

std::span<const WebAsset> WebAssets();

}  // namespace tobops::server

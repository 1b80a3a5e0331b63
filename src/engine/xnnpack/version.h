// Where the XNNPACK versions coralpi builds against (api.h) behave differently, as facts the
// operator entries consult when they decide what XNNPACK runs. Each answer comes from the
// api_20xx.cc compiled into this build, so the differences are stated in one place per version.
#pragma once

#include <string>

#include "engine/xnnpack/subgraph_builder.h"

namespace coralpi::xnnpack {

// "2022" (Debian 12's 0.0~git20220216) or "2024" (Debian 13's 0.0~git20241108): which api.h
// implementation this build uses.
const char* ApiName();

// Why this XNNPACK refuses a max pooling window that the other version takes, or "".
std::string MaxPoolRefusal(const Window& w);

}  // namespace coralpi::xnnpack

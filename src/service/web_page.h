// The live page served at `/`: every camera's MJPEG stream (boxes drawn by the server) and a
// table of the statistics refreshed every two seconds. Plain HTML, CSS and a little JavaScript,
// all in the binary: the page loads nothing from elsewhere. A token given in the page's own URL
// (?token=...) is passed on to the streams and the statistics.
#pragma once

#include <string>
#include <vector>

namespace coralpi {

std::string LivePage(const std::vector<std::string>& cameras);

}  // namespace coralpi

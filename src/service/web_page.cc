// The live page's text; see web_page.h. Camera names (letters, digits, '-', '_': the
// configuration allows nothing else) go in as a JSON array.
#include "service/web_page.h"

#include <nlohmann/json.hpp>

namespace coralpi {
namespace {

const char kPage[] = R"html(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>coralpi</title>
<style>
body { margin: 0; padding: 12px; font: 14px/1.4 sans-serif; background: #f0f0f0; color: #222; }
h1 { font-size: 18px; margin: 0 0 12px; }
#cameras { display: flex; flex-wrap: wrap; gap: 12px; }
figure { margin: 0; padding: 6px; background: #fff; border: 1px solid #ccc; }
figure img { display: block; width: 640px; max-width: 100%; height: auto; min-height: 60px; }
figcaption { padding-top: 4px; font-weight: bold; }
table { border-collapse: collapse; margin-top: 12px; background: #fff; }
th, td { border: 1px solid #ccc; padding: 3px 8px; text-align: right; }
th:first-child, td:first-child { text-align: left; }
#status { margin-top: 6px; color: #555; }
#tpus { margin-top: 6px; }
.tpu { margin-right: 16px; }
.throttled { color: #b00; font-weight: bold; }
</style>
</head>
<body>
<h1>coralpi</h1>
<div id="cameras"></div>
<table id="stats">
<thead><tr><th>camera</th><th>camera fps</th><th>process fps</th><th>skipped fps</th>
<th>detection fps</th></tr></thead>
<tbody></tbody>
</table>
<div id="tpus"></div>
<div id="status"></div>
<script>
const cameras = @CAMERAS@;
const token = new URLSearchParams(location.search).get('token');
function url(path, query) {
  const q = new URLSearchParams(query || {});
  if (token) q.set('token', token);
  const s = q.toString();
  return path + (s ? '?' + s : '');
}
for (const name of cameras) {
  const figure = document.createElement('figure');
  const img = document.createElement('img');
  img.alt = name;
  img.src = url('/api/' + encodeURIComponent(name), {fps: 5});
  const caption = document.createElement('figcaption');
  caption.textContent = name;
  figure.append(img, caption);
  document.getElementById('cameras').append(figure);
}
function cell(row, text) {
  const td = document.createElement('td');
  td.textContent = text;
  row.append(td);
}
function showTpus(tpus) {
  const div = document.getElementById('tpus');
  div.replaceChildren();
  for (const [name, t] of Object.entries(tpus)) {
    const span = document.createElement('span');
    span.className = 'tpu' + (t.throttled ? ' throttled' : '');
    span.dataset.device = name;
    const temp = t.temperature === null ? '?' : t.temperature.toFixed(1);
    span.textContent = 'Edge TPU ' + name + ': ' + temp + ' \u00b0C' +
        (t.throttled ? ' (throttled)' : '');
    div.append(span);
  }
}
async function refresh() {
  const status = document.getElementById('status');
  try {
    const response = await fetch(url('/api/stats'));
    if (!response.ok) throw new Error('HTTP ' + response.status);
    const stats = await response.json();
    const body = document.querySelector('#stats tbody');
    body.replaceChildren();
    for (const [name, c] of Object.entries(stats.cameras)) {
      const row = document.createElement('tr');
      for (const v of [name, c.camera_fps, c.process_fps, c.skipped_fps, c.detection_fps]) {
        cell(row, v);
      }
      body.append(row);
    }
    showTpus(stats.tpus || {});
    const detector = Object.entries(stats.detectors)[0];
    status.textContent = 'inference ' + detector[1].inference_speed + ' ms (' + detector[0] +
        '), CPU ' + stats.cpu_percent + ' %, up ' + stats.service.uptime + ' s, coralpi ' +
        stats.service.version;
  } catch (e) {
    status.textContent = 'no statistics: ' + e.message;
  }
}
refresh();
setInterval(refresh, 2000);
</script>
</body>
</html>
)html";

}  // namespace

std::string LivePage(const std::vector<std::string>& cameras) {
  std::string page = kPage;
  const std::string marker = "@CAMERAS@";
  page.replace(page.find(marker), marker.size(), nlohmann::json(cameras).dump());
  return page;
}

}  // namespace coralpi
